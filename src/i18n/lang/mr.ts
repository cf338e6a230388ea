/**
 * Marathi for `<amazonpay-dqr>`, ahead of time: importing this module (`amazonpay-dqr/lang/mr`) or
 * loading `lang/mr.js` beside the standalone file adds it, so no element fetches it later.
 */
import { addLanguage } from '../store.js';
import { mr } from '../translations/mr.js';

addLanguage('mr', mr);

export { mr };
