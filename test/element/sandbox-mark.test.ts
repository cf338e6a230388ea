import { expect } from '@open-wc/testing';
import type { AmazonPayDqr } from '../../src/amazonpay-dqr.js';
import { useFakeBackend } from '../mocks/worker.js';
import { mount, part, untilStatus } from './helpers.js';

/** Whether `element`'s box is on screen: not hidden, not empty, not transparent. */
function shown(element: Element): boolean {
  const box = element.getBoundingClientRect();
  const style = getComputedStyle(element);
  return box.width > 0 && box.height > 0 && style.visibility === 'visible' && style.opacity === '1';
}

const sandboxMark = (element: AmazonPayDqr) => part(element, 'sandbox');

/** A cashier can never take a sandbox QR, where nobody pays anything, for a real one. */
describe('the sandbox mark', () => {
  it('marks a sandbox QR "Sandbox — no real money", above the QR and clear of it, from the QR to the end', async () => {
    const backend = await useFakeBackend();
    backend.mode = 'sandbox';
    const element = await mount();
    await untilStatus(element, 'pending');
    const mark = sandboxMark(element)!;
    expect(mark.textContent).to.equal('Sandbox — no real money');
    expect(shown(mark)).to.equal(true);
    const qr = part(element, 'qr')!.getBoundingClientRect();
    expect(mark.getBoundingClientRect().bottom).to.be.at.most(qr.top);
    expect(getComputedStyle(mark).fontWeight).to.equal('700');
    await expect(element).to.be.accessible();

    backend.pay('ORD-1042');
    await untilStatus(element, 'paid');
    expect(shown(sandboxMark(element)!)).to.equal(true);
  });

  it('says it in the page’s language', async () => {
    const backend = await useFakeBackend();
    backend.mode = 'sandbox';
    const element = await mount({}, 'hi');
    await untilStatus(element, 'pending');
    expect(sandboxMark(element)!.textContent).to.equal('सैंडबॉक्स — असली पैसे नहीं');
  });

  it('is not there for real money', async () => {
    const backend = await useFakeBackend();
    const element = await mount();
    await untilStatus(element, 'pending');
    expect(sandboxMark(element)).to.equal(null);
    backend.pay('ORD-1042');
    await untilStatus(element, 'paid');
    expect(sandboxMark(element)).to.equal(null);
  });
});
