/**
 * The parts of qrcode (CommonJS, untyped) that `qr-symbol.ts` builds a symbol from: tables,
 * patterns, the Reed-Solomon encoder and the mask choice, without qrcode's segment optimiser.
 */
declare module 'qrcode/lib/core/bit-matrix.js' {
  /** A square of modules, each dark or light and maybe reserved for a function pattern. */
  export default class BitMatrix {
    constructor(size: number);
    readonly size: number;
    set(row: number, col: number, dark: boolean, reserved?: boolean): void;
    get(row: number, col: number): number;
    isReserved(row: number, col: number): number;
  }
}

declare module 'qrcode/lib/core/bit-buffer.js' {
  /** Bits appended most significant first, packed into bytes. */
  export default class BitBuffer {
    readonly buffer: number[];
    put(value: number, length: number): void;
    putBit(bit: boolean): void;
    getLengthInBits(): number;
  }
}

declare module 'qrcode/lib/core/reed-solomon-encoder.js' {
  /** The error correction codewords of one block, for a generator of the given degree. */
  export default class ReedSolomonEncoder {
    constructor(degree: number);
    encode(data: Uint8Array): Uint8Array;
  }
}

declare module 'qrcode/lib/core/error-correction-level.js' {
  /** An error correction level as the format information encodes it. */
  export interface Level {
    bit: number;
  }
}

declare module 'qrcode/lib/core/format-info.js' {
  import type { Level } from 'qrcode/lib/core/error-correction-level.js';

  const formatInfo: { getEncodedBits(level: Level, mask: number): number };
  export default formatInfo;
}

declare module 'qrcode/lib/core/finder-pattern.js' {
  const finderPattern: { getPositions(version: number): [number, number][] };
  export default finderPattern;
}

declare module 'qrcode/lib/core/alignment-pattern.js' {
  const alignmentPattern: { getPositions(version: number): [number, number][] };
  export default alignmentPattern;
}

declare module 'qrcode/lib/core/mask-pattern.js' {
  import type BitMatrix from 'qrcode/lib/core/bit-matrix.js';

  const maskPattern: {
    getBestMask(modules: BitMatrix, setFormat: (mask: number) => void): number;
    applyMask(mask: number, modules: BitMatrix): void;
  };
  export default maskPattern;
}

declare module 'qrcode/lib/core/utils.js' {
  const utils: {
    getSymbolSize(version: number): number;
    getSymbolTotalCodewords(version: number): number;
    getBCHDigit(value: number): number;
  };
  export default utils;
}
