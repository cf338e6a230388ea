/**
 * The host's opt-in features, each fetched once, on first need: the host asks for a module as
 * soon as its attribute is set, so it is there by the time the feature acts.
 */
import type { ReactiveControllerHost } from 'lit';
import type { Feature, FeatureModules } from './catalog.js';
import { loadFeature } from './load-feature.js';

/** The feature modules one element has asked for. */
export class OnDemandFeatures {
  private readonly loaded: Partial<FeatureModules> = {};
  private readonly loading = new Map<Feature, Promise<unknown>>();

  constructor(private readonly host: ReactiveControllerHost) {}

  /**
   * The feature's module once it has arrived; until then `undefined`, and the first call starts the
   * download, after which the host updates. A module that cannot be fetched leaves the feature off
   * and one warning.
   */
  get<K extends Feature>(name: K): FeatureModules[K] | undefined {
    void this.load(name);
    return this.loaded[name];
  }

  /** Resolves with the feature's module, fetching it first if need be; rejects if it cannot be fetched. */
  load<K extends Feature>(name: K): Promise<FeatureModules[K]> {
    let loading = this.loading.get(name) as Promise<FeatureModules[K]> | undefined;
    if (!loading) {
      loading = loadFeature(name).then(
        (module) => {
          this.loaded[name] = module;
          this.host.requestUpdate();
          return module;
        },
        (error: unknown) => {
          console.warn(`<amazonpay-dqr>: the "${name}" feature did not load, so it is off.`, error);
          throw error;
        },
      );
      // A failure is warned about here, whoever waits on the module.
      loading.catch(() => undefined);
      this.loading.set(name, loading);
    }
    return loading;
  }
}
