import { expect } from '@open-wc/testing';
import { AmazonPayDqr } from '../../src/amazonpay-dqr.js';
import { en } from '../../src/i18n/translations/en.js';
import { languageCopy, onLanguagesChanged } from '../../src/i18n/languages.js';
import { useFakeBackend } from '../mocks/worker.js';
import { untilStatus } from './helpers.js';
import { container, mountIn } from './mount-with.js';

/** Resolves once `code` is registered (this file never imports a language module itself). */
function arrival(code: string): Promise<void> {
  return new Promise((resolve) => {
    const stop = onLanguagesChanged(() => {
      if (!languageCopy(code)) return;
      stop();
      resolve();
    });
  });
}

/** Every text the element's shadow root shows from now on, one entry per change. */
function textsOf(element: AmazonPayDqr): { texts: string[]; stop(): void } {
  const texts: string[] = [];
  const observer = new MutationObserver(() => texts.push(element.shadowRoot!.textContent!.replace(/\s+/g, ' ')));
  observer.observe(element.shadowRoot!, { subtree: true, childList: true, characterData: true });
  return { texts, stop: () => observer.disconnect() };
}

const text = (element: AmazonPayDqr) => element.shadowRoot!.textContent!.replace(/\s+/g, ' ');

/** The languages besides English are not in the element's bundle: it loads the one a page needs. */
describe('languages on demand', () => {
  it('loads the page’s language the first time an element needs it and shows the QR in it, no English on the way', async () => {
    await useFakeBackend();
    expect(languageCopy('hi'), 'Hindi is not loaded before an element asks for it').to.equal(undefined);
    const parent = await container(400, 'hi-IN');
    const element = mountIn(parent);
    await element.updateComplete;
    const seen = textsOf(element);
    await untilStatus(element, 'pending');
    seen.stop();
    const hi = languageCopy('hi')!;
    expect(text(element)).to.contain(hi.instructions);
    expect(text(element)).to.contain(hi.cancelButton);
    for (const shown of [...seen.texts, text(element)]) {
      for (const english of [en.loading, en.instructions, en.cancelButton, en.timeLeft]) {
        expect(shown).to.not.contain(english);
      }
    }
    expect(languageCopy('bn'), 'only the language in use is loaded').to.equal(undefined);
  });

  it('keeps the language it shows while a newly chosen one loads, then switches to it', async () => {
    await useFakeBackend();
    const parent = await container(400, 'hi');
    const element = mountIn(parent);
    await untilStatus(element, 'pending');
    const tamil = arrival('ta');
    parent.lang = 'ta';
    element.requestUpdate();
    await element.updateComplete;
    expect(text(element)).to.contain(languageCopy('hi')!.instructions);
    await tamil;
    await element.updateComplete;
    expect(text(element)).to.contain(languageCopy('ta')!.instructions);
  });

  it('renders a merchant language added with AmazonPayDqr.addLanguage in elements already on the page', async () => {
    await useFakeBackend();
    const element = mountIn(await container(400, 'or'));
    await untilStatus(element, 'pending');
    expect(text(element)).to.contain(en.instructions);
    AmazonPayDqr.addLanguage('or', { ...en, locale: 'or-IN', instructions: 'ଯେକୌଣସି UPI ଆପ୍‌ରେ QR କୋଡ୍ ସ୍କାନ୍ କରନ୍ତୁ।' });
    await element.updateComplete;
    expect(text(element)).to.contain('ଯେକୌଣସି UPI ଆପ୍‌ରେ');
  });
});
