/** Hindi copy: plain data; `amazonpay-dqr/lang/hi` adds it to the element's languages. */
import { type Copy, minutesOrSeconds } from '../copy.js';

export const hi: Copy = {
  locale: 'hi-IN',
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
  stillTrying: 'भुगतान सर्वर से संपर्क नहीं हो पा रहा। कोशिश जारी है: दूसरे तरीके से भुगतान लेने से पहले उसके जवाब का इंतज़ार करें।',
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
  latePayment: (refund) => {
    if (refund === 'Approved') return 'ऑर्डर खत्म होने के बाद भुगतान आया: ग्राहक को पैसे वापस कर दिए गए हैं।';
    if (refund === 'Declined') {
      return 'ऑर्डर खत्म होने के बाद भुगतान आया, पर रिफ़ंड अस्वीकार हो गया: ग्राहक को पैसे किसी और तरीके से लौटाएँ।';
    }
    return 'ऑर्डर खत्म होने के बाद भुगतान आया: ग्राहक को पैसे वापस किए जा रहे हैं।';
  },
  regenerating: 'नया QR कोड बनाया जा रहा है…',
  mirrorWaiting: 'कैशियर के भुगतान शुरू करने का इंतज़ार है…',
  sandbox: 'सैंडबॉक्स — असली पैसे नहीं',
  failed: 'भुगतान विफल रहा। फिर से कोशिश करने के लिए नया ऑर्डर शुरू करें।',
  invalid: 'यह भुगतान शुरू नहीं हो सकता:',
  error: 'कुछ गलत हो गया:',
  cancelButton: 'भुगतान रद्द करें',
  retryButton: 'फिर से कोशिश करें',
  payOnDevice: 'UPI ऐप से भुगतान करें',
};
