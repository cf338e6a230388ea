/** Steps the job tests share: time passing on the stack's clock, a late payment. */
import assert from 'node:assert/strict';
import type { OrderView } from '../../../src/contract/types.js';
import { qrTerms } from './http-app.js';
import type { InProcessStack } from './in-process-stack.js';

/** Moves the clock `ms` in steps, letting the backend finish what each step made due. */
export async function pass(stack: InProcessStack, ms: number, step = 1_000) {
  for (let passed = 0; passed < ms; passed += step) {
    stack.advance(Math.min(step, ms - passed));
    await stack.idle();
  }
}

/** An order cancelled before anyone paid, then paid: a late payment the backend owes a refund. */
export async function latePayment(stack: InProcessStack, orderId: string) {
  assert.equal((await stack.call('POST', '/qr', qrTerms(orderId))).status, 201);
  const cancelled = await stack.call('POST', `/qr/${orderId}/cancel`, { reason: 'USER_CANCELLATION', refund: true });
  assert.equal((cancelled.body as unknown as OrderView).cancel?.outcome, 'Approved');
  stack.sandbox.pay(orderId);
  await stack.idle();
}
