import { expect } from '@open-wc/testing';
import { HttpResponse } from 'msw';
import { pendingAnswer } from '../mocks/backend.js';
import { useFakeBackend } from '../mocks/worker.js';
import { eventsOf, expectInvalidResponse, mount, part, statusText, untilStatus } from './helpers.js';

const malformed: [string, () => Response][] = [
  ['a body that is not JSON', () => new HttpResponse('<html>oops</html>', { status: 201 })],
  ['a missing expiresAt', () => HttpResponse.json(pendingAnswer({ expiresAt: undefined }), { status: 201 })],
  ['an amount as a number', () => HttpResponse.json(pendingAnswer({ amount: 249 }), { status: 201 })],
  ['an unknown status', () => HttpResponse.json(pendingAnswer({ status: 'SUCCESS' }), { status: 201 })],
  ['a missing mode', () => HttpResponse.json(pendingAnswer({ mode: undefined }), { status: 201 })],
  ['an unknown mode', () => HttpResponse.json(pendingAnswer({ mode: 'test' }), { status: 201 })],
  ['a date that is not ISO', () => HttpResponse.json(pendingAnswer({ serverTime: 'yesterday' }), { status: 201 })],
  [
    'a javascript: qrString',
    () => HttpResponse.json(pendingAnswer({ qrString: 'javascript:alert(1)' }), { status: 201 }),
  ],
  [
    'a qrString with markup',
    () => HttpResponse.json(pendingAnswer({ qrString: 'upi://pay?pn=<b>x</b> y' }), { status: 201 }),
  ],
  [
    'broken base64 in qrImage',
    () => HttpResponse.json(pendingAnswer({ qrString: undefined, qrImage: 'not base64!' }), { status: 201 }),
  ],
  [
    'an SVG in qrImage',
    () =>
      HttpResponse.json(pendingAnswer({ qrString: undefined, qrImage: btoa('<svg onload=alert(1)>') }), {
        status: 201,
      }),
  ],
  ['a pending order without a QR', () => HttpResponse.json(pendingAnswer({ qrString: undefined }), { status: 201 })],
  ['another order', () => HttpResponse.json(pendingAnswer({ orderId: 'ORD-9' }), { status: 201 })],
  [
    'an unknown cancel outcome',
    () => HttpResponse.json(pendingAnswer({ cancel: { outcome: 'Maybe', refund: true } }), { status: 201 }),
  ],
];

describe('faults', () => {
  it('takes the answer the refused ones are made from, unchanged', async () => {
    const backend = await useFakeBackend();
    backend.fail('create', () => HttpResponse.json(pendingAnswer(), { status: 201 }));
    const element = await mount();
    await untilStatus(element, 'pending');
    expect(part(element, 'qr')).to.not.equal(null);
  });

  for (const [name, answer] of malformed) {
    it(`refuses ${name}: a clear error, no QR`, async () => {
      const backend = await useFakeBackend();
      backend.fail('create', answer);
      await expectInvalidResponse(await mount());
    });
  }

  it('offers no retry after a 4xx on create', async () => {
    const backend = await useFakeBackend();
    backend.failWith('create', 409, 1, 'ORDER_CONFLICT');
    const element = await mount();
    await untilStatus(element, 'error');
    expect(statusText(element)).to.contain('Fake 409 failure');
    expect(part(element, 'retry-button')).to.equal(null);
  });

  it('shows a header value the browser refuses as the element’s own fault: no request, no retry, no reconnecting', async () => {
    const backend = await useFakeBackend();
    const element = await mount({ requestInit: { headers: { 'x-till': 'Till\n3' } } });
    await untilStatus(element, 'error');
    expect(statusText(element)).to.contain('The payment element failed');
    expect(part(element, 'retry-button')).to.equal(null);
    expect(eventsOf(element)).to.deep.equal(['error:INTERNAL']);
    expect(backend.requests).to.deep.equal([]);
  });

  it('reports a failed payment as error PAYMENT_FAILED, final', async () => {
    const backend = await useFakeBackend();
    const element = await mount();
    await untilStatus(element, 'pending');
    backend.update('ORD-1042', { status: 'failed' });
    await untilStatus(element, 'failed');
    expect(eventsOf(element)).to.deep.equal(['error:PAYMENT_FAILED']);
    expect(statusText(element)).to.contain('new order');
  });
});
