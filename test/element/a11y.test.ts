import { expect } from '@open-wc/testing';
import { useFakeBackend } from '../mocks/worker.js';
import { mount, untilStatus } from './helpers.js';

describe('accessibility', () => {
  it('is accessible while loading, showing the QR, paid and cancelled', async () => {
    const backend = await useFakeBackend();
    const element = await mount();
    await expect(element).to.be.accessible();
    await untilStatus(element, 'pending');
    await expect(element).to.be.accessible();
    backend.pay('ORD-1042');
    await untilStatus(element, 'paid');
    await expect(element).to.be.accessible();
    const other = await mount({ orderId: 'ORD-2' });
    await untilStatus(other, 'pending');
    await other.cancel();
    await untilStatus(other, 'cancelled');
    await expect(other).to.be.accessible();
  });

  it('is accessible with bad inputs and after an error with a retry button', async () => {
    const backend = await useFakeBackend();
    const invalid = await mount({ amount: 'x' });
    await untilStatus(invalid, 'invalid');
    await expect(invalid).to.be.accessible();
    backend.failWith('create', 503);
    const failing = await mount({ orderId: 'ORD-3' });
    await untilStatus(failing, 'error');
    await expect(failing).to.be.accessible();
  });
});
