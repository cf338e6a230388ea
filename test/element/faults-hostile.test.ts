import { expect } from '@open-wc/testing';
import { HttpResponse } from 'msw';
import { useFakeBackend } from '../mocks/worker.js';
import { TINY_PNG, pendingAnswer } from '../mocks/backend.js';
import { eventsOf, expectInvalidResponse, mount, part, statusText, untilStatus } from './helpers.js';
import type { AmazonPayDqr, DqrErrorEvent } from '../../src/amazonpay-dqr.js';

/** Every element the shadow root may hold; anything else was injected. */
const OWN_TAGS = new Set(['div', 'p', 'span', 'button', 'slot', 'strong', 'svg', 'rect', 'path']);

function injected(element: AmazonPayDqr): string[] {
  const tags = [...element.shadowRoot!.querySelectorAll('*')].map((node) => node.localName);
  return [...tags.filter((tag) => !OWN_TAGS.has(tag)), ...[...element.children].map((node) => node.localName)];
}

const MARKUP = '<img src=x onerror=alert(1)><a href="javascript:alert(2)">x</a><script>alert(3)</script>';

const refusedQrs: [string, Record<string, unknown>][] = [
  ['a javascript: URI', { qrString: 'javascript:alert(document.domain)//upi://pay?pa=x' }],
  ['a data: URI', { qrString: 'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==' }],
  ['an http: URL', { qrString: 'http://evil.example/upi://pay?pa=x' }],
  ['a upi: URI with a space before it', { qrString: ' upi://pay?pa=x' }],
  ['a UPI string of 100,000 characters', { qrString: `upi://pay?pn=${'A'.repeat(100_000)}` }],
  ['a raw control character in the UPI string', { qrString: 'upi://pay?pa=x&pn=a\u0000b' }],
  ['a right-to-left override in the UPI string', { qrString: 'upi://pay?pa=x&pn=a\u202eb' }],
  ['broken base64 in the image', { qrString: undefined, qrImage: `${TINY_PNG.slice(0, 20)}"><svg onload=alert(1)>` }],
  ['a data: URL as the image', { qrString: undefined, qrImage: `data:image/png;base64,${TINY_PNG}` }],
  ['an HTML page as the image', { qrString: undefined, qrImage: btoa('<html><script>alert(1)</script></html>') }],
];

describe('faults: hostile strings from the backend', () => {
  for (const [name, change] of refusedQrs) {
    it(`refuses ${name}: an error in plain text, no QR, no link, nothing injected`, async () => {
      const backend = await useFakeBackend();
      backend.fail('create', () => HttpResponse.json(pendingAnswer(change), { status: 201 }));
      const element = await mount({ format: change.qrImage ? 'image' : 'auto' });
      await untilStatus(element, 'error');
      expect(statusText(element)).to.contain('invalid response');
      expect(part(element, 'qr')).to.equal(null);
      expect(injected(element)).to.deep.equal([]);
      expect(eventsOf(element)).to.deep.equal(['error:INVALID_RESPONSE']);
    });
  }

  /** Times measured from the moment the backend answers. */
  const refusedTimes: [string, (now: number) => Record<string, unknown>][] = [
    ['an expiry in the year 9999', () => ({ expiresAt: '9999-12-31T23:59:59Z' })],
    [
      'an expiry 11 minutes and a second after the server clock',
      (now) => ({ expiresAt: new Date(now + 661_000).toISOString() }),
    ],
    ['a server clock of 1970', () => ({ serverTime: '1970-01-01T00:00:00Z', expiresAt: '1970-01-01T00:05:00Z' })],
    ['a server clock a day and a second ahead', (now) => ({ serverTime: new Date(now + 86_401_000).toISOString() })],
  ];
  for (const [name, change] of refusedTimes) {
    it(`refuses ${name}: an invalid response, never a countdown that cannot end`, async () => {
      const backend = await useFakeBackend();
      backend.fail('create', () => HttpResponse.json(pendingAnswer(change(Date.now())), { status: 201 }));
      await expectInvalidResponse(await mount());
    });
  }

  it('shows markup in the payee name as text', async () => {
    const backend = await useFakeBackend();
    backend.payee = MARKUP;
    const element = await mount();
    await untilStatus(element, 'pending');
    expect(part(element, 'payee')!.textContent).to.equal(`To ${MARKUP}`);
    expect(part(element, 'qr')!.getAttribute('aria-label')).to.contain(MARKUP);
    expect(injected(element)).to.deep.equal([]);
  });

  it('drops control and direction-override characters from the payee name', async () => {
    const backend = await useFakeBackend();
    // Percent-encoded, so the UPI string itself is printable: U+202E would show "oC & iahC" reversed.
    backend.payee = 'Chai\u202e & Co.\u0007\u200f\u2066';
    const element = await mount();
    await untilStatus(element, 'pending');
    expect(part(element, 'payee')!.textContent).to.equal('To Chai & Co.');
    expect(part(element, 'qr')!.getAttribute('aria-label')).to.contain('to Chai & Co.');
  });

  it('keeps the joiners Indian scripts need in the payee name', async () => {
    const backend = await useFakeBackend();
    backend.payee = 'क्\u200dष चाय';
    const element = await mount();
    await untilStatus(element, 'pending');
    expect(part(element, 'payee')!.textContent).to.equal('To क्\u200dष चाय');
  });

  it('shows a hostile, huge error message as short plain text', async () => {
    const backend = await useFakeBackend();
    const message = `${MARKUP}\u202e${'A'.repeat(100_000)}`;
    backend.fail('create', () => HttpResponse.json({ code: `<b>${'C'.repeat(10_000)}`, message }, { status: 409 }));
    const element = await mount();
    const error = new Promise<DqrErrorEvent>((resolve) => element.addEventListener('error', resolve, { once: true }));
    await untilStatus(element, 'error');
    const text = statusText(element);
    expect(text).to.contain('<img src=x onerror=alert(1)>');
    expect(text).to.not.contain('\u202e');
    expect(text.length).to.be.below(400);
    expect(injected(element)).to.deep.equal([]);
    const { detail } = await error;
    expect(detail.message.length).to.be.below(400);
    expect(detail.code.length).to.be.below(100);
    expect(part(element, 'retry-button'), 'a 4xx is not retried').to.equal(null);
  });
});
