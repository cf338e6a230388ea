/**
 * Tamil for `<amazonpay-dqr>`, ahead of time: importing this module (`amazonpay-dqr/lang/ta`) or
 * loading `lang/ta.js` beside the standalone file adds it, so no element fetches it later.
 */
import { addLanguage } from '../store.js';
import { ta } from '../translations/ta.js';

addLanguage('ta', ta);

export { ta };
