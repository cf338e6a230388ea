import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HttpError } from '../../src/server/backend/errors.js';
import { createBackend } from '../../src/server/backend/index.js';
import { backendUnderTest, order } from './support/backend-under-test.js';
import { createFakeAmazonPay } from './support/fake-amazon-pay.js';
import { qrTerms, startHttpApp, type Answer, type HttpApp } from './support/http-app.js';
import { tokensFile } from './support/terminal-tokens.js';

const CANCEL = { reason: 'USER_CANCELLATION', refund: true };

/**
 * The backend with built-in terminal tokens, over real HTTP, tried as a stranger on the shop's
 * network and as another till would: every refusal is a 401 or 403 before Amazon is asked anything.
 */
describe('terminal tokens over HTTP', () => {
  const terminals = tokensFile([
    { terminalId: 'till-1', storeId: 'STORE-A' },
    { terminalId: 'till-2', storeId: 'STORE-A' },
    { terminalId: 'manager', storeId: 'STORE-A', permissions: ['cancel-without-refund', 'store-orders'] },
    { terminalId: 'till-9', storeId: 'STORE-B', permissions: ['store-orders'] },
  ]);
  const { as } = terminals;
  let server: HttpApp;
  before(async () => {
    server = await startHttpApp({ DQR_TERMINAL_TOKENS_FILE: terminals.file });
  });
  after(() => server.close());

  /** Runs `call` and asserts it was refused with `status` and nothing reached Amazon. */
  async function refused(call: () => Promise<Answer>, status: 401 | 403) {
    const before = server.upstreamCalls();
    const answer = await call();
    assert.equal(answer.status, status, JSON.stringify(answer.body));
    assert.equal(answer.body.code, status === 401 ? 'UNAUTHORIZED' : 'FORBIDDEN');
    assert.equal(answer.body.qrString, undefined);
    assert.equal(server.upstreamCalls(), before, 'nothing reached Amazon');
    return answer;
  }

  it('refuses a stranger (no token, a wrong one, a bare hash) before reading anything', async () => {
    await server.call('POST', '/qr', qrTerms('A-1'), as('till-1'));
    const missing = await refused(() => server.call('GET', '/qr/A-1'), 401);
    assert.equal(missing.headers.get('www-authenticate'), 'Bearer realm="amazonpay-dqr"');
    const forged = `${terminals.token('till-1').slice(0, -2)}xx`;
    for (const authorization of [
      `Bearer ${forged}`,
      'Bearer',
      'Basic dGlsbC0xOnNlY3JldA==',
      terminals.token('till-1'),
    ]) {
      await refused(() => server.call('GET', '/qr/A-1', undefined, { authorization }), 401);
    }
    await refused(() => server.call('POST', '/qr', qrTerms('A-2')), 401);
    await refused(() => server.call('POST', '/qr', '{not json'), 401);
    await refused(() => server.call('POST', '/qr/A-1/cancel', CANCEL), 401);
    assert.equal(server.sandbox.order('A-2'), undefined);
    assert.equal((await server.call('GET', '/qr/A-1', undefined, as('till-1'))).body.status, 'pending');
  });

  it('lets no stranger enumerate orders: every guessed id is a 401, QR or not', async () => {
    for (let n = 1; n <= 5; n += 1) await server.call('POST', '/qr', qrTerms(`ORD-ENUM-${n}`), as('till-1'));
    for (let n = 1; n <= 25; n += 1) await refused(() => server.call('GET', `/qr/ORD-ENUM-${n}`), 401);
  });

  it('gives another terminal nothing of an order: not its QR, its status, a resume or a cancel', async () => {
    const created = await server.call('POST', '/qr', qrTerms('B-1'), as('till-1'));
    assert.equal(created.status, 201);
    await refused(() => server.call('GET', '/qr/B-1', undefined, as('till-2')), 403);
    await refused(() => server.call('GET', '/qr/B-1?wait=5', undefined, as('till-2')), 403);
    await refused(() => server.call('POST', '/qr', qrTerms('B-1'), as('till-2')), 403);
    await refused(() => server.call('POST', '/qr', qrTerms('B-1', { amount: '1.00' }), as('till-2')), 403);
    await refused(() => server.call('POST', '/qr/B-1/cancel', CANCEL, as('till-2')), 403);
    assert.equal(server.sandbox.order('B-1')?.status, 'PENDING');
    const own = await server.call('POST', '/qr', qrTerms('B-1'), as('till-1'));
    assert.equal(own.status, 200);
    assert.equal(own.body.qrString, created.body.qrString);
  });

  it('refuses a create that names another terminal or store', async () => {
    await refused(() => server.call('POST', '/qr', qrTerms('C-1', { terminalId: 'till-2' }), as('till-1')), 403);
    await refused(() => server.call('POST', '/qr', qrTerms('C-2', { storeId: 'STORE-B' }), as('till-1')), 403);
    assert.equal(server.sandbox.order('C-1'), undefined);
  });

  it('cancels with refund: false only for a terminal allowed to, so a paid customer is refunded otherwise', async () => {
    await server.call('POST', '/qr', qrTerms('D-1'), as('till-1'));
    server.sandbox.pay('D-1', { notify: false });
    await refused(
      () => server.call('POST', '/qr/D-1/cancel', { reason: 'USER_CANCELLATION', refund: false }, as('till-1')),
      403,
    );
    assert.equal(server.sandbox.order('D-1')?.cancel, undefined);
    const refunded = await server.call('POST', '/qr/D-1/cancel', CANCEL, as('till-1'));
    assert.deepEqual(refunded.body.cancel, { outcome: 'RefundApplicable', refund: true });

    await server.call('POST', '/qr', qrTerms('D-2'), as('till-2'));
    server.sandbox.pay('D-2', { notify: false });
    const kept = await server.call(
      'POST',
      '/qr/D-2/cancel',
      { reason: 'USER_CANCELLATION', refund: false },
      as('manager'),
    );
    assert.equal(kept.status, 200);
    assert.deepEqual(kept.body.cancel, { outcome: 'RefundApplicableButNotRequested', refund: false });
  });

  it("lets a terminal with store-orders see its own store's orders, and no other store's", async () => {
    await server.call('POST', '/qr', qrTerms('E-1'), as('till-2'));
    assert.equal((await server.call('GET', '/qr/E-1', undefined, as('manager'))).status, 200);
    await refused(() => server.call('GET', '/qr/E-1', undefined, as('till-9')), 403);
  });
});

