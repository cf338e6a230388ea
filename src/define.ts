/** Registers `<amazonpay-dqr>`: the package's only module with a side effect. */
import { AmazonPayDqr } from './amazonpay-dqr.js';

if (!customElements.get('amazonpay-dqr')) customElements.define('amazonpay-dqr', AmazonPayDqr);

declare global {
  interface HTMLElementTagNameMap {
    'amazonpay-dqr': AmazonPayDqr;
  }
}

export { AmazonPayDqr };
