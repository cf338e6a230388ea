/**
 * Draws a QR code as SVG from its modules: one `<path>` for all dark modules, on a light square
 * that keeps the 4-module quiet zone scanners need. Crisp at any size, no canvas, no markup strings.
 */
import { html, svg, type TemplateResult } from 'lit';
import { encodeQr } from './qr-symbol.js';

/** Light modules around the code, as the QR standard asks. */
export const QUIET_ZONE = 4;

/** The drawing of one QR code. */
export interface QrDrawing {
  /** Width and height in modules, quiet zone included: the `viewBox` size. */
  size: number;
  /** Path data covering every dark module. */
  path: string;
}

/** Drawings kept: one per element of a page with a few (a cashier's and a customer's screen, or several tills). */
const KEPT = 8;
const drawings = new Map<string, QrDrawing>();

/**
 * The modules of `text` (byte mode, error correction level M), as one path: a run of dark modules per
 * rectangle. The last few drawings are kept, since every element re-renders each second of its countdown.
 */
export function drawQr(text: string): QrDrawing {
  let drawing = drawings.get(text);
  if (!drawing) {
    drawing = encode(text);
    drawings.set(text, drawing);
    if (drawings.size > KEPT) drawings.delete(drawings.keys().next().value!);
  }
  return drawing;
}

function encode(text: string): QrDrawing {
  const modules = encodeQr(text);
  const count = modules.size;
  const parts: string[] = [];
  for (let row = 0; row < count; row++) {
    let col = 0;
    while (col < count) {
      if (!modules.get(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < count && modules.get(row, col)) col++;
      parts.push(`M${start + QUIET_ZONE} ${row + QUIET_ZONE}h${col - start}v1h-${col - start}z`);
    }
  }
  return { size: count + 2 * QUIET_ZONE, path: parts.join('') };
}

/**
 * The QR as an `<svg>` that scales to its container; decorative, so the caller labels it. Colours
 * are presentation attributes (not styles, so CSP-safe): dark on light whatever the page's theme.
 */
export function renderQr(text: string): TemplateResult {
  const { size, path } = drawQr(text);
  const modules = svg`<rect width=${size} height=${size} fill="#fff"></rect><path d=${path} fill="#000"></path>`;
  return html`<svg
    class="qr-svg"
    viewBox="0 0 ${size} ${size}"
    shape-rendering="crispEdges"
    aria-hidden="true"
    focusable="false"
  >
    ${modules}
  </svg>`;
}
