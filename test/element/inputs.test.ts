import { expect } from '@open-wc/testing';
import { useFakeBackend } from '../mocks/worker.js';
import { type Setup, eventsOf, mount, statusText, untilStatus } from './helpers.js';

const bad: [string, Setup, RegExp][] = [
  ['no endpoint', { endpoint: '' }, /endpoint is required/],
  ['no order id', { orderId: '' }, /orderId is required/],
  ['an order id of 36 characters', { orderId: 'A'.repeat(36) }, /orderId must be 1 to 35/],
  ['an order id with a space', { orderId: 'ORD 1' }, /orderId must be 1 to 35/],
  ['an order id with a slash', { orderId: 'ORD/1' }, /orderId must be 1 to 35/],
  ['no amount', { amount: '' }, /amount is required/],
  ['an amount of zero', { amount: '0.00' }, /at least 0.01/],
  ['three decimals', { amount: '1.234' }, /at most two decimals/],
  ['a negative amount', { amount: '-5' }, /at most two decimals/],
  ['words for an amount', { amount: 'ten' }, /at most two decimals/],
  ['a currency other than INR', { currency: 'USD' }, /currency must be "INR"/],
  ['an expiry under 60 s', { expiresIn: 59 }, /expiresIn must be a whole number of seconds from 60 to 600/],
  ['an expiry over 600 s', { expiresIn: 601 }, /expiresIn must be/],
  ['a fractional expiry', { expiresIn: 90.5 }, /expiresIn must be/],
  ['an unknown format', { format: 'pdf' as 'auto' }, /format must be/],
];

describe('inputs', () => {
  for (const [name, setup, message] of bad) {
    it(`refuses ${name}: a message, an error event, no request`, async () => {
      const backend = await useFakeBackend();
      const element = await mount(setup);
      await untilStatus(element, 'invalid');
      await element.updateComplete;
      expect(statusText(element)).to.match(message);
      expect(eventsOf(element)).to.deep.equal(['error:INVALID_INPUT']);
      expect(backend.requests).to.deep.equal([]);
    });
  }

  it('accepts the edges: 35 characters, 0.01, 60 and 600 s, and passes store and terminal through', async () => {
    const backend = await useFakeBackend();
    const element = await mount({
      orderId: 'a-Z_9'.repeat(7),
      amount: '0.01',
      expiresIn: 600,
      storeId: 'S1',
      terminalId: 'T3',
    });
    await untilStatus(element, 'pending');
    expect(backend.seenOf('create')[0].body).to.deep.include({ expiresIn: 600, storeId: 'S1', terminalId: 'T3' });
    const short = await mount({ orderId: 'ORD-60', expiresIn: 60 });
    await untilStatus(short, 'pending');
  });

  it('starts once the host fixes a bad input', async () => {
    await useFakeBackend();
    const element = await mount({ amount: '' });
    await untilStatus(element, 'invalid');
    element.amount = '10';
    await untilStatus(element, 'pending');
  });
});
