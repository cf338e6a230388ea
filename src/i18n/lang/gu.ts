/**
 * Gujarati for `<amazonpay-dqr>`, ahead of time: importing this module (`amazonpay-dqr/lang/gu`) or
 * loading `lang/gu.js` beside the standalone file adds it, so no element fetches it later.
 */
import { addLanguage } from '../store.js';
import { gu } from '../translations/gu.js';

addLanguage('gu', gu);

export { gu };
