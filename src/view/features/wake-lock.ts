/**
 * Keeps a kiosk's screen on while a QR is shown (Screen Wake Lock), and lets it sleep again at the
 * end or when the element leaves the page. The browser drops the lock when the tab is hidden, so
 * it is taken again when the tab comes back. Browsers without the API are simply left alone.
 */

/** Holds a screen wake lock while `hold(true)` is in force, until `dispose`. */
export class WakeLock {
  private wanted = false;
  private sentinel: WakeLockSentinel | undefined;
  private requesting: Promise<void> | undefined;

  constructor() {
    document.addEventListener('visibilitychange', this.handleVisibility);
  }

  /** Whether the screen should stay awake now. */
  hold(wanted: boolean): void {
    if (wanted === this.wanted) return;
    this.wanted = wanted;
    if (wanted) this.acquire();
    else this.release();
  }

  /** Lets the screen sleep and stops listening. */
  dispose(): void {
    document.removeEventListener('visibilitychange', this.handleVisibility);
    this.hold(false);
  }

  private acquire(): void {
    if (this.sentinel || this.requesting || !('wakeLock' in navigator)) return;
    this.requesting = navigator.wakeLock
      .request('screen')
      .then(
        (sentinel) => {
          if (this.wanted) this.sentinel = sentinel;
          else void sentinel.release();
        },
        // Refused (battery saver, no user activation, a permissions policy): the QR still works.
        () => undefined,
      )
      .finally(() => {
        this.requesting = undefined;
      });
  }

  private release(): void {
    const sentinel = this.sentinel;
    this.sentinel = undefined;
    if (sentinel && !sentinel.released) void sentinel.release();
  }

  private handleVisibility = (): void => {
    if (document.visibilityState !== 'visible' || !this.wanted) return;
    if (this.sentinel?.released) this.sentinel = undefined;
    this.acquire();
  };
}
