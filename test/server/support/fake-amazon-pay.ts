import type {
  AmazonPayClient,
  CancelInput,
  CancelQrResult,
  GenerateQrInput,
  GenerateQrResult,
  RefundInput,
  RefundResult,
  StatusResult,
} from '../../../src/server/amazon-pay/types.js';

/**
 * An Amazon Pay client for unit tests of the backend's logic: answers come from what the test
 * sets, and every call is recorded. The HTTP tests use the real client against the sandbox.
 */
export interface FakeAmazonPay extends AmazonPayClient {
  calls: { generateQr: GenerateQrInput[]; getStatus: string[]; cancel: CancelInput[]; refund: RefundInput[] };
  /** What Get status answers for an order (default `PENDING`). */
  status: Map<string, Omit<StatusResult, 'merchantOrderId'>>;
  /** Makes the next calls of one kind fail with `error`. */
  failNext(call: keyof FakeAmazonPay['calls'], error: Error, times?: number): void;
  /** What Cancel answers (default `Approved`). */
  cancelResult: CancelQrResult;
}

export function createFakeAmazonPay(): FakeAmazonPay {
  const failures = new Map<string, Error[]>();
  const calls: FakeAmazonPay['calls'] = { generateQr: [], getStatus: [], cancel: [], refund: [] };
  const status = new Map<string, Omit<StatusResult, 'merchantOrderId'>>();

  async function answer<T>(call: keyof FakeAmazonPay['calls'], result: () => T): Promise<T> {
    await Promise.resolve();
    const error = failures.get(call)?.shift();
    if (error) throw error;
    return result();
  }

  const fake: FakeAmazonPay = {
    calls,
    status,
    cancelResult: { status: 'Approved', amount: '1.00' },
    failNext(call, error, times = 1) {
      failures.set(call, [...(failures.get(call) ?? []), ...Array<Error>(times).fill(error)]);
    },
    generateQr(input) {
      calls.generateQr.push(input);
      return answer('generateQr', (): GenerateQrResult => ({
        tokenId: `TOKEN-${input.orderId}`,
        qrString: `upi://pay?pa=fake%40apl&am=${input.amount}&tr=TOKEN-${input.orderId}`,
      }));
    },
    getStatus(orderId) {
      calls.getStatus.push(orderId);
      return answer('getStatus', () => ({
        merchantOrderId: orderId,
        ...(status.get(orderId) ?? { status: 'PENDING' }),
      }));
    },
    cancel(input) {
      calls.cancel.push(input);
      return answer('cancel', () => fake.cancelResult);
    },
    refund(input) {
      calls.refund.push(input);
      return answer('refund', (): RefundResult => ({
        refundId: input.refundId,
        status: 'Approved',
        amount: input.amount,
      }));
    },
  };
  return fake;
}
