/**
 * `addLanguage` for the standalone language files (`dist/lang/<code>.js`): they carry no registry
 * of their own, so they hand their copy to `<amazonpay-dqr>` once the page has defined it, whether
 * the element's script runs before or after them.
 */
import type { Copy } from './copy.js';

interface LanguageTaker {
  addLanguage(code: string, copy: Copy): void;
}

/** Registers `copy` with the page's `<amazonpay-dqr>` as soon as it is defined. */
export function addLanguage(code: string, copy: Copy): void {
  // Looked up once defined: older browsers resolve `whenDefined` without the class.
  void customElements
    .whenDefined('amazonpay-dqr')
    .then(() => (customElements.get('amazonpay-dqr') as unknown as LanguageTaker).addLanguage(code, copy));
}
