/** Telugu copy: importing this module (or loading its standalone file) registers it. */
import { type Copy, minutesOrSeconds } from '../copy.js';
import { addLanguage } from '../languages.js';

export const te: Copy = {
  locale: 'te-IN',
  loading: 'QR కోడ్ సిద్ధమవుతోంది…',
  instructions: 'చెల్లించడానికి ఏదైనా UPI యాప్‌తో QR కోడ్‌ను స్కాన్ చేయండి.',
  payTo: (payee) => `గ్రహీత: ${payee}`,
  qrLabel: (amount, payee) => `${amount} చెల్లించడానికి UPI QR కోడ్${payee ? `, గ్రహీత ${payee}` : ''}. ఏదైనా UPI యాప్‌తో స్కాన్ చేయండి.`,
  timeLeft: 'మిగిలిన సమయం',
  secondsLeft: (seconds) =>
    minutesOrSeconds(
      seconds,
      (n) => (n === 1 ? 'చెల్లించడానికి 1 నిమిషం మిగిలి ఉంది' : `చెల్లించడానికి ${n} నిమిషాలు మిగిలి ఉన్నాయి`),
      (n) => `చెల్లించడానికి ${n} సెకన్లు మిగిలి ఉన్నాయి`,
    ),
  reconnecting: 'మళ్లీ కనెక్ట్ అవుతోంది… QR కోడ్ ఇంకా చెల్లుబాటులో ఉంది.',
  offline: 'మీరు ఆఫ్‌లైన్‌లో ఉన్నారు. కనెక్షన్ కోసం వేచి ఉంది…',
  expiring: 'సమయం ముగిసింది. చివరి క్షణంలో చెల్లింపు వచ్చిందేమో తనిఖీ చేస్తోంది…',
  cancelling: 'చెల్లింపు రద్దు చేయబడుతోంది…',
  stillTrying: 'చెల్లింపు సర్వర్‌ను చేరుకోలేకపోతున్నాం. ప్రయత్నిస్తూనే ఉంది: వేరే విధంగా డబ్బు తీసుకునే ముందు దాని సమాధానం కోసం వేచి ఉండండి.',
  paid: 'చెల్లింపు అందింది.',
  expired: 'ఈ QR కోడ్ గడువు ముగిసింది.',
  expiredLatePayment: 'కోడ్ గడువు ముగుస్తున్న సమయంలో ఒక చెల్లింపు వచ్చింది: ఆ డబ్బు కస్టమర్‌కు తిరిగి ఇవ్వబడుతుంది.',
  cancelled: 'చెల్లింపు రద్దు చేయబడింది.',
  cancelOutcome: (outcome, refundRequested) => {
    if (outcome === 'RefundApplicable') return 'కస్టమర్ ఇప్పటికే చెల్లించారు: డబ్బు వారికి తిరిగి పంపబడుతోంది.';
    if (outcome === 'RefundApplicableButNotRequested') return 'కస్టమర్ ఇప్పటికే చెల్లించారు, రీఫండ్ అడగలేదు.';
    if (outcome === 'Approved') return 'కస్టమర్ నుండి డబ్బు ఏదీ తీసుకోలేదు.';
    return refundRequested ? 'రీఫండ్ అడిగారు.' : 'రీఫండ్ అడగలేదు.';
  },
  latePayment: (refund) => {
    if (refund === 'Approved') return 'ఆర్డర్ ముగిసిన తర్వాత ఒక చెల్లింపు వచ్చింది: డబ్బు కస్టమర్‌కు తిరిగి ఇవ్వబడింది.';
    if (refund === 'Declined') {
      return 'ఆర్డర్ ముగిసిన తర్వాత ఒక చెల్లింపు వచ్చింది, కానీ రీఫండ్ తిరస్కరించబడింది: కస్టమర్‌కు మరో విధంగా డబ్బు తిరిగి ఇవ్వండి.';
    }
    return 'ఆర్డర్ ముగిసిన తర్వాత ఒక చెల్లింపు వచ్చింది: డబ్బు కస్టమర్‌కు తిరిగి ఇవ్వబడుతోంది.';
  },
  regenerating: 'కొత్త QR కోడ్ తయారవుతోంది…',
  mirrorWaiting: 'క్యాషియర్ చెల్లింపు ప్రారంభించడం కోసం వేచి ఉంది…',
  sandbox: 'శాండ్‌బాక్స్ — నిజమైన డబ్బు కాదు',
  failed: 'చెల్లింపు విఫలమైంది. మళ్లీ ప్రయత్నించడానికి కొత్త ఆర్డర్ ప్రారంభించండి.',
  invalid: 'ఈ చెల్లింపును ప్రారంభించడం సాధ్యం కాదు:',
  error: 'ఏదో పొరపాటు జరిగింది:',
  cancelButton: 'చెల్లింపును రద్దు చేయండి',
  retryButton: 'మళ్లీ ప్రయత్నించండి',
};

addLanguage('te', te);
