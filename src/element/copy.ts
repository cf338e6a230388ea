/**
 * Every word the element shows, in English and Hindi. The language comes from the element's own
 * `lang` or the nearest ancestor's; anything else falls back to English. Hosts can replace the
 * main messages through slots (see the element's `@slot` docs).
 */
import type { CancelOutcome } from '../contract/types.js';

/** The strings of one language. */
export interface Copy {
  loading: string;
  instructions: string;
  payTo(payee: string): string;
  qrLabel(amount: string, payee: string | undefined): string;
  timeLeft: string;
  secondsLeft(seconds: number): string;
  reconnecting: string;
  offline: string;
  expiring: string;
  cancelling: string;
  paid: string;
  expired: string;
  expiredLatePayment: string;
  cancelled: string;
  cancelOutcome(outcome: CancelOutcome | undefined, refundRequested: boolean): string;
  failed: string;
  invalid: string;
  error: string;
  cancelButton: string;
  retryButton: string;
}

function minutesOrSeconds(seconds: number, minutes: (n: number) => string, secs: (n: number) => string): string {
  return seconds >= 60 ? minutes(Math.round(seconds / 60)) : secs(seconds);
}

const en: Copy = {
  loading: 'Preparing the QR code…',
  instructions: 'Scan the QR code with any UPI app to pay.',
  payTo: (payee) => `To ${payee}`,
  qrLabel: (amount, payee) => `UPI QR code to pay ${amount}${payee ? ` to ${payee}` : ''}. Scan it with any UPI app.`,
  timeLeft: 'Time left',
  secondsLeft: (seconds) =>
    minutesOrSeconds(
      seconds,
      (n) => `${n} ${n === 1 ? 'minute' : 'minutes'} left to pay`,
      (n) => `${n} seconds left to pay`,
    ),
  reconnecting: 'Reconnecting… The QR code is still valid.',
  offline: 'You are offline. Waiting for the connection…',
  expiring: 'Time is up. Checking for a last payment…',
  cancelling: 'Cancelling the payment…',
  paid: 'Payment received.',
  expired: 'This QR code has expired.',
  expiredLatePayment: 'A payment arrived as the code expired: it will be refunded to the customer.',
  cancelled: 'Payment cancelled.',
  cancelOutcome: (outcome, refundRequested) => {
    if (outcome === 'RefundApplicable') return 'The customer had paid: the money is on its way back to them.';
    if (outcome === 'RefundApplicableButNotRequested') return 'The customer had paid and no refund was asked for.';
    if (outcome === 'Approved') return 'No money was taken from the customer.';
    return refundRequested ? 'A refund was asked for.' : 'No refund was asked for.';
  },
  failed: 'The payment failed. Start a new order to try again.',
  invalid: 'This payment cannot start:',
  error: 'Something went wrong:',
  cancelButton: 'Cancel payment',
  retryButton: 'Try again',
};

const hi: Copy = {
  loading: 'QR कोड तैयार हो रहा है…',
  instructions: 'भुगतान के लिए किसी भी UPI ऐप से QR कोड स्कैन करें।',
  payTo: (payee) => `${payee} को`,
  qrLabel: (amount, payee) => `${payee ? `${payee} को ` : ''}${amount} के भुगतान का UPI QR कोड। किसी भी UPI ऐप से स्कैन करें।`,
  timeLeft: 'शेष समय',
  secondsLeft: (seconds) =>
    minutesOrSeconds(
      seconds,
      (n) => `भुगतान के लिए ${n} मिनट बाकी`,
      (n) => `भुगतान के लिए ${n} सेकंड बाकी`,
    ),
  reconnecting: 'फिर से जुड़ रहे हैं… QR कोड अभी भी मान्य है।',
  offline: 'आप ऑफ़लाइन हैं। कनेक्शन का इंतज़ार है…',
  expiring: 'समय समाप्त। अंतिम भुगतान की जाँच हो रही है…',
  cancelling: 'भुगतान रद्द किया जा रहा है…',
  paid: 'भुगतान प्राप्त हुआ।',
  expired: 'इस QR कोड की समय सीमा समाप्त हो गई है।',
  expiredLatePayment: 'कोड की समय सीमा खत्म होते समय भुगतान आया: ग्राहक को पैसे वापस किए जाएंगे।',
  cancelled: 'भुगतान रद्द किया गया।',
  cancelOutcome: (outcome, refundRequested) => {
    if (outcome === 'RefundApplicable') return 'ग्राहक ने भुगतान कर दिया था: पैसे उन्हें वापस भेजे जा रहे हैं।';
    if (outcome === 'RefundApplicableButNotRequested') return 'ग्राहक ने भुगतान कर दिया था और रिफ़ंड नहीं माँगा गया।';
    if (outcome === 'Approved') return 'ग्राहक से कोई पैसा नहीं लिया गया।';
    return refundRequested ? 'रिफ़ंड माँगा गया।' : 'रिफ़ंड नहीं माँगा गया।';
  },
  failed: 'भुगतान विफल रहा। फिर से कोशिश करने के लिए नया ऑर्डर शुरू करें।',
  invalid: 'यह भुगतान शुरू नहीं हो सकता:',
  error: 'कुछ गलत हो गया:',
  cancelButton: 'भुगतान रद्द करें',
  retryButton: 'फिर से कोशिश करें',
};

/** The copy for `element`'s language: its own `lang`, else the nearest ancestor's, else English. */
export function copyFor(element: Element): Copy {
  const lang = element.closest('[lang]')?.getAttribute('lang')?.toLowerCase() ?? '';
  return lang === 'hi' || lang.startsWith('hi-') ? hi : en;
}

const rupees = new Intl.NumberFormat('en-IN', { style: 'currency', currency: 'INR' });

/** Rupees with the Indian grouping, e.g. `₹1,24,999.50`. */
export function formatRupees(amount: string): string {
  return rupees.format(Number(amount));
}
