import { expect } from '@open-wc/testing';
import sinon from 'sinon';
import { useFakeBackend } from '../mocks/worker.js';
import { mount, part, untilStatus } from './helpers.js';

const timerText = (element: HTMLElement & { shadowRoot: ShadowRoot | null }) =>
  element.shadowRoot!.querySelector('[role="timer"]')!.textContent;

describe('countdown', () => {
  let clock: sinon.SinonFakeTimers;
  afterEach(() => clock.restore());

  for (const skew of [10 * 60_000, -10 * 60_000]) {
    it(`counts down to the server's deadline with the client clock ${skew > 0 ? 'behind' : 'ahead'} by 10 minutes`, async () => {
      const backend = await useFakeBackend();
      backend.skewMs = skew;
      clock = sinon.useFakeTimers({
        now: Date.parse('2025-03-01T10:00:00Z'),
        toFake: ['setTimeout', 'clearTimeout', 'Date'],
      });
      const element = await mount();
      await untilStatus(element, 'pending');
      expect(timerText(element)).to.equal('5:00');
      await clock.tickAsync(61_000);
      await element.updateComplete;
      expect(timerText(element)).to.equal('3:59');
      const live = element.shadowRoot!.querySelector('[aria-live="polite"]:not([role])')!;
      expect(live.textContent).to.equal('4 minutes left to pay');
      await clock.tickAsync(1_000);
      await element.updateComplete;
      expect(live.textContent, 'not announced every second').to.equal('4 minutes left to pay');
    });
  }

  it('resumes the same deadline after a reload: the backend answers 200 for the pending order', async () => {
    const backend = await useFakeBackend();
    clock = sinon.useFakeTimers({
      now: Date.parse('2025-03-01T10:00:00Z'),
      toFake: ['setTimeout', 'clearTimeout', 'Date'],
    });
    const first = await mount();
    await untilStatus(first, 'pending');
    const qr = part(first, 'qr')!.innerHTML;
    first.remove();
    await clock.tickAsync(100_000);
    const again = await mount();
    await untilStatus(again, 'pending');
    expect(timerText(again)).to.equal('3:20');
    expect(part(again, 'qr')!.innerHTML).to.equal(qr);
    expect(backend.orders.size).to.equal(1);
  });
});
