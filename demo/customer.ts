import '../src/define.js';

/**
 * The customer-facing display: a second window that mirrors counter 3's element (no backend calls
 * of its own), in kiosk mode, in the language the cashier picked (`?lang=`).
 */
const lang = new URLSearchParams(location.search).get('lang');
if (lang) document.documentElement.lang = lang;
