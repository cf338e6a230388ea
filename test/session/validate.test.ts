import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_EXPIRES_IN } from '../../src/contract/rules.js';
import { ContractError } from '../../src/session/errors.js';
import { EXPIRY_MARGIN_MS, MAX_CLOCK_GAP_MS, parseOrderView } from '../../src/session/validate.js';

const SERVER = Date.parse('2025-01-01T10:00:00Z');
const LONGEST = MAX_EXPIRES_IN * 1000 + EXPIRY_MARGIN_MS;

/** A pending order as the backend sends it, its server clock at `SERVER` and its expiry `lifeMs` later. */
function answer(lifeMs: number, serverTime = SERVER) {
  return {
    orderId: 'ORD-1',
    mode: 'production',
    status: 'pending',
    amount: '249.00',
    currency: 'INR',
    expiresAt: new Date(serverTime + lifeMs).toISOString(),
    serverTime: new Date(serverTime).toISOString(),
    qrString: 'upi://pay?pa=a@b',
  };
}

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof ContractError);
    assert.equal(error.code, 'INVALID_RESPONSE');
    return error.message;
  }
  assert.fail('the answer was accepted');
}

describe('the server times an answer may carry', () => {
  it(`takes an expiry up to ${MAX_EXPIRES_IN} s and the margin after the server's clock, and refuses a millisecond more`, () => {
    assert.equal(parseOrderView(answer(LONGEST), SERVER).expiresAt, new Date(SERVER + LONGEST).toISOString());
    assert.match(
      refusal(() => parseOrderView(answer(LONGEST + 1), SERVER)),
      /expiresAt is more than 600 s after serverTime/,
    );
  });

  it('refuses the year 9999 as an expiry, and takes one already past (an expired order looked up later)', () => {
    const farOff = { ...answer(0), expiresAt: '9999-12-31T23:59:59Z' };
    assert.match(
      refusal(() => parseOrderView(farOff, SERVER)),
      /expiresAt/,
    );
    assert.equal(parseOrderView({ ...answer(-86_400_000), status: 'expired' }, SERVER).status, 'expired');
  });

  it('takes a server clock up to a day from the page clock either way, and refuses one a millisecond further', () => {
    for (const gap of [MAX_CLOCK_GAP_MS, -MAX_CLOCK_GAP_MS]) {
      assert.equal(parseOrderView(answer(300_000), SERVER + gap).status, 'pending');
      const off = SERVER + gap + Math.sign(gap);
      assert.match(
        refusal(() => parseOrderView(answer(300_000), off)),
        /serverTime is more than a day from this clock/,
      );
    }
  });

  it('refuses a server clock of 1970', () => {
    const epoch = { ...answer(300_000, 0) };
    assert.match(
      refusal(() => parseOrderView(epoch, SERVER)),
      /serverTime/,
    );
  });
});
