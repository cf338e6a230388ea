import { expect } from '@open-wc/testing';
import { useFakeBackend } from '../mocks/worker.js';
import { part, statusText, untilStatus } from './helpers.js';
import { container, mountIn, record } from './mount-with.js';

const EVENTS = ['paid', 'expired', 'cancel', 'error', 'late-payment', 'regenerate'];

describe('customer display (mirror)', () => {
  it('shows the cashier’s QR, amount and countdown to a display that joins late, without a backend call', async () => {
    const backend = await useFakeBackend();
    const cashier = mountIn(await container(), { channel: 'counter-3' });
    await untilStatus(cashier, 'pending');
    const display = mountIn(await container(), { mirror: 'counter-3', orderId: '' });
    const displayEvents = record(display, EVENTS);
    await untilStatus(display, 'pending');
    const path = (element: typeof cashier) => part(element, 'qr')!.querySelector('path')!.getAttribute('d');
    expect(path(display)).to.equal(path(cashier));
    expect(part(display, 'amount')!.textContent).to.equal('₹249.00');
    expect(part(display, 'countdown')!.textContent).to.equal(part(cashier, 'countdown')!.textContent);
    expect(part(display, 'cancel-button')).to.equal(null);
    expect(part(cashier, 'cancel-button')).to.not.equal(null);
    expect(backend.seenOf('create')).to.have.length(1);

    backend.pay('ORD-1042');
    await untilStatus(display, 'paid');
    expect(statusText(display)).to.contain('Payment received');
    expect(displayEvents).to.deep.equal([]);
    expect(backend.requests.every((request) => request.orderId === 'ORD-1042')).to.equal(true);
  });

  it('follows a cancel made on the cashier’s screen', async () => {
    await useFakeBackend();
    const display = mountIn(await container(), { mirror: 'counter-4' });
    await display.updateComplete;
    expect(statusText(display)).to.contain('Waiting for the cashier');
    const cashier = mountIn(await container(), { channel: 'counter-4' });
    await untilStatus(display, 'pending');
    await cashier.cancel();
    await untilStatus(display, 'cancelled');
    expect(statusText(display)).to.contain('Payment cancelled');
  });
});
