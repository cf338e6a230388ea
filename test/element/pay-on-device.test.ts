import { expect } from '@open-wc/testing';
import { HttpResponse } from 'msw';
import sinon from 'sinon';
import { pendingAnswer, upiString } from '../mocks/backend.js';
import { useFakeBackend } from '../mocks/worker.js';
import { mount, part, untilStatus } from './helpers.js';
import { container, mountIn, until } from './mount-with.js';
import { answerMedia } from './media.js';
import type { AmazonPayDqr } from '../../src/amazonpay-dqr.js';

const TOUCH = '(pointer: coarse)';
const link = (element: AmazonPayDqr) => part<HTMLAnchorElement>(element, 'pay-on-device');

describe('pay-on-device', () => {
  afterEach(() => sinon.restore());

  it('on a touch device, links to exactly the UPI string under the QR, which stays for another phone', async () => {
    await useFakeBackend();
    answerMedia({ [TOUCH]: true });
    const element = await mount({ payOnDevice: true });
    await untilStatus(element, 'pending');
    expect(link(element)!.getAttribute('href')).to.equal(upiString('ORD-1042', '249.00'));
    expect(link(element)!.textContent).to.equal('Pay with a UPI app');
    expect(part(element, 'qr')).to.not.equal(null);
    const box = link(element)!.getBoundingClientRect();
    expect(box.height, 'a finger-sized target').to.be.at.least(44);
  });

  it('shows no link without a touch screen, nor on one without the attribute', async () => {
    const backend = await useFakeBackend();
    answerMedia({ [TOUCH]: false });
    const mouse = await mount({ payOnDevice: true });
    await untilStatus(mouse, 'pending');
    expect(link(mouse)).to.equal(null);
    sinon.restore();

    answerMedia({ [TOUCH]: true });
    const plain = await mount({ orderId: 'ORD-2' });
    await untilStatus(plain, 'pending');
    expect(link(plain)).to.equal(null);
    expect(backend.seenOf('create')).to.have.length(2);
  });

  it('offers the link in every language', async () => {
    await useFakeBackend();
    answerMedia({ [TOUCH]: true });
    const element = await mount({ payOnDevice: true }, 'hi');
    await untilStatus(element, 'pending');
    expect(link(element)!.textContent).to.equal('UPI ऐप से भुगतान करें');
  });

  it('has no link for a QR sent only as a picture, nor once the order is paid', async () => {
    const backend = await useFakeBackend();
    answerMedia({ [TOUCH]: true });
    const picture = await mount({ payOnDevice: true, format: 'image', orderId: 'ORD-IMG' });
    await untilStatus(picture, 'pending');
    expect(part(picture, 'qr')!.localName).to.equal('img');
    expect(link(picture)).to.equal(null);

    const paying = await mount({ payOnDevice: true });
    await untilStatus(paying, 'pending');
    expect(link(paying)).to.not.equal(null);
    backend.pay('ORD-1042');
    await untilStatus(paying, 'paid');
    expect(link(paying)).to.equal(null);
  });

  for (const qrString of [
    'javascript:alert(1)//upi://pay?pa=x',
    'https://evil.example/?upi://pay?pa=x',
    'UPI://PAY?pa=x',
  ]) {
    it(`never links to ${qrString}: the answer is refused before anything is shown`, async () => {
      const backend = await useFakeBackend();
      answerMedia({ [TOUCH]: true });
      backend.fail('create', () => HttpResponse.json(pendingAnswer({ qrString }), { status: 201 }));
      const element = await mount({ payOnDevice: true });
      await untilStatus(element, 'error');
      expect(element.shadowRoot!.querySelectorAll('a')).to.have.length(0);
    });
  }

  it('never links a customer display to a non-UPI string sent over its channel, and links it to a UPI one', async () => {
    answerMedia({ [TOUCH]: true });
    // The cashier's side, played by the test: it answers the display's hello with the QR it names.
    const channel = new BroadcastChannel('amazonpay-dqr:counter-9');
    const show = (qrString: string) => {
      const order = pendingAnswer({ qrString });
      const deadline = Date.parse(order.expiresAt as string);
      channel.postMessage({ type: 'state', snapshot: { status: 'pending', order, deadline } });
    };
    channel.onmessage = ({ data }: MessageEvent<{ type: string }>) => {
      if (data.type === 'hello') show('javascript:alert(document.domain)');
    };
    const display = mountIn(await container(), { mirror: 'counter-9', orderId: '', payOnDevice: true });
    try {
      await untilStatus(display, 'pending');
      expect(display.shadowRoot!.querySelectorAll('a')).to.have.length(0);

      show(upiString('ORD-1042', '249.00'));
      await until(() => link(display) !== null);
      expect(link(display)!.getAttribute('href')).to.equal(upiString('ORD-1042', '249.00'));
    } finally {
      channel.close();
    }
  });
});
