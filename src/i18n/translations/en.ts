/** English copy: the fallback for any language the element does not know. */
import { type Copy, minutesOrSeconds } from '../copy.js';

export const en: Copy = {
  locale: 'en-IN',
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
  stillTrying:
    'The payment server cannot be reached. Still trying: wait for its answer before taking payment another way.',
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
  latePayment: (refund) => {
    if (refund === 'Approved') return 'A payment arrived after the order ended: it has been refunded to the customer.';
    if (refund === 'Declined') {
      return 'A payment arrived after the order ended and the refund was declined: pay the customer back another way.';
    }
    return 'A payment arrived after the order ended: it is being refunded to the customer.';
  },
  regenerating: 'Making a new QR code…',
  mirrorWaiting: 'Waiting for the cashier to start the payment…',
  sandbox: 'Sandbox — no real money',
  failed: 'The payment failed. Start a new order to try again.',
  invalid: 'This payment cannot start:',
  error: 'Something went wrong:',
  cancelButton: 'Cancel payment',
  retryButton: 'Try again',
  payOnDevice: 'Pay with a UPI app',
};
