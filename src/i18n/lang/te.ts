/**
 * Telugu for `<amazonpay-dqr>`, ahead of time: importing this module (`amazonpay-dqr/lang/te`) or
 * loading `lang/te.js` beside the standalone file adds it, so no element fetches it later.
 */
import { addLanguage } from '../store.js';
import { te } from '../translations/te.js';

addLanguage('te', te);

export { te };
