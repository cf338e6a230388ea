/**
 * Bengali for `<amazonpay-dqr>`, ahead of time: importing this module (`amazonpay-dqr/lang/bn`) or
 * loading `lang/bn.js` beside the standalone file adds it, so no element fetches it later.
 */
import { addLanguage } from '../store.js';
import { bn } from '../translations/bn.js';

addLanguage('bn', bn);

export { bn };
