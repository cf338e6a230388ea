import { expect, oneEvent } from '@open-wc/testing';
import 'jsqr';
import type decode from 'jsqr';
import type { AmazonPayDqr } from '../../src/amazonpay-dqr.js';
import { TINY_PNG, upiString } from '../mocks/backend.js';
import { useFakeBackend } from '../mocks/worker.js';
import { mount, part, statusText, untilStatus } from './helpers.js';

/** jsqr ships a UMD bundle: imported in the browser it defines `self.jsQR`. */
const jsQR = (globalThis as unknown as { jsQR: typeof decode }).jsQR;

/** Decodes the QR as a phone would see it: the SVG drawn to a canvas, read by jsQR. */
async function decodeQr(element: AmazonPayDqr): Promise<string | undefined> {
  const svg = part(element, 'qr')!.querySelector('svg')!;
  const markup = new XMLSerializer().serializeToString(svg);
  const image = new Image(400, 400);
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(markup)}`;
  await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = 400;
  const context = canvas.getContext('2d')!;
  context.drawImage(image, 0, 0, 400, 400);
  const { data } = context.getImageData(0, 0, 400, 400);
  return jsQR(data, 400, 400)?.data;
}

describe('rendering', () => {
  it('pays: shows the QR, amount, payee and countdown, then fires paid once', async () => {
    const backend = await useFakeBackend();
    const element = await mount({ amount: '124999.50' });
    await untilStatus(element, 'pending');
    expect(part(element, 'amount')!.textContent).to.equal('₹1,24,999.50');
    expect(part(element, 'payee')!.textContent).to.contain('Chai & Co.');
    expect(part(element, 'countdown')!.textContent).to.equal('5:00');
    expect(part(element, 'countdown')!.getAttribute('role')).to.equal('timer');
    expect(part(element, 'cancel-button')).to.not.equal(null);

    const paid = oneEvent(element, 'paid');
    backend.pay('ORD-1042', 'P04-1234567-7654321');
    const event = await paid;
    expect(event.detail).to.deep.equal({
      orderId: 'ORD-1042',
      amount: '124999.50',
      amazonChargeId: 'P04-1234567-7654321',
    });
    expect(event.bubbles && event.composed && !event.cancelable).to.equal(true);
    expect(element.status).to.equal('paid');
    expect(element.getAttribute('status')).to.equal('paid');
    expect(part(element, 'qr')).to.equal(null);
    expect(statusText(element)).to.contain('Payment received');
    expect(backend.seenOf('create')[0].body).to.deep.include({
      orderId: 'ORD-1042',
      amount: '124999.50',
      currency: 'INR',
      expiresIn: 300,
      formats: ['string', 'image'],
    });
  });

  it('draws a QR that decodes back to the UPI string, at level M with a quiet zone', async () => {
    await useFakeBackend();
    const element = await mount();
    await untilStatus(element, 'pending');
    expect(await decodeQr(element)).to.equal(upiString('ORD-1042', '249.00'));
    const svg = part(element, 'qr')!.querySelector('svg')!;
    expect(svg.getAttribute('shape-rendering')).to.equal('crispEdges');
    const path = svg.querySelector('path')!.getAttribute('d')!;
    const columns = [...path.matchAll(/M(\d+) (\d+)/g)].map((match) => Number(match[1]));
    const rows = [...path.matchAll(/M(\d+) (\d+)/g)].map((match) => Number(match[2]));
    expect(Math.min(...columns)).to.equal(4);
    expect(Math.min(...rows)).to.equal(4);
    expect(part(element, 'qr')!.getAttribute('role')).to.equal('img');
    expect(part(element, 'qr')!.getAttribute('aria-label')).to.contain('₹249.00');
  });

  it('shows markup in the payee name as text, never as elements', async () => {
    const backend = await useFakeBackend();
    backend.payee = '<img src=x onerror=alert(1)><b>Shop</b>';
    const element = await mount();
    await untilStatus(element, 'pending');
    const payee = part(element, 'payee')!;
    expect(payee.textContent).to.contain('<img src=x onerror=alert(1)><b>Shop</b>');
    expect(payee.querySelector('img, b')).to.equal(null);
    expect(element.shadowRoot!.querySelector('img')).to.equal(null);
  });

  it('uses qrImage when asked for the image format', async () => {
    const backend = await useFakeBackend();
    const element = await mount({ format: 'image' });
    await untilStatus(element, 'pending');
    const image = part<HTMLImageElement>(element, 'qr')!;
    expect(image.tagName).to.equal('IMG');
    expect(image.src).to.equal(`data:image/png;base64,${TINY_PNG}`);
    expect(image.alt).to.contain('₹249.00');
    expect(backend.seenOf('create')[0].body).to.deep.include({ formats: ['image'] });
  });

  it('speaks Hindi when the page or an ancestor says lang="hi"', async () => {
    await useFakeBackend();
    const element = await mount({}, 'hi');
    await untilStatus(element, 'pending');
    expect(part(element, 'cancel-button')!.textContent!.trim()).to.equal('भुगतान रद्द करें');
    expect(part(element, 'amount')!.textContent).to.equal('₹249.00');
  });

  it('lets the host replace copy through slots and hide the cancel button', async () => {
    const backend = await useFakeBackend();
    const element = await mount({ noCancelButton: true });
    element.innerHTML = '<span slot="paid">Thank you!</span><span slot="instructions">Scan me</span>';
    await untilStatus(element, 'pending');
    expect(part(element, 'cancel-button')).to.equal(null);
    const slot = element.shadowRoot!.querySelector<HTMLSlotElement>('slot[name="instructions"]')!;
    expect(slot.assignedNodes()[0].textContent).to.equal('Scan me');
    backend.pay('ORD-1042');
    await oneEvent(element, 'paid');
    const paidSlot = element.shadowRoot!.querySelector<HTMLSlotElement>('slot[name="paid"]')!;
    expect(paidSlot.assignedNodes()[0].textContent).to.equal('Thank you!');
  });
});
