import { expect } from '@open-wc/testing';
import 'jsqr';
import type decode from 'jsqr';
import { create } from 'qrcode';
import { QUIET_ZONE, drawQr } from '../../src/element/qr.js';
import { encodeQr } from '../../src/element/qr-symbol.js';
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

/** The modules row by row, `1` dark and `0` light. */
function rows(matrix: { size: number; get(row: number, col: number): number | boolean }): string[] {
  return Array.from({ length: matrix.size }, (_, row) =>
    Array.from({ length: matrix.size }, (_, col) => (matrix.get(row, col) ? '1' : '0')).join(''),
  );
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

  it('matches qrcode’s full library module for module (byte mode, level M), lengths 1 to 600', () => {
    for (let length = 1; length <= 600; length += length < 40 ? 1 : 13) {
      const text = sample(length);
      const bytes = new TextEncoder().encode(text);
      const expected = create([{ data: bytes, mode: 'byte' }], { errorCorrectionLevel: 'M' }).modules;
      expect(rows(encodeQr(text)), `modules at length ${length}`).to.deep.equal(rows(expected));
    }
  });

  it('refuses text a version 40 symbol cannot hold', () => {
    expect(() => encodeQr('x'.repeat(2332))).to.throw(RangeError, '2332 bytes');
    expect(encodeQr('x'.repeat(2331)).size).to.equal(177);
  });
});
