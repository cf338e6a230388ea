/**
 * The shape of one language's copy: every word the element shows. Each shipped language's words are
 * plain data in `translations/`; merchants add theirs with `AmazonPayDqr.addLanguage`.
 */
import type { CancelOutcome, LateRefundStatus } from '../contract/types.js';

/** The strings of one language. */
export interface Copy {
  /** BCP 47 locale for amounts and the timer's digits, e.g. `hi-IN`. */
  locale: string;
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
  /** Past the deadline, the backend cannot be reached: the element keeps asking. */
  stillTrying: string;
  paid: string;
  expired: string;
  expiredLatePayment: string;
  cancelled: string;
  cancelOutcome(outcome: CancelOutcome | undefined, refundRequested: boolean): string;
  /** A payment arrived after the order ended and the backend refunds it. */
  latePayment(refund: LateRefundStatus): string;
  /** The QR expired and a fresh one is on its way. */
  regenerating: string;
  /** A customer display before the cashier's element has said anything. */
  mirrorWaiting: string;
  /** The mark on an order of the sandbox: nothing is paid for real. */
  sandbox: string;
  failed: string;
  invalid: string;
  error: string;
  cancelButton: string;
  retryButton: string;
  /** The link that opens the phone's UPI apps with this payment (`pay-on-device`). */
  payOnDevice: string;
}

/** Whole minutes from a minute up, seconds below: how the live region reads the time left. */
export function minutesOrSeconds(seconds: number, minutes: (n: number) => string, secs: (n: number) => string): string {
  return seconds >= 60 ? minutes(Math.round(seconds / 60)) : secs(seconds);
}
