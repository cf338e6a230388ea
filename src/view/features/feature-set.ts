/**
 * The features one element has on: fetched once its settings ask for one, made once the module is
 * there (in the update it triggers, so a feature's look arrives with the state it belongs to),
 * told of every state change and order start, and disposed when turned off or when the element
 * leaves the page.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { load } from '../../lazy/load.js';
import { FEATURES, type FeatureName } from '../../lazy/names.js';
import type { PaymentSession } from '../../session/payment-session.js';
import type { SessionState } from '../../session/state.js';
import { CATALOG } from './catalog.js';
import type { Feature, FeatureHost, FeatureModule } from './feature.js';

/** Each feature's module, fetched once per page. */
function fetchModule(name: FeatureName): Promise<FeatureModule> {
  return load(`features/${name}`, `"${name}" feature`, 'it is off');
}

/** An element's features. */
export class FeatureSet implements ReactiveController {
  private readonly host: FeatureHost;
  private readonly modules = new Map<FeatureName, FeatureModule>();
  private readonly asked = new Set<FeatureName>();
  private readonly active = new Map<FeatureName, { configuration: string; feature: Feature }>();
  private connected = false;

  /** `adopt` gives the element the styles of the features that are on. */
  constructor(
    private readonly element: FeatureHost['element'] & ReactiveControllerHost,
    session: PaymentSession,
    private readonly adopt: (styles: readonly string[]) => void,
  ) {
    this.host = { element, session };
    element.addController(this);
  }

  /**
   * The gate before the QR shows: settles once every feature the settings ask for is there (or
   * failed to load), so that none misses a change of the order it is shown with: kiosk mode's look
   * is there with the QR, regeneration before the QR can expire, the chime before the payment.
   */
  ready(): Promise<unknown> {
    const wanted = FEATURES.filter((name) => CATALOG[name].configure(this.element) !== undefined);
    return Promise.all(wanted.map((name) => fetchModule(name).catch(() => undefined)));
  }

  /** Tells every feature that is on that the state moved from `previous` to `next`. */
  changed(next: SessionState, previous: SessionState): void {
    for (const feature of this.features()) feature.changed?.(next, previous);
  }

  /** Tells every feature that is on that a run of `orderId` started. */
  orderStarted(orderId: string, regenerated: boolean): void {
    for (const feature of this.features()) feature.orderStarted?.(orderId, regenerated);
  }

  hostConnected(): void {
    this.connected = true;
    this.element.requestUpdate();
  }

  /** Before each render: the features in step with the element's settings. */
  hostUpdate(): void {
    let restyle = false;
    for (const name of FEATURES) {
      const configuration = this.connected ? CATALOG[name].configure(this.element) : undefined;
      const on = this.active.get(name);
      if (on && on.configuration !== configuration) {
        on.feature.dispose();
        this.active.delete(name);
        restyle ||= on.feature.styles !== undefined;
      }
      if (configuration === undefined || this.active.has(name)) continue;
      const module = this.modules.get(name);
      if (!module) {
        if (this.asked.has(name)) continue;
        this.asked.add(name);
        fetchModule(name).then(
          (arrived) => {
            this.modules.set(name, arrived);
            this.element.requestUpdate();
          },
          () => undefined,
        );
        continue;
      }
      const feature = module.create(this.host);
      this.active.set(name, { configuration, feature });
      restyle ||= feature.styles !== undefined;
    }
    if (restyle) this.adopt(this.features().flatMap((feature) => feature.styles ?? []));
  }

  hostDisconnected(): void {
    this.connected = false;
    this.hostUpdate();
  }

  private features(): Feature[] {
    return FEATURES.flatMap((name) => this.active.get(name)?.feature ?? []);
  }
}
