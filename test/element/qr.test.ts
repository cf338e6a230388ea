import { expect } from '@open-wc/testing';
import 'jsqr';
import type decode from 'jsqr';
import { QUIET_ZONE, drawQr } from '../../src/view/qr.js';
import { encodeQr } from '../../src/view/qr-symbol.js';
import { upiString } from '../mocks/backend.js';

/** jsqr ships a UMD bundle: imported in the browser it defines `self.jsQR`. */
const jsQR = (globalThis as unknown as { jsQR: typeof decode }).jsQR;

/** What a phone reads from the drawing: its path filled on a canvas, 6 px a module, decoded by jsQR. */
function scan(text: string): string | undefined {
  const { size, path } = drawQr(text);
  const scale = 6;
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = size * scale;
  const context = canvas.getContext('2d')!;
  context.fillStyle = '#fff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.scale(scale, scale);
  context.fillStyle = '#000';
  context.fill(new Path2D(path));
  const { data, width, height } = context.getImageData(0, 0, canvas.width, canvas.height);
  return jsQR(data, width, height)?.data;
}

/** `length` characters cycling through ASCII, Devanagari, the rupee sign and an emoji (1 to 4 UTF-8 bytes). */
function sample(length: number): string {
  const characters = [...'upi://pay?pa=chai@apl&am=249.00 ₹ हिन्दी 😀 ABC-0123456789'];
  return Array.from({ length }, (_, i) => characters[(i * 7 + length) % characters.length]).join('');
}

/**
 * The error correction level a symbol's format information names: its 15 bits down column 8
 * (ISO/IEC 18004 7.9), unmasked; the top two say L (01), M (00), Q (11) or H (10).
 */
function levelOf(matrix: { size: number; get(row: number, col: number): number | boolean }): string {
  let bits = 0;
  for (let i = 0; i < 15; i++) {
    const row = i < 6 ? i : i < 8 ? i + 1 : matrix.size - 15 + i;
    if (matrix.get(row, 8)) bits |= 1 << i;
  }
  return ['M', 'L', 'H', 'Q'][(bits ^ 0b101010000010010) >> 13];
}

describe('QR symbol', () => {
  it('draws UPI strings that scan back exactly, short and long', () => {
    const long = upiString('ORD-'.padEnd(35, '7'), '124999.50', `${'Masala Box and Sons '.repeat(20)}Ltd`);
    for (const text of [upiString('ORD-1042', '249.00'), upiString('A', '0.01', 'चाय & Co.'), long]) {
      expect(scan(text), text).to.equal(text);
    }
    expect(long.length).to.be.greaterThan(500);
  });

  it('draws the symbol inside a 4-module quiet zone', () => {
    const { size } = drawQr(upiString('ORD-1042', '249.00'));
    expect(size).to.equal(encodeQr(upiString('ORD-1042', '249.00')).size + 2 * QUIET_ZONE);
  });

  it('encodes at error correction level M, lengths 1 to 600, and scans back', () => {
    for (let length = 1; length <= 600; length += length < 40 ? 1 : 13) {
      const text = sample(length);
      expect(levelOf(encodeQr(text)), `level at length ${length}`).to.equal('M');
      if (length % 10 === 0) expect(scan(text), `scan at length ${length}`).to.equal(text);
    }
  });

  it('refuses text a version 40 symbol cannot hold', () => {
    expect(() => encodeQr('x'.repeat(2332))).to.throw(RangeError, '2332 bytes');
    expect(encodeQr('x'.repeat(2331)).size).to.equal(177);
  });
});
