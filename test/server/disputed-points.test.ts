import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_NOTES, EXPIRY_FIELDS, otherExpiryField } from '../../src/server/amazon-pay/compatibility.js';
import { AmazonPayError } from '../../src/server/amazon-pay/types.js';
import type { SandboxStrictness } from '../../src/server/sandbox/index.js';
import { RESPONSE_VARIANTS } from '../../src/server/signing.js';
import { qrTerms, startHttpApp } from './support/http-app.js';
import { recordingLogger, WARN } from './support/recording-logger.js';
import { generateQrBody, MERCHANT, sandboxOverHttp } from './support/sandbox-server.js';
import { until } from './support/store-wait.js';

/**
 * The points Amazon's documents disagree on, each played strictly by the sandbox one way and the
 * other: the signed client copes with every reading, and the whole backend takes payments,
 * cancels and late-payment refunds against every combination of them.
 */
type Env = Awaited<ReturnType<typeof sandboxOverHttp>>;

/** Runs `test` against a sandbox as strict as `strict`, closing it after. */
async function withSandbox(strict: SandboxStrictness, test: (env: Env) => Promise<void>) {
  const env = await sandboxOverHttp({ strict });
  try {
    await test(env);
  } finally {
    await env.close();
  }
}

let serial = 0;
const qr = (env: Env, orderId = `DP-${++serial}`) => ({
  orderId,
  amount: '50.00',
  expiresAt: new Date(env.now() + 120_000),
  distributionTypes: ['QR_STRING' as const],
});

/** A QR made through `client` and paid by the customer, without a notification. */
async function paidOrder(env: Env, client: ReturnType<Env['client']>) {
  const order = qr(env);
  await client.generateQr(order);
  return { ...order, charge: env.sandbox.pay(order.orderId, { notify: false }).charge! };
}

const rejectsWith = (promise: Promise<unknown>, expected: Partial<AmazonPayError>) =>
  assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof AmazonPayError, String(error));
    for (const [key, value] of Object.entries(expected)) assert.equal(error[key as keyof AmazonPayError], value, key);
    return true;
  });

describe('Generate QR expiry field', () => {
  for (const wanted of EXPIRY_FIELDS) {
    for (const configured of EXPIRY_FIELDS) {
      it(`Amazon wanting ${wanted}, the client set to ${configured}: one extra call at most, then ${wanted}`, () =>
        withSandbox({ expiryField: wanted }, async (env) => {
          const { logger, lines } = recordingLogger();
          const client = env.client({ expiryField: configured, logger });
          const calls = () => env.sandbox.calls.generateQr;
          const qrString = (await client.generateQr(qr(env))).qrString;
          assert.match(qrString!, /^upi:\/\/pay\?/);
          assert.equal(calls(), wanted === configured ? 1 : 2);
          await client.generateQr(qr(env));
          assert.equal(calls(), wanted === configured ? 2 : 3, 'the spelling that worked is kept');
          assert.equal(client.findings().expiryField, wanted);
          const warnings = lines.filter((line) => line.level === WARN);
          assert.equal(warnings.length, wanted === configured ? 0 : 1);
          if (wanted !== configured) assert.match(warnings[0].msg, new RegExp(`AMAZON_PAY_EXPIRY_FIELD=${wanted}$`));

          const another = env.client({ expiryField: configured, logger: recordingLogger().logger });
          await another.generateQr(qr(env));
          assert.equal(calls(), wanted === configured ? 3 : 5, 'each client learns for itself');
        }));
    }
  }

  it("answers Amazon's own 400 for the other spelling, and a lenient sandbox takes either", async () => {
    await withSandbox({ expiryField: 'expiryTimeStamp' }, async (env) => {
      const body = generateQrBody(env.now());
      const refused = await env.signedCall('/v2/pay/token', { body });
      assert.equal(refused.status, 400);
      assert.deepEqual(await refused.json(), {
        code: 'InvalidArguments',
        message: ' expiryTimeStamp field is mandatory, cannot be null or blank',
      });
    });
    await withSandbox({}, async (env) => {
      for (const expiryField of EXPIRY_FIELDS) {
        const client = env.client({ expiryField });
        await client.generateQr(qr(env));
        assert.equal(client.findings().expiryField, expiryField);
      }
    });
  });

  it('never retries a 400 about the spelling it sent: that refusal is about the value', () =>
    withSandbox({ expiryField: 'expiryTimestamp' }, async (env) => {
      const client = env.client({ expiryField: 'expiryTimestamp' });
      await rejectsWith(client.generateQr({ ...qr(env), expiresAt: new Date(env.now() + 20_000) }), {
        status: 400,
        code: 'InvalidArguments',
      });
      assert.equal(env.sandbox.calls.generateQr, 1);
      assert.equal(client.findings().expiryField, 'expiryTimestamp');
      assert.equal(otherExpiryField('expiryTimestamp'), 'expiryTimeStamp');
    }));
});

