import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { nodeTransport, type Transport } from '../../src/server/amazon-pay/transport.js';
import { AmazonPayError } from '../../src/server/amazon-pay/types.js';
import { sandboxOverHttp } from './support/sandbox-server.js';

/** The signed client against the sandbox over loopback HTTP: the path production takes. */
describe('Amazon Pay client against the sandbox', () => {
  let env: Awaited<ReturnType<typeof sandboxOverHttp>>;
  let serial = 0;
  const nextOrderId = () => `CLIENT-${++serial}`;
  const inTwoMinutes = () => new Date(env.now() + 120_000);

  before(async () => {
    env = await sandboxOverHttp();
  });
  after(() => env.close());

  const rejectsWith = (promise: Promise<unknown>, expected: Partial<AmazonPayError>) =>
    assert.rejects(promise, (error: unknown) => {
      assert.ok(error instanceof AmazonPayError, String(error));
      for (const [key, value] of Object.entries(expected)) assert.equal(error[key as keyof AmazonPayError], value, key);
      return true;
    });

  it('generates a QR: a UPI string for the amount, and a PNG when asked', async () => {
    const orderId = nextOrderId();
    const qr = await env.client().generateQr({
      orderId,
      amount: '1249.50',
      expiresAt: inTwoMinutes(),
      distributionTypes: ['QR_STRING', 'QR_IMAGE'],
    });
    assert.match(qr.tokenId, /^AMZDQR[A-Za-z0-9]{29}$/);
    const upi = new URL(qr.qrString!);
    assert.equal(upi.protocol, 'upi:');
    assert.equal(upi.searchParams.get('am'), '1249.50');
    assert.equal(upi.searchParams.get('cu'), 'INR');
    assert.equal(upi.searchParams.get('tr'), qr.tokenId);
    assert.deepEqual([...Buffer.from(qr.qrImage!, 'base64').subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
  });

  it('follows an order through Get status: PENDING, then SUCCESS with the charge id once paid', async () => {
    const client = env.client();
    const orderId = nextOrderId();
    await client.generateQr({ orderId, amount: '10.00', expiresAt: inTwoMinutes(), distributionTypes: ['QR_STRING'] });
    assert.equal((await client.getStatus(orderId)).status, 'PENDING');
    env.sandbox.pay(orderId, { notify: false });
    const paid = await client.getStatus(orderId);
    assert.equal(paid.status, 'SUCCESS');
    assert.match(paid.amazonChargeId!, /^P04-\d{7}-\d{7}$/);
    assert.equal((await client.getStatus('NEVER-SEEN')).status, 'NO_RECORD_FOUND');
  });

  it("answers the seed's three cancel outcomes, and a second cancel never refunds twice", async () => {
    const client = env.client();
    const [unpaid, refunded, kept] = [nextOrderId(), nextOrderId(), nextOrderId()];
    for (const orderId of [unpaid, refunded, kept]) {
      await client.generateQr({
        orderId,
        amount: '99.00',
        expiresAt: inTwoMinutes(),
        distributionTypes: ['QR_STRING'],
      });
    }
    env.sandbox.pay(refunded, { notify: false });
    env.sandbox.pay(kept, { notify: false });

    const approved = await client.cancel({ orderId: unpaid, reason: 'USER_CANCELLATION', refund: true });
    assert.equal(approved.status, 'Approved');
    assert.equal((await client.getStatus(unpaid)).status, 'TXN_CANCELLED_BEFORE_INITIATE');

    const refund = await client.cancel({
      orderId: refunded,
      reason: 'SESSION_EXPIRED',
      refund: true,
      noteToCustomer: 'Sorry, try again',
    });
    assert.equal(refund.status, 'RefundApplicable');
    assert.match(refund.amazonChargeId!, /^P04-/);
    await client.cancel({ orderId: refunded, reason: 'SESSION_EXPIRED', refund: true });
    assert.equal(env.sandbox.order(refunded)!.refunds.length, 1);
    assert.equal((await client.getStatus(refunded)).status, 'TXN_CANCELLED_AFTER_INITIATE');

    const notRequested = await client.cancel({ orderId: kept, reason: 'USER_CANCELLATION', refund: false });
    assert.equal(notRequested.status, 'RefundApplicableButNotRequested');
    assert.equal(env.sandbox.order(kept)!.refunds.length, 0);
  });

  it('refunds once per refund id and never more than was charged, a cancel with REFUND included', async () => {
    const client = env.client();
    const orderId = nextOrderId();
    await client.generateQr({ orderId, amount: '50.00', expiresAt: inTwoMinutes(), distributionTypes: ['QR_STRING'] });
    const { charge } = env.sandbox.pay(orderId, { notify: false });
    const input = {
      refundId: `R-${orderId}`,
      chargeId: charge!.amazonChargeId,
      chargeIdType: 'AmazonTxnId',
      amount: '30.00',
    } as const;
    const first = await client.refund(input);
    const again = await client.refund(input);
    assert.equal(first.status, 'Approved');
    assert.equal(again.amazonRefundId, first.amazonRefundId);
    assert.equal(env.sandbox.order(orderId)!.refunds.length, 1);
    await rejectsWith(client.refund({ ...input, refundId: `R2-${orderId}` }), {
      kind: 'response',
      status: 400,
      code: 'InvalidArguments',
    });

    await client.cancel({ orderId, reason: 'USER_CANCELLATION', refund: true });
    assert.deepEqual(
      env.sandbox.order(orderId)!.refunds.map((refund) => [refund.via, refund.amount]),
      [
        ['refund-api', '30.00'],
        ['cancel', '20.00'],
      ],
    );
  });

  it("keeps Amazon's code and message: duplicate order, bad expiry, unknown store or terminal", async () => {
    const client = env.client();
    const orderId = nextOrderId();
    const qr = { orderId, amount: '1.00', expiresAt: inTwoMinutes(), distributionTypes: ['QR_STRING'] as const };
    await client.generateQr({ ...qr, distributionTypes: [...qr.distributionTypes] });
    await rejectsWith(client.generateQr({ ...qr, distributionTypes: ['QR_STRING'] }), {
      status: 409,
      code: 'OrderIdAlreadyExists',
      retryable: false,
    });
    await rejectsWith(
      client.generateQr({
        ...qr,
        orderId: nextOrderId(),
        expiresAt: new Date(env.now() + 20_000),
        distributionTypes: ['QR_STRING'],
      }),
      { status: 400, code: 'InvalidArguments' },
    );
    await rejectsWith(
      client.generateQr({ ...qr, orderId: nextOrderId(), storeId: 'NOPE', distributionTypes: ['QR_STRING'] }),
      { status: 404, code: 'IdentifierNotFound' },
    );
    await rejectsWith(
      client.generateQr({
        ...qr,
        orderId: nextOrderId(),
        storeId: 'STORE-T',
        terminalId: 'T9',
        distributionTypes: ['QR_STRING'],
      }),
      { status: 404, code: 'IdentifierNotFound' },
    );
  });

  it('is refused with a wrong secret, an expired signature or a mismatched merchant id', async () => {
    await rejectsWith(env.client({ secretKey: 'wrong' }).getStatus('X'), { status: 401, code: 'AuthorizationFailed' });
    await rejectsWith(env.client({ now: () => env.now() - 16 * 60_000 }).getStatus('X'), {
      status: 401,
      code: 'AuthorizationExpired',
    });
    const rewriteClientId: typeof fetch = (input, init) =>
      fetch(input, {
        ...init,
        headers: { ...(init!.headers as Record<string, string>), 'x-amz-client-id': 'SOMEONE-ELSE' },
      });
    await rejectsWith(env.client({ fetch: rewriteClientId }).getStatus('X'), {
      status: 400,
      code: 'MerchantIdMismatch',
    });
  });

  it('signs with a space separator when configured, which Amazon also accepts', async () => {
    assert.equal((await env.client({ authorizationSeparator: ' ' }).getStatus('X')).status, 'NO_RECORD_FOUND');
  });

  it('never trusts an answer with a forged signature', async () => {
    env.sandbox.faults.set({ badSignature: 1 });
    await rejectsWith(env.client({ retries: 0 }).getStatus('X'), { kind: 'signature', code: 'SignatureInvalid' });
  });

  it('retries Get status through a 5xx burst, but never retries Generate QR', async () => {
    const before = env.sandbox.calls.getStatus;
    env.sandbox.faults.set({ status: 503, count: 2 });
    assert.equal((await env.client().getStatus('X')).status, 'NO_RECORD_FOUND');
    assert.equal(env.sandbox.calls.getStatus, before + 1);

    env.sandbox.faults.set({ status: 503, count: 1 });
    await rejectsWith(
      env.client().generateQr({
        orderId: nextOrderId(),
        amount: '1.00',
        expiresAt: inTwoMinutes(),
        distributionTypes: ['QR_STRING'],
      }),
      { kind: 'response', status: 503, retryable: true },
    );
  });

  it("stops retrying the moment the caller aborts, with the caller's reason", async () => {
    const controller = new AbortController();
    const cashierLeft = new Error('The cashier closed the sale.');
    let calls = 0;
    const failingOnce: typeof fetch = () => {
      calls += 1;
      setTimeout(() => controller.abort(cashierLeft), 0);
      return Promise.resolve(Response.json({ code: 'InternalServerError', message: 'Busy' }, { status: 503 }));
    };
    await assert.rejects(env.client({ fetch: failingOnce }).getStatus('X', controller.signal), cashierLeft);
    assert.equal(calls, 1);
  });

  it("ends a call under way the moment the caller aborts, with the caller's reason, long before its timeout", async () => {
    env.sandbox.faults.set({ hang: 1 });
    const controller = new AbortController();
    const cashierLeft = new Error('The cashier closed the sale.');
    const sent: Transport = (url, init) => {
      setTimeout(() => controller.abort(cashierLeft), 0);
      return nodeTransport(url, init);
    };
    const call = env.client({ fetch: sent, timeoutMs: 600_000, retries: 0 }).getStatus('X', controller.signal);
    await assert.rejects(call, cashierLeft);
    env.sandbox.faults.clear();
  });

  it('refuses, when it is made, a timeout a timer cannot wait (which would end every call at once)', () => {
    for (const timeoutMs of [Number.NaN, 0, -1, 1.5, Infinity, 2 ** 31]) {
      assert.throws(
        () => env.client({ timeoutMs }),
        (error: unknown) => error instanceof RangeError && error.message.includes(`not ${timeoutMs}.`),
        String(timeoutMs),
      );
    }
    assert.ok(env.client({ timeoutMs: 2 ** 31 - 1 }));
  });

  it('gives up on a call that hangs after its timeout, as a retryable timeout', async () => {
    env.sandbox.faults.set({ hang: 1 });
    await rejectsWith(env.client({ timeoutMs: 150, retries: 0 }).getStatus('X'), { kind: 'timeout', retryable: true });
    env.sandbox.faults.clear();
  });

  it('reports an unreachable Amazon as a network error, the failure underneath as its cause', async () => {
    await rejectsWith(env.client({ baseUrl: 'http://127.0.0.1:9/sandbox', retries: 0 }).getStatus('X'), {
      kind: 'network',
      retryable: true,
      requestId: undefined,
    });
    await assert.rejects(
      env.client({ baseUrl: 'http://127.0.0.1:9/sandbox', retries: 0 }).getStatus('X'),
      (error: AmazonPayError) => (error.cause as NodeJS.ErrnoException).code === 'ECONNREFUSED',
    );
  });

  it("keeps Amazon's request id on a refusal and on an answer whose signature does not verify", async () => {
    const requestId = /^[0-9a-f-]{36}$/;
    env.sandbox.faults.set({ status: 500 });
    await assert.rejects(env.client({ retries: 0 }).getStatus('X'), (error: AmazonPayError) => {
      assert.deepEqual([error.kind, error.status], ['response', 500]);
      assert.match(error.requestId!, requestId);
      return true;
    });
    env.sandbox.faults.set({ badSignature: 1 });
    await assert.rejects(env.client({ retries: 0 }).getStatus('X'), (error: AmazonPayError) => {
      assert.deepEqual([error.kind, error.status, error.retryable], ['signature', 200, false]);
      assert.match(error.requestId!, requestId);
      return true;
    });
  });
});
