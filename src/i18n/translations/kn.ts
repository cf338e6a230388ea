/** Kannada copy: plain data; `amazonpay-dqr/lang/kn` adds it to the element's languages. */
import { type Copy, minutesOrSeconds } from '../copy.js';

export const kn: Copy = {
  locale: 'kn-IN',
  loading: 'QR ಕೋಡ್ ಸಿದ್ಧವಾಗುತ್ತಿದೆ…',
  instructions: 'ಪಾವತಿಸಲು ಯಾವುದೇ UPI ಆ್ಯಪ್‌ನಿಂದ QR ಕೋಡ್ ಸ್ಕ್ಯಾನ್ ಮಾಡಿ.',
  payTo: (payee) => `ಸ್ವೀಕರಿಸುವವರು: ${payee}`,
  qrLabel: (amount, payee) =>
    `${amount} ಪಾವತಿಸಲು UPI QR ಕೋಡ್${payee ? `, ಸ್ವೀಕರಿಸುವವರು ${payee}` : ''}. ಯಾವುದೇ UPI ಆ್ಯಪ್‌ನಿಂದ ಸ್ಕ್ಯಾನ್ ಮಾಡಿ.`,
  timeLeft: 'ಉಳಿದ ಸಮಯ',
  secondsLeft: (seconds) =>
    minutesOrSeconds(
      seconds,
      (n) => `ಪಾವತಿಸಲು ${n} ನಿಮಿಷ ಬಾಕಿ ಇದೆ`,
      (n) => `ಪಾವತಿಸಲು ${n} ಸೆಕೆಂಡ್ ಬಾಕಿ ಇದೆ`,
    ),
  reconnecting: 'ಮತ್ತೆ ಸಂಪರ್ಕಿಸಲಾಗುತ್ತಿದೆ… QR ಕೋಡ್ ಇನ್ನೂ ಮಾನ್ಯವಾಗಿದೆ.',
  offline: 'ನೀವು ಆಫ್‌ಲೈನ್‌ನಲ್ಲಿದ್ದೀರಿ. ಸಂಪರ್ಕಕ್ಕಾಗಿ ಕಾಯಲಾಗುತ್ತಿದೆ…',
  expiring: 'ಸಮಯ ಮುಗಿದಿದೆ. ಕೊನೆಯ ಕ್ಷಣದ ಪಾವತಿ ಬಂದಿದೆಯೇ ಎಂದು ಪರಿಶೀಲಿಸಲಾಗುತ್ತಿದೆ…',
  cancelling: 'ಪಾವತಿಯನ್ನು ರದ್ದುಗೊಳಿಸಲಾಗುತ್ತಿದೆ…',
  stillTrying: 'ಪಾವತಿ ಸರ್ವರ್ ಅನ್ನು ತಲುಪಲು ಆಗುತ್ತಿಲ್ಲ. ಪ್ರಯತ್ನ ಮುಂದುವರಿದಿದೆ: ಬೇರೆ ರೀತಿಯಲ್ಲಿ ಹಣ ಪಡೆಯುವ ಮೊದಲು ಅದರ ಉತ್ತರಕ್ಕಾಗಿ ಕಾಯಿರಿ.',
  paid: 'ಪಾವತಿ ಸ್ವೀಕರಿಸಲಾಗಿದೆ.',
  expired: 'ಈ QR ಕೋಡ್‌ನ ಅವಧಿ ಮುಗಿದಿದೆ.',
  expiredLatePayment: 'ಕೋಡ್‌ನ ಅವಧಿ ಮುಗಿಯುವ ವೇಳೆಗೆ ಒಂದು ಪಾವತಿ ಬಂದಿದೆ: ಹಣವನ್ನು ಗ್ರಾಹಕರಿಗೆ ಹಿಂತಿರುಗಿಸಲಾಗುವುದು.',
  cancelled: 'ಪಾವತಿಯನ್ನು ರದ್ದುಗೊಳಿಸಲಾಗಿದೆ.',
  cancelOutcome: (outcome, refundRequested) => {
    if (outcome === 'RefundApplicable') return 'ಗ್ರಾಹಕರು ಈಗಾಗಲೇ ಪಾವತಿಸಿದ್ದರು: ಹಣವನ್ನು ಅವರಿಗೆ ಹಿಂತಿರುಗಿಸಲಾಗುತ್ತಿದೆ.';
    if (outcome === 'RefundApplicableButNotRequested') return 'ಗ್ರಾಹಕರು ಈಗಾಗಲೇ ಪಾವತಿಸಿದ್ದರು ಮತ್ತು ಮರುಪಾವತಿಗೆ ವಿನಂತಿಸಿಲ್ಲ.';
    if (outcome === 'Approved') return 'ಗ್ರಾಹಕರಿಂದ ಯಾವುದೇ ಹಣ ಕಡಿತವಾಗಿಲ್ಲ.';
    return refundRequested ? 'ಮರುಪಾವತಿಗೆ ವಿನಂತಿಸಲಾಗಿದೆ.' : 'ಮರುಪಾವತಿಗೆ ವಿನಂತಿಸಿಲ್ಲ.';
  },
  latePayment: (refund) => {
    if (refund === 'Approved') return 'ಆರ್ಡರ್ ಮುಗಿದ ನಂತರ ಒಂದು ಪಾವತಿ ಬಂದಿದೆ: ಹಣವನ್ನು ಗ್ರಾಹಕರಿಗೆ ಹಿಂತಿರುಗಿಸಲಾಗಿದೆ.';
    if (refund === 'Declined') {
      return 'ಆರ್ಡರ್ ಮುಗಿದ ನಂತರ ಒಂದು ಪಾವತಿ ಬಂದಿದೆ, ಆದರೆ ಮರುಪಾವತಿ ತಿರಸ್ಕೃತವಾಗಿದೆ: ಗ್ರಾಹಕರಿಗೆ ಬೇರೆ ರೀತಿಯಲ್ಲಿ ಹಣ ಹಿಂತಿರುಗಿಸಿ.';
    }
    return 'ಆರ್ಡರ್ ಮುಗಿದ ನಂತರ ಒಂದು ಪಾವತಿ ಬಂದಿದೆ: ಹಣವನ್ನು ಗ್ರಾಹಕರಿಗೆ ಹಿಂತಿರುಗಿಸಲಾಗುತ್ತಿದೆ.';
  },
  regenerating: 'ಹೊಸ QR ಕೋಡ್ ಸಿದ್ಧವಾಗುತ್ತಿದೆ…',
  mirrorWaiting: 'ಕ್ಯಾಷಿಯರ್ ಪಾವತಿ ಪ್ರಾರಂಭಿಸುವುದಕ್ಕಾಗಿ ಕಾಯಲಾಗುತ್ತಿದೆ…',
  sandbox: 'ಸ್ಯಾಂಡ್‌ಬಾಕ್ಸ್ — ನಿಜವಾದ ಹಣವಲ್ಲ',
  failed: 'ಪಾವತಿ ವಿಫಲವಾಗಿದೆ. ಮತ್ತೆ ಪ್ರಯತ್ನಿಸಲು ಹೊಸ ಆರ್ಡರ್ ಪ್ರಾರಂಭಿಸಿ.',
  invalid: 'ಈ ಪಾವತಿಯನ್ನು ಪ್ರಾರಂಭಿಸಲು ಸಾಧ್ಯವಿಲ್ಲ:',
  error: 'ಏನೋ ತಪ್ಪಾಗಿದೆ:',
  cancelButton: 'ಪಾವತಿ ರದ್ದುಗೊಳಿಸಿ',
  retryButton: 'ಮತ್ತೆ ಪ್ರಯತ್ನಿಸಿ',
  payOnDevice: 'UPI ಆ್ಯಪ್ ಮೂಲಕ ಪಾವತಿಸಿ',
};