describe('notes Amazon marks mandatory', () => {
  it('a strict sandbox refuses Cancel and Refund without them; the client always sends its defaults', () =>
    withSandbox({ requireNotes: true }, async (env) => {
      const client = env.client();
      const cancelled = qr(env);
      await client.generateQr(cancelled);
      const bare = await env.signedCall('/v2/pay/cancel', {
        body: {
          cancelIntent: ['CANCEL_TOKEN'],
          cancellationReason: 'USER_CANCELLATION',
          chargeId: cancelled.orderId,
          chargeIdType: 'MerchantTxnId',
          merchantId: MERCHANT.merchantId,
        },
      });
      assert.equal(bare.status, 400);
      assert.match(((await bare.json()) as { message: string }).message, /^noteToCustomer field is mandatory/);
      await client.cancel({ orderId: cancelled.orderId, reason: 'USER_CANCELLATION', refund: true });
      assert.equal(env.sandbox.order(cancelled.orderId)!.cancel!.noteToCustomer, DEFAULT_NOTES.cancelNote);

      const paid = await paidOrder(env, client);
      const refund = { chargeId: paid.charge.amazonChargeId, chargeIdType: 'AmazonTxnId', amount: '10.00' } as const;
      const noDescriptor = await env.signedCall('/v1/payments/refund', {
        body: {
          merchantId: MERCHANT.merchantId,
          currencyCode: 'INR',
          refundId: 'R-BARE',
          noteToCustomer: 'x',
          ...refund,
        },
      });
      assert.equal(noDescriptor.status, 400);
      assert.match(((await noDescriptor.json()) as { message: string }).message, /^softDescriptor field is mandatory/);
      assert.equal((await client.refund({ ...refund, refundId: 'R-DEFAULT' })).status, 'Approved');
      const [entry] = env.sandbox.order(paid.orderId)!.refunds;
      assert.deepEqual(
        [entry.noteToCustomer, entry.softDescriptor],
        [DEFAULT_NOTES.refundNote, DEFAULT_NOTES.softDescriptor],
      );
    }));

  it("sends the merchant's own words in the merchant's language, and a caller's note before them", () =>
    withSandbox({ requireNotes: true }, async (env) => {
      const notes = {
        cancelNote: 'काउंटर पर भुगतान रद्द किया गया',
        refundNote: 'देर से आए भुगतान की वापसी',
        softDescriptor: 'দেরিতে পেমেন্ট',
      };
      const client = env.client(notes);
      const [byDefault, byCashier, refunded] = [qr(env), qr(env), qr(env)];
      for (const order of [byDefault, byCashier, refunded]) await client.generateQr(order);
      await client.cancel({ orderId: byDefault.orderId, reason: 'SESSION_EXPIRED', refund: true });
      await client.cancel({
        orderId: byCashier.orderId,
        reason: 'USER_CANCELLATION',
        refund: true,
        noteToCustomer: 'Paid in cash',
      });
      assert.equal(env.sandbox.order(byDefault.orderId)!.cancel!.noteToCustomer, notes.cancelNote);
      assert.equal(env.sandbox.order(byCashier.orderId)!.cancel!.noteToCustomer, 'Paid in cash');
      env.sandbox.pay(refunded.orderId, { notify: false });
      await client.refund({
        refundId: 'R-HI',
        chargeId: refunded.orderId,
        chargeIdType: 'MerchantTxnId',
        amount: '50.00',
      });
      const [entry] = env.sandbox.order(refunded.orderId)!.refunds;
      assert.deepEqual([entry.noteToCustomer, entry.softDescriptor], [notes.refundNote, notes.softDescriptor]);
    }));
});

describe('Get-status verification', () => {
  for (const variant of RESPONSE_VARIANTS) {
    it(`verifies answers signed with ${variant}, remembers it and says so once`, () =>
      withSandbox({ getSignature: variant }, async (env) => {
        const { logger, lines } = recordingLogger();
        const client = env.client({ logger });
        assert.equal((await client.getStatus('NEVER-SEEN')).status, 'NO_RECORD_FOUND');
        assert.equal((await client.getStatus('NEVER-SEEN-2')).status, 'NO_RECORD_FOUND');
        assert.equal(client.findings().getVerification, variant);
        const said = lines.filter((line) => line.getVerification !== undefined);
        assert.deepEqual(
          said.map((line) => line.getVerification),
          [variant],
        );
        const others = RESPONSE_VARIANTS.filter((other) => other !== variant);
        await rejectsWith(env.client({ getVerification: others, retries: 0 }).getStatus('X'), {
          kind: 'signature',
          code: 'SignatureInvalid',
        });
        const narrowed = env.client({ getVerification: [variant] });
        assert.equal((await narrowed.getStatus('X')).status, 'NO_RECORD_FOUND');
      }));
  }
});