describe('terminals when the backend is mounted in code', () => {
  it('refuses to create a production backend that cannot tell terminals apart', () => {
    assert.throws(() => createBackend({ client: createFakeAmazonPay() }), /terminals.*authorize/);
    assert.throws(() => createBackend({ client: createFakeAmazonPay(), mode: 'production' }), TypeError);
  });

  it('binds orders to the caller an authorize hook names, exactly as for tokens', async () => {
    const { call, client } = backendUnderTest({
      mode: 'production',
      authorize: (request) => {
        const cashier = request.headers.get('x-cashier');
        if (!cashier) throw new HttpError(401, 'UNAUTHORIZED', 'Sign in first.');
        return { terminalId: cashier, storeId: 'S1', permissions: cashier === 'boss' ? ['store-orders'] : [] };
      },
    });
    assert.equal((await call('POST', '/qr', order('H-1'), { 'x-cashier': 'anna' })).status, 201);
    assert.equal((await call('GET', '/qr/H-1')).status, 401);
    assert.equal((await call('GET', '/qr/H-1', undefined, { 'x-cashier': 'ravi' })).status, 403);
    assert.equal((await call('POST', '/qr/H-1/cancel', CANCEL, { 'x-cashier': 'ravi' })).status, 403);
    assert.equal((await call('GET', '/qr/H-1', undefined, { 'x-cashier': 'boss' })).status, 200);
    const refundless = { reason: 'USER_CANCELLATION', refund: false };
    assert.equal((await call('POST', '/qr/H-1/cancel', refundless, { 'x-cashier': 'anna' })).status, 403);
    assert.deepEqual(client.calls.cancel, []);
    assert.equal((await call('POST', '/qr/H-1/cancel', CANCEL, { 'x-cashier': 'anna' })).status, 200);
  });

  it('reports a hook that names a malformed caller as a server fault, not as a caller', async () => {
    const { call, errors } = backendUnderTest({ authorize: () => ({ terminalId: 'till 1' }) });
    assert.equal((await call('POST', '/qr', order('H-2'))).status, 500);
    assert.match(String(errors[0]), /terminalId/);
  });
});
