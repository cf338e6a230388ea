/**
 * Which feature an element's settings turn on, and how. A feature loads the first time its
 * attribute asks for it, so a page that never mirrors, runs a kiosk, chimes, watches for late
 * payments or regenerates QRs never downloads their code.
 */
import type { FeatureName } from '../../lazy/names.js';
import type { FeatureSettings } from './feature.js';

/** How the settings turn one feature on. */
export interface CatalogEntry {
  /**
   * The feature's configuration under `settings`, or `undefined` when it is off. A feature whose
   * configuration changes is disposed and made again.
   */
  configure(settings: FeatureSettings): string | undefined;
}

/** Every feature and what turns it on. */
export const CATALOG: Record<FeatureName, CatalogEntry> = {
  mirror: {
    configure: ({ mirror, channel }) => (mirror ? `follow ${mirror}` : channel ? `publish ${channel}` : undefined),
  },
  kiosk: { configure: ({ kiosk }) => (kiosk ? 'on' : undefined) },
  sound: { configure: ({ sound }) => (sound ? 'on' : undefined) },
  'late-payment-watch': { configure: ({ latePaymentGrace }) => (latePaymentGrace > 0 ? 'on' : undefined) },
  regenerate: { configure: ({ regenerate }) => (regenerate > 0 ? 'on' : undefined) },
};
