/**
 * The QR symbol of a UPI string, from qrcode's documented `create` at error correction level M:
 * what a phone reads at a glance on a counter, and still reads through a smudge or a glare.
 */
import { create } from 'qrcode/lib/core/qrcode.js';

/** The modules of one symbol, `size` × `size`, quiet zone excluded. */
export type QrModules = ReturnType<typeof create>['modules'];

/** The symbol of `text`; throws a `RangeError` when the text does not fit in a version 40 symbol. */
export function encodeQr(text: string): QrModules {
  try {
    return create(text, { errorCorrectionLevel: 'M' }).modules;
  } catch (error) {
    const bytes = new TextEncoder().encode(text).length;
    throw new RangeError(`${bytes} bytes do not fit in a QR code at error correction level M.`, { cause: error });
  }
}
