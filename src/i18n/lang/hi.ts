/**
 * Hindi for `<amazonpay-dqr>`, ahead of time: importing this module (`amazonpay-dqr/lang/hi`) or
 * loading `lang/hi.js` beside the standalone file adds it, so no element fetches it later.
 */
import { addLanguage } from '../store.js';
import { hi } from '../translations/hi.js';

addLanguage('hi', hi);

export { hi };
