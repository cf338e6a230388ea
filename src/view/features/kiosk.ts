/**
 * Kiosk mode, loaded once the `kiosk` attribute is set: the screen kept awake while the QR shows,
 * and the look of a screen customers stand back from (the element adopts these styles after its own).
 */
import type { Feature, FeatureHost } from './feature.js';
import { WakeLock } from './wake-lock.js';

/** One column, the QR as large as the container and the screen allow (never below 4 CSS px a module), a larger amount and a larger paid mark. */
export const kioskStyles = `
  :host([kiosk]) .layout.paying {
    grid-template-columns: 1fr;
    justify-items: center;
    text-align: center;
  }
  :host([kiosk]) .qr,
  :host([kiosk]) .qr-hidden {
    width: max(calc(var(--_modules, 0) * 4px), min(100cqi, var(--amazonpay-dqr-kiosk-qr-size, 80vh)));
    max-width: none;
  }
  :host([kiosk]) .amount {
    font-size: 3rem;
  }
  :host([kiosk][status='paid']) .icon.success {
    width: 8rem;
    height: 8rem;
    font-size: 4rem;
  }
`;

/**
 * The paid mark grows in, unless the reader asked for less motion: read through `matchMedia` as
 * the mark appears, the one place a page (and a test, in any engine) sees what the element sees.
 */
function popPaidMark(element: HTMLElement): void {
  if (matchMedia('(prefers-reduced-motion: reduce)').matches) return;
  element.shadowRoot?.querySelector('.icon.success')?.animate(
    [
      { transform: 'scale(0.3)', opacity: 0 },
      { transform: 'scale(1)', opacity: 1 },
    ],
    {
      duration: 700,
      easing: 'cubic-bezier(0.2, 0.9, 0.3, 1.3)',
      fill: 'both',
    },
  );
}

/** Kiosk mode on one element. */
export function create({ element, session }: FeatureHost): Feature {
  const wakeLock = new WakeLock();
  wakeLock.hold(session.state.kind === 'pending');
  return {
    styles: kioskStyles,
    changed: (next, previous) => {
      wakeLock.hold(next.kind === 'pending');
      if (next.kind === 'paid' && previous.kind !== 'paid') popPaidMark(element);
    },
    dispose: () => wakeLock.dispose(),
  };
}
