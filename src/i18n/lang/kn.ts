/**
 * Kannada for `<amazonpay-dqr>`, ahead of time: importing this module (`amazonpay-dqr/lang/kn`) or
 * loading `lang/kn.js` beside the standalone file adds it, so no element fetches it later.
 */
import { addLanguage } from '../store.js';
import { kn } from '../translations/kn.js';

addLanguage('kn', kn);

export { kn };