describe('Authorization separator', () => {
  for (const separator of ['+', ' '] as const) {
    it(`a sandbox accepting only "${separator}" refuses the other with 401 AuthorizationFailed`, () =>
      withSandbox({ authorizationSeparator: separator }, async (env) => {
        const other = separator === '+' ? ' ' : '+';
        assert.equal(
          (await env.client({ authorizationSeparator: separator }).getStatus('X')).status,
          'NO_RECORD_FOUND',
        );
        await rejectsWith(env.client({ authorizationSeparator: other }).getStatus('X'), {
          status: 401,
          code: 'AuthorizationFailed',
        });
      }));
  }
});

describe('Refund answers and signed headers', () => {
  it('takes a Refund answered 201 with amount and refundedFee as JSON numbers', () =>
    withSandbox({ refundCreated: true }, async (env) => {
      const client = env.client();
      const order = await paidOrder(env, client);
      const refund = await client.refund({
        refundId: 'R-201',
        chargeId: order.orderId,
        chargeIdType: 'MerchantTxnId',
        amount: '30.00',
      });
      assert.deepEqual([refund.status, refund.amount], ['Approved', '30.00']);
    }));

  it('sends x-amz-user-agent, x-amz-user-ip and x-amz-expires as configured, and Amazon holds the expiry', () =>
    withSandbox({}, async (env) => {
      const sent: Headers[] = [];
      const recording: typeof fetch = (input, init) => {
        sent.push(new Headers(init?.headers));
        return fetch(input, init);
      };
      const headers = { userAgent: 'KIOSK-7', sourceIp: '10.1.2.3', signatureTtlSeconds: 300 };
      assert.equal((await env.client({ ...headers, fetch: recording }).getStatus('X')).status, 'NO_RECORD_FOUND');
      assert.deepEqual(
        ['x-amz-user-agent', 'x-amz-user-ip', 'x-amz-expires'].map((name) => sent[0].get(name)),
        ['KIOSK-7', '10.1.2.3', '300'],
      );
      const signedAgo = (seconds: number) => env.client({ ...headers, now: () => env.now() - seconds * 1000 });
      assert.equal((await signedAgo(299).getStatus('X')).status, 'NO_RECORD_FOUND');
      await rejectsWith(signedAgo(301).getStatus('X'), { status: 401, code: 'AuthorizationExpired' });
    }));
});

describe('the backend against every combination of the disputed points', () => {
  const combinations: { strict: SandboxStrictness; backendExpiry: string }[] = [];
  for (const expiryField of EXPIRY_FIELDS)
    for (const backendExpiry of EXPIRY_FIELDS)
      for (const requireNotes of [false, true])
        for (const getSignature of RESPONSE_VARIANTS)
          for (const authorizationSeparator of ['+', ' '] as const)
            for (const refundCreated of [false, true])
              combinations.push({
                strict: { expiryField, requireNotes, getSignature, authorizationSeparator, refundCreated },
                backendExpiry,
              });

  for (const { strict, backendExpiry } of combinations) {
    const name = [
      `Amazon wants ${strict.expiryField} (backend set to ${backendExpiry})`,
      strict.requireNotes ? 'notes required' : 'notes optional',
      `Get status signed ${strict.getSignature}`,
      `separator "${strict.authorizationSeparator}"`,
      strict.refundCreated ? 'refund 201' : 'refund 200',
    ].join(', ');
    it(name, { timeout: 30_000 }, async () => {
      const server = await startHttpApp(
        {
          AMAZON_PAY_EXPIRY_FIELD: backendExpiry,
          AMAZON_PAY_AUTH_SEPARATOR: strict.authorizationSeparator === ' ' ? 'space' : '+',
        },
        strict,
      );
      try {
        const created = await server.call('POST', '/qr', qrTerms('MX-PAID'));
        assert.equal(created.status, 201, JSON.stringify(created.body));
        const waiting = server.call('GET', '/qr/MX-PAID?wait=25');
        server.sandbox.pay('MX-PAID');
        assert.equal((await waiting).body.status, 'paid');

        await server.call('POST', '/qr', qrTerms('MX-LATE'));
        const cancelled = await server.call('POST', '/qr/MX-LATE/cancel', {
          reason: 'USER_CANCELLATION',
          refund: true,
        });
        assert.equal(cancelled.body.status, 'cancelled', JSON.stringify(cancelled.body));
        assert.equal(server.sandbox.order('MX-LATE')!.cancel!.noteToCustomer, DEFAULT_NOTES.cancelNote);

        const refunded = until(
          server.store,
          'MX-LATE',
          (record) => record.latePayment?.refundStatus === 'Approved',
          10_000,
        );
        server.sandbox.pay('MX-LATE');
        await refunded.catch((error: Error) => assert.fail(`${error.message}: ${String(server.errors[0])}`));
        const [refund] = server.sandbox.order('MX-LATE')!.refunds;
        assert.deepEqual(
          [refund.noteToCustomer, refund.softDescriptor],
          [DEFAULT_NOTES.refundNote, DEFAULT_NOTES.softDescriptor],
        );
        assert.deepEqual(server.errors, []);
      } finally {
        await server.close();
      }
    });
  }
});
