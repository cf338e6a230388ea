/**
 * The points of the Amazon Pay India DQR API on which Amazon's own documents disagree or say
 * nothing, and the client's answer to each: a setting with a documented default, and where a wrong
 * guess would break every payment, a fallback that is safe to try.
 */
import { AmazonPayError } from './types.js';

/**
 * Generate QR's expiry field: the parameter tables and Amazon's own 400 message spell it
 * `expiryTimeStamp`, the sample request `expiryTimestamp`.
 */
export const EXPIRY_FIELDS = ['expiryTimeStamp', 'expiryTimestamp'] as const;
/** One spelling of Generate QR's expiry field. */
export type ExpiryField = (typeof EXPIRY_FIELDS)[number];

/** The spelling `field` is not. */
export function otherExpiryField(field: ExpiryField): ExpiryField {
  return field === 'expiryTimeStamp' ? 'expiryTimestamp' : 'expiryTimeStamp';
}

/**
 * Whether Amazon refused a Generate QR sent with `sent` because it wants the other spelling: a 400
 * `InvalidArguments` whose message names it (such as "expiryTimeStamp field is mandatory, cannot
 * be null or blank"). A 400 creates no QR, so the same call may be made again with that spelling.
 */
export function wantsOtherExpiryField(error: unknown, sent: ExpiryField): boolean {
  return (
    error instanceof AmazonPayError &&
    error.status === 400 &&
    error.code === 'InvalidArguments' &&
    error.message.includes(otherExpiryField(sent))
  );
}

/**
 * What the client writes to the customer when a call brings no words of its own: Amazon's in-store
 * pages mark Cancel's `noteToCustomer` and Refund's `noteToCustomer` and `softDescriptor` mandatory.
 */
export const DEFAULT_NOTES = {
  cancelNote: 'Payment cancelled at the counter',
  refundNote: 'Refund of a late payment',
  softDescriptor: 'Late payment',
} as const;

/**
 * The longest each note may be, in characters: Refund's two fields take 200 (Amazon's refund page);
 * Cancel documents no limit, so its note keeps the contract's 100.
 */
export const NOTE_LIMITS: Record<keyof typeof DEFAULT_NOTES, number> = {
  cancelNote: 100,
  refundNote: 200,
  softDescriptor: 200,
};

/** Printable text in any script: no control characters, bidi overrides or unassigned code points. */
const PRINTABLE = /^(?:[^\p{C}]|\u200c|\u200d)+$/u;

/** Why `text` cannot be sent as a note of at most `limit` characters, or undefined when it can. */
export function noteProblem(text: string, limit: number): string | undefined {
  if (!PRINTABLE.test(text)) return 'must be printable text, without control or direction characters';
  const length = [...text].length;
  return length > limit ? `must be at most ${limit} characters (it has ${length})` : undefined;
}
