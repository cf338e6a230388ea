/** Marathi copy: plain data; `amazonpay-dqr/lang/mr` adds it to the element's languages. */
import { type Copy, minutesOrSeconds } from '../copy.js';

export const mr: Copy = {
  locale: 'mr-IN',
  loading: 'QR कोड तयार होत आहे…',
  instructions: 'पैसे भरण्यासाठी कोणत्याही UPI ॲपने QR कोड स्कॅन करा.',
  payTo: (payee) => `प्राप्तकर्ता: ${payee}`,
  qrLabel: (amount, payee) =>
    `${amount} भरण्यासाठी UPI QR कोड${payee ? `, प्राप्तकर्ता ${payee}` : ''}. कोणत्याही UPI ॲपने स्कॅन करा.`,
  timeLeft: 'उरलेला वेळ',
  secondsLeft: (seconds) =>
    minutesOrSeconds(
      seconds,
      (n) => (n === 1 ? 'पैसे भरण्यासाठी 1 मिनिट उरले' : `पैसे भरण्यासाठी ${n} मिनिटे उरली`),
      (n) => `पैसे भरण्यासाठी ${n} सेकंद उरले`,
    ),
  reconnecting: 'पुन्हा जोडत आहे… QR कोड अजूनही वैध आहे.',
  offline: 'तुम्ही ऑफलाइन आहात. कनेक्शनची वाट पाहत आहे…',
  expiring: 'वेळ संपली. शेवटच्या क्षणी पेमेंट आले आहे का ते तपासत आहे…',
  cancelling: 'पेमेंट रद्द करत आहे…',
  stillTrying: 'पेमेंट सर्व्हरशी संपर्क होत नाही. प्रयत्न सुरू आहे: दुसऱ्या मार्गाने पैसे घेण्यापूर्वी त्याच्या उत्तराची वाट पाहा.',
  paid: 'पेमेंट मिळाले.',
  expired: 'या QR कोडची मुदत संपली आहे.',
  expiredLatePayment: 'कोडची मुदत संपताना पेमेंट आले: ग्राहकाला पैसे परत केले जातील.',
  cancelled: 'पेमेंट रद्द केले.',
  cancelOutcome: (outcome, refundRequested) => {
    if (outcome === 'RefundApplicable') return 'ग्राहकाने पैसे भरले होते: ते त्यांना परत पाठवले जात आहेत.';
    if (outcome === 'RefundApplicableButNotRequested') return 'ग्राहकाने पैसे भरले होते आणि परतावा मागितला नाही.';
    if (outcome === 'Approved') return 'ग्राहकाकडून कोणतेही पैसे घेतले गेले नाहीत.';
    return refundRequested ? 'परतावा मागितला आहे.' : 'परतावा मागितला नाही.';
  },
  latePayment: (refund) => {
    if (refund === 'Approved') return 'ऑर्डर संपल्यानंतर पेमेंट आले: ग्राहकाला पैसे परत केले आहेत.';
    if (refund === 'Declined') {
      return 'ऑर्डर संपल्यानंतर पेमेंट आले, पण परतावा नाकारला गेला: ग्राहकाला दुसऱ्या मार्गाने पैसे परत करा.';
    }
    return 'ऑर्डर संपल्यानंतर पेमेंट आले: ग्राहकाला पैसे परत केले जात आहेत.';
  },
  regenerating: 'नवीन QR कोड तयार होत आहे…',
  mirrorWaiting: 'कॅशियर पेमेंट सुरू करण्याची वाट पाहत आहे…',
  sandbox: 'सँडबॉक्स — खरे पैसे नाहीत',
  failed: 'पेमेंट अयशस्वी झाले. पुन्हा प्रयत्न करण्यासाठी नवीन ऑर्डर सुरू करा.',
  invalid: 'हे पेमेंट सुरू होऊ शकत नाही:',
  error: 'काहीतरी चुकले:',
  cancelButton: 'पेमेंट रद्द करा',
  retryButton: 'पुन्हा प्रयत्न करा',
  payOnDevice: 'UPI ॲपने पेमेंट करा',
};
