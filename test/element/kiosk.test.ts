import { expect } from '@open-wc/testing';
import sinon from 'sinon';
import { useFakeBackend } from '../mocks/worker.js';
import { part, untilStatus } from './helpers.js';
import { answerMedia } from './media.js';
import { container, mountIn, until } from './mount-with.js';

/** A stand-in for `navigator.wakeLock` that records what the element asks for. */
function stubWakeLock() {
  const sentinels: { type: string; released: boolean; release: () => Promise<void> }[] = [];
  const request = sinon.fake(async (type: string) => {
    const sentinel = {
      type,
      released: false,
      release: async () => {
        sentinel.released = true;
      },
    };
    sentinels.push(sentinel);
    return sentinel;
  });
  Object.defineProperty(navigator, 'wakeLock', { value: { request }, configurable: true });
  return { request, sentinels, held: () => sentinels.filter((sentinel) => !sentinel.released).length };
}

describe('kiosk mode', () => {
  afterEach(() => {
    delete (navigator as { wakeLock?: unknown }).wakeLock;
    sinon.restore();
  });

  it('keeps at least 4 CSS px per module even in a narrow container', async () => {
    await useFakeBackend();
    const plain = mountIn(await container(120));
    const kiosk = mountIn(await container(120), { kiosk: true, orderId: 'ORD-2' });
    await untilStatus(plain, 'pending');
    await untilStatus(kiosk, 'pending');
    // The SVG's viewBox is the QR in modules, quiet zone included.
    const perModule = (element: typeof plain) => {
      const svg = part(element, 'qr')!.querySelector('svg')!;
      return svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    };
    expect(perModule(plain)).to.be.below(4);
    expect(perModule(kiosk)).to.be.at.least(4);
  });

  it('makes the QR as large as a wide container allows', async () => {
    await useFakeBackend();
    const plain = mountIn(await container(900));
    const kiosk = mountIn(await container(900), { kiosk: true, orderId: 'ORD-2' });
    await untilStatus(plain, 'pending');
    await untilStatus(kiosk, 'pending');
    const side = (element: typeof plain) => part(element, 'qr')!.getBoundingClientRect().width;
    expect(side(plain)).to.be.at.most(320);
    expect(side(kiosk)).to.be.above(320);
    expect(side(kiosk)).to.be.at.most(Math.min(900, innerHeight * 0.8) + 0.5);
  });

  it('keeps the screen awake while the QR shows and lets it sleep once paid', async () => {
    const wakeLock = stubWakeLock();
    const backend = await useFakeBackend();
    const element = mountIn(await container(), { kiosk: true });
    await untilStatus(element, 'pending');
    await until(() => wakeLock.held() === 1);
    backend.pay('ORD-1042');
    await untilStatus(element, 'paid');
    expect(wakeLock.held()).to.equal(0);
    expect(wakeLock.request.calledOnceWith('screen')).to.equal(true);
  });

  it('releases the wake lock when removed, and takes none outside kiosk mode', async () => {
    const wakeLock = stubWakeLock();
    await useFakeBackend();
    const plain = mountIn(await container(), { orderId: 'ORD-2' });
    const element = mountIn(await container(), { kiosk: true });
    await untilStatus(plain, 'pending');
    await untilStatus(element, 'pending');
    await until(() => wakeLock.held() === 1);
    element.remove();
    expect(wakeLock.held()).to.equal(0);
    expect(wakeLock.request.callCount).to.equal(1);
  });

  it('works where the Wake Lock API is missing', async () => {
    const backend = await useFakeBackend();
    const element = mountIn(await container(), { kiosk: true });
    await untilStatus(element, 'pending');
    backend.pay('ORD-1042');
    await untilStatus(element, 'paid');
  });

  it('plays a short oscillator chime on paid when sound is on', async () => {
    const started: number[] = [];
    const real = window.AudioContext;
    class FakeContext extends real {
      override createOscillator(): OscillatorNode {
        const oscillator = super.createOscillator();
        const start = oscillator.start.bind(oscillator);
        oscillator.start = (when?: number) => {
          started.push(oscillator.frequency.value);
          start(when);
        };
        return oscillator;
      }
    }
    window.AudioContext = FakeContext;
    try {
      const backend = await useFakeBackend();
      const silent = mountIn(await container(), { orderId: 'ORD-2' });
      const element = mountIn(await container(), { sound: true });
      await untilStatus(element, 'pending');
      await untilStatus(silent, 'pending');
      backend.pay('ORD-2');
      await untilStatus(silent, 'paid');
      expect(started).to.deep.equal([]);
      backend.pay('ORD-1042');
      await untilStatus(element, 'paid');
      await until(() => started.length === 1);
    } finally {
      window.AudioContext = real;
    }
  });

  it('animates the paid mark, except under prefers-reduced-motion', async () => {
    const backend = await useFakeBackend();
    const element = mountIn(await container(), { kiosk: true });
    await untilStatus(element, 'pending');
    backend.pay('ORD-1042');
    await untilStatus(element, 'paid');
    const mark = () => element.shadowRoot!.querySelector('.icon.success')!;
    expect(mark().getAnimations()).to.have.length(1);
    answerMedia({ '(prefers-reduced-motion: reduce)': true });
    const calm = mountIn(await container(), { kiosk: true, orderId: 'ORD-2' });
    await untilStatus(calm, 'pending');
    backend.pay('ORD-2');
    await untilStatus(calm, 'paid');
    expect(calm.shadowRoot!.querySelector('.icon.success')!.getAnimations()).to.have.length(0);
  });
});
