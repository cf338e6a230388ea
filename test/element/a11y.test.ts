import { expect } from '@open-wc/testing';
import { useTestClock } from '../mocks/clock.js';
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
    // Create is retried for a minute before the retry button shows.
    backend.down = true;
    const clock = useTestClock();
    const failing = await mount({ orderId: 'ORD-3' });
    await clock.until(() => failing.status === 'error', 70_000, 1000);
    clock.restore(); // axe runs on timers
    await untilStatus(failing, 'error');
    await expect(failing).to.be.accessible();
  });
});
