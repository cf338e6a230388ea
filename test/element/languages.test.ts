import { expect } from '@open-wc/testing';
import { AmazonPayDqr, type Copy } from '../../src/amazonpay-dqr.js';
import { formatClock, formatRupees } from '../../src/i18n/format.js';
import { en } from '../../src/i18n/translations/en.js';
import { bn } from '../../src/i18n/lang/bn.js';
import { gu } from '../../src/i18n/lang/gu.js';
import { hi } from '../../src/i18n/lang/hi.js';
import { kn } from '../../src/i18n/lang/kn.js';
import { mr } from '../../src/i18n/lang/mr.js';
import { ta } from '../../src/i18n/lang/ta.js';
import { te } from '../../src/i18n/lang/te.js';
import { copyFor, languageCodes, languageCopy } from '../../src/i18n/languages.js';
import { useFakeBackend } from '../mocks/worker.js';
import { untilStatus } from './helpers.js';
import { container, mountIn } from './mount-with.js';

/** Every string a copy gives, its functions called with sample arguments. */
function everyString(copy: Copy): string[] {
  return Object.values(copy).flatMap((value: unknown) => {
    if (typeof value === 'string') return [value];
    const fn = value as (...args: unknown[]) => string;
    return [
      fn('₹249.00', 'Chai & Co.'),
      fn(45),
      fn(180),
      fn('RefundApplicable', true),
      fn(undefined, false),
      fn('Approved'),
      fn('Declined'),
      fn('Requested'),
    ];
  });
}

/**
 * The copy itself, with every shipped language imported up front as a page may do (each module
 * registers itself); loading them on demand is in lang-on-demand.test.ts.
 */
describe('languages', () => {
  it('ships English, Hindi, Bengali, Marathi, Tamil, Telugu, Gujarati and Kannada', () => {
    expect(languageCodes()).to.have.members(['en', 'hi', 'bn', 'mr', 'ta', 'te', 'gu', 'kn']);
  });

  for (const [code, copy] of Object.entries({ hi, bn, mr, ta, te, gu, kn })) {
    it(`${code} has every key, each in its own words, and registers itself when imported`, () => {
      expect(languageCopy(code)).to.deep.equal(copy);
      expect(Object.keys(copy).sort()).to.deep.equal(Object.keys(en).sort());
      for (const text of everyString(copy)) expect(text.trim()).to.not.equal('');
      for (const key of ['instructions', 'paid', 'expired', 'cancelButton', 'mirrorWaiting'] as const) {
        expect(copy[key], key).to.not.equal(en[key]);
      }
      expect(copy.latePayment('Approved')).to.not.equal(copy.latePayment('Requested'));
      expect(copy.latePayment('Declined')).to.not.equal(copy.latePayment('Requested'));
      expect(copy.locale).to.equal(`${code}-IN`);
    });
  }

  it('formats amounts with Indian grouping and the timer as m:ss in each locale', () => {
    expect(formatRupees('124999.50')).to.equal('₹1,24,999.50');
    expect(formatRupees('124999.50', 'hi-IN')).to.equal('₹1,24,999.50');
    expect(formatRupees('124999.50', 'bn-IN')).to.equal('₹১,২৪,৯৯৯.৫০');
    expect(formatClock(65)).to.equal('1:05');
    expect(formatClock(65, 'bn-IN')).to.equal('১:০৫');
    expect(formatClock(65, 'mr-IN')).to.equal('१:०५');
  });

  it('follows the lang of an ancestor, in full or by language, and English otherwise', async () => {
    const parent = await container(400, 'ta-IN');
    const child = parent.appendChild(document.createElement('span'));
    expect(copyFor(child)).to.equal(languageCopy('ta'));
    parent.lang = 'gu';
    expect(copyFor(child)).to.equal(languageCopy('gu'));
    parent.lang = 'fr';
    expect(copyFor(child)).to.equal(en);
  });

  it('shows the QR page in the language of the nearest lang, and switches with it', async () => {
    await useFakeBackend();
    const parent = await container(400, 'bn');
    const element = mountIn(parent);
    await untilStatus(element, 'pending');
    const text = () => element.shadowRoot!.textContent!.replace(/\s+/g, ' ');
    expect(text()).to.contain(languageCopy('bn')!.instructions);
    expect(text()).to.contain('₹২৪৯.০০');
    parent.lang = 'kn';
    element.requestUpdate();
    await element.updateComplete;
    expect(text()).to.contain(languageCopy('kn')!.instructions);
    expect(text()).to.contain(languageCopy('kn')!.cancelButton);
  });

  it('takes a merchant language with AmazonPayDqr.addLanguage', async () => {
    await useFakeBackend();
    AmazonPayDqr.addLanguage('or', {
      ...en,
      locale: 'or-IN',
      instructions: 'ଦେୟ ଦେବା ପାଇଁ ଯେକୌଣସି UPI ଆପ୍‌ରେ QR କୋଡ୍ ସ୍କାନ୍ କରନ୍ତୁ।',
    });
    const element = mountIn(await container(400, 'or'));
    await untilStatus(element, 'pending');
    expect(element.shadowRoot!.textContent).to.contain('ଦେୟ ଦେବା ପାଇଁ');
  });

  it('shows English for a line a merchant language lacks, as one written for an earlier version would', async () => {
    await useFakeBackend();
    const { cancelButton: _, ...older } = { ...en, locale: 'as-IN', instructions: 'যিকোনো UPI এপেৰে QR ক’ড স্কেন কৰক।' };
    AmazonPayDqr.addLanguage('as', older as Copy);
    const element = mountIn(await container(400, 'as'));
    await untilStatus(element, 'pending');
    const text = element.shadowRoot!.textContent!;
    expect(text).to.contain('যিকোনো UPI এপেৰে');
    expect(text).to.contain(en.cancelButton);
    expect(text).not.to.contain('undefined');
  });
});
