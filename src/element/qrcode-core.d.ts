/**
 * qrcode's encoder alone (no canvas, SVG-string or PNG renderers): the element draws the modules
 * itself, so it imports just this CommonJS module, which keeps about 2 kB (gzip) out of the bundle.
 */
declare module 'qrcode/lib/core/qrcode.js' {
  import type { create } from 'qrcode';

  const encoder: { create: typeof create };
  export default encoder;
}
