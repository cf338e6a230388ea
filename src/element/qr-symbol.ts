/**
 * The QR symbol of a UPI string: byte mode (UTF-8) at error correction level M, built from
 * qrcode's own parts (its Reed-Solomon encoder, patterns and mask choice) and level M's column of
 * the standard's block table. Module for
 * module it is what `QRCode.create([{ data, mode: 'byte' }], { errorCorrectionLevel: 'M' })`
 * gives, without the code the element never needs: qrcode's segment optimiser (numeric,
 * alphanumeric and kanji modes, their tables, `dijkstrajs`), the other levels and its option handling.
 */
import AlignmentPattern from 'qrcode/lib/core/alignment-pattern.js';
import BitBuffer from 'qrcode/lib/core/bit-buffer.js';
import BitMatrix from 'qrcode/lib/core/bit-matrix.js';
import type { Level } from 'qrcode/lib/core/error-correction-level.js';
import FinderPattern from 'qrcode/lib/core/finder-pattern.js';
import FormatInfo from 'qrcode/lib/core/format-info.js';
import MaskPattern from 'qrcode/lib/core/mask-pattern.js';
import ReedSolomonEncoder from 'qrcode/lib/core/reed-solomon-encoder.js';
import Utils from 'qrcode/lib/core/utils.js';

/** The modules of one symbol, `size` × `size`, quiet zone excluded. */
export type QrModules = BitMatrix;

/** Level M as the format information encodes it (ISO/IEC 18004 table 12). */
const LEVEL: Level = { bit: 0 };
/** Error correction blocks at level M, by version 1 to 40 (ISO/IEC 18004 table 9). */
const BLOCKS = [
  1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35,
  37, 38, 40, 43, 45, 47, 49,
];
/** Error correction codewords per block at level M, by version 1 to 40 (ISO/IEC 18004 table 9). */
const EC_PER_BLOCK = [
  10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28, 28, 28, 28, 28, 28, 28, 28,
  28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28,
];
/** Mode indicator of byte mode. */
const BYTE_MODE = 0b0100;
/** Generator of the version information's (18, 6) Golay code. */
const G18 = 0b1_1111_0010_0101;

/** The symbol of `text`; throws when the text does not fit in a version 40 symbol. */
export function encodeQr(text: string): QrModules {
  const bytes = new TextEncoder().encode(text);
  const version = smallestVersion(bytes.length);
  const size = Utils.getSymbolSize(version);
  const modules = new BitMatrix(size);
  // Function patterns, reserved so the mask leaves them alone: finders with their separators,
  // timing lines, alignment patterns, then the format and version areas.
  for (const [row, col] of FinderPattern.getPositions(version)) {
    for (let r = -1; r <= 7; r++) {
      for (let c = -1; c <= 7; c++) {
        if (row + r < 0 || row + r >= size || col + c < 0 || col + c >= size) continue;
        const ring = Math.max(Math.abs(r - 3), Math.abs(c - 3));
        modules.set(row + r, col + c, ring !== 2 && ring !== 4, true);
      }
    }
  }
  for (let i = 8; i < size - 8; i++) {
    modules.set(i, 6, i % 2 === 0, true);
    modules.set(6, i, i % 2 === 0, true);
  }
  for (const [row, col] of AlignmentPattern.getPositions(version)) {
    for (let r = -2; r <= 2; r++) {
      for (let c = -2; c <= 2; c++) modules.set(row + r, col + c, Math.max(Math.abs(r), Math.abs(c)) !== 1, true);
    }
  }
  setFormat(modules, 0);
  if (version >= 7) setVersion(modules, version);
  placeData(modules, codewords(bytes, version));
  const mask = MaskPattern.getBestMask(modules, (candidate) => setFormat(modules, candidate));
  MaskPattern.applyMask(mask, modules);
  setFormat(modules, mask);
  return modules;
}

function dataBits(version: number): number {
  return (Utils.getSymbolTotalCodewords(version) - BLOCKS[version - 1] * EC_PER_BLOCK[version - 1]) * 8;
}

