/**
 * The short "paid" chime of the `sound` attribute: two rising tones from a Web Audio oscillator,
 * so no audio file is fetched and a strict Content-Security-Policy has nothing to allow.
 */
import type { Feature } from './feature.js';

/** Tones of the chime, in hertz, each `TONE_SECONDS` long. */
const TONES = [880, 1320];
const TONE_SECONDS = 0.12;
const VOLUME = 0.2;

/** Plays the chime; silent where Web Audio is missing or the browser blocks autoplay. */
export function playPaidChime(): void {
  if (typeof AudioContext === 'undefined') return;
  const context = new AudioContext();
  const gain = context.createGain();
  gain.gain.value = VOLUME;
  gain.connect(context.destination);
  const oscillator = context.createOscillator();
  oscillator.type = 'sine';
  TONES.forEach((frequency, i) =>
    oscillator.frequency.setValueAtTime(frequency, context.currentTime + i * TONE_SECONDS),
  );
  oscillator.connect(gain);
  oscillator.addEventListener('ended', () => void context.close());
  oscillator.start();
  oscillator.stop(context.currentTime + TONES.length * TONE_SECONDS);
}

/** The chime on one element: it plays once the update that shows the payment is done. */
export function create(): Feature {
  return {
    changed: (next, previous) => {
      if (next.kind === 'paid' && previous.kind !== 'paid') playPaidChime();
    },
    dispose: () => undefined,
  };
}
