/**
 * How the sandbox plays each point Amazon's documents disagree on. By default it accepts every
 * reading; each setting makes it hold one reading the way Amazon would, so the backend can be
 * tested against whichever turns out to be Amazon's.
 */
import type { ExpiryField } from '../amazon-pay/compatibility.js';
import type { ResponseVariant } from '../signing.js';

/** The sandbox's reading of each disputed point; an absent setting accepts every reading. */
export interface SandboxStrictness {
  /**
   * The only Generate QR expiry spelling accepted; the other gets Amazon's own 400
   * (`" expiryTimeStamp field is mandatory, cannot be null or blank"`). Default: either.
   */
  expiryField?: ExpiryField;
  /** Refuse a Cancel without `noteToCustomer` and a Refund without it or `softDescriptor`. */
  requireNotes?: boolean;
  /** The only `Authorization` separator accepted (401 `AuthorizationFailed` otherwise). Default: either. */
  authorizationSeparator?: '+' | ' ';
  /** How Get-status answers are signed: method line and line 3. Default `GET` (empty line 3). */
  getSignature?: ResponseVariant;
  /** Answer a Refund with 201 and `amount`/`refundedFee` as JSON numbers, as one Amazon page shows. */
  refundCreated?: boolean;
}