function countBits(version: number): number {
  return version < 10 ? 8 : 16;
}

function smallestVersion(length: number): number {
  for (let version = 1; version <= 40; version++) {
    if (4 + countBits(version) + length * 8 <= dataBits(version)) return version;
  }
  throw new RangeError(`${length} bytes do not fit in a QR code at error correction level M.`);
}

/** Mode, count, bytes, terminator and padding, split into blocks with their error correction, interleaved. */
function codewords(bytes: Uint8Array, version: number): Uint8Array {
  const capacity = dataBits(version);
  const bits = new BitBuffer();
  bits.put(BYTE_MODE, 4);
  bits.put(bytes.length, countBits(version));
  for (const byte of bytes) bits.put(byte, 8);
  if (bits.getLengthInBits() + 4 <= capacity) bits.put(0, 4);
  while (bits.getLengthInBits() % 8 !== 0) bits.putBit(false);
  for (let i = 0; bits.getLengthInBits() < capacity; i++) bits.put(i % 2 ? 0x11 : 0xec, 8);

  const total = Utils.getSymbolTotalCodewords(version);
  const blocks = BLOCKS[version - 1];
  const shortBlocks = blocks - (total % blocks);
  const shortData = Math.floor(capacity / 8 / blocks);
  const ecCount = Math.floor(total / blocks) - shortData;
  const encoder = new ReedSolomonEncoder(ecCount);
  const data = Uint8Array.from(bits.buffer);
  const dataBlocks: Uint8Array[] = [];
  const ecBlocks: Uint8Array[] = [];
  for (let b = 0, offset = 0; b < blocks; b++) {
    const length = b < shortBlocks ? shortData : shortData + 1;
    dataBlocks.push(data.slice(offset, offset + length));
    ecBlocks.push(encoder.encode(dataBlocks[b]));
    offset += length;
  }
  const out = new Uint8Array(total);
  let index = 0;
  for (let i = 0; i <= shortData; i++) {
    for (const block of dataBlocks) if (i < block.length) out[index++] = block[i];
  }
  for (let i = 0; i < ecCount; i++) for (const block of ecBlocks) out[index++] = block[i];
  return out;
}

/** The data bits in the zigzag of two-module columns, skipping every reserved module. */
function placeData(modules: BitMatrix, data: Uint8Array): void {
  const size = modules.size;
  let bit = 0;
  let upward = true;
  for (let right = size - 1; right > 0; right -= 2) {
    if (right === 6) right--;
    for (let step = 0; step < size; step++) {
      const row = upward ? size - 1 - step : step;
      for (const col of [right, right - 1]) {
        if (modules.isReserved(row, col)) continue;
        modules.set(row, col, ((data[bit >>> 3] >>> (7 - (bit & 7))) & 1) === 1);
        bit++;
      }
    }
    upward = !upward;
  }
}

function setFormat(modules: BitMatrix, mask: number): void {
  const size = modules.size;
  const bits = FormatInfo.getEncodedBits(LEVEL, mask);
  for (let i = 0; i < 15; i++) {
    const dark = ((bits >> i) & 1) === 1;
    modules.set(i < 6 ? i : i < 8 ? i + 1 : size - 15 + i, 8, dark, true);
    modules.set(8, i < 8 ? size - i - 1 : i < 9 ? 15 - i : 14 - i, dark, true);
  }
  modules.set(size - 8, 8, true, true);
}

function setVersion(modules: BitMatrix, version: number): void {
  let remainder = version << 12;
  while (Utils.getBCHDigit(remainder) - Utils.getBCHDigit(G18) >= 0) {
    remainder ^= G18 << (Utils.getBCHDigit(remainder) - Utils.getBCHDigit(G18));
  }
  const bits = (version << 12) | remainder;
  const size = modules.size;
  for (let i = 0; i < 18; i++) {
    const dark = ((bits >> i) & 1) === 1;
    modules.set(Math.floor(i / 3), (i % 3) + size - 11, dark, true);
    modules.set((i % 3) + size - 11, Math.floor(i / 3), dark, true);
  }
}
