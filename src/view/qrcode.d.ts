/**
 * qrcode's `create` from the module that implements it, so that its canvas and SVG renderers stay
 * out of the bundle; typed by the package's published declarations.
 */
declare module 'qrcode/lib/core/qrcode.js' {
  export { create } from 'qrcode';
}
