import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';

/**
 * Server-side rendering: a Next.js or Remix page imports the element and the React wrapper under
 * Node, where there is no DOM, and renders the wrapper to HTML that the browser then upgrades.
 */
describe('server-side rendering', () => {
  it('imports the element, its registration and the React wrapper under Node without a DOM', async () => {
    assert.equal(typeof document, 'undefined');
    const element = await import('../../src/amazonpay-dqr.js');
    await import('../../src/define.js');
    const react = await import('../../src/react.js');
    assert.equal(typeof element.AmazonPayDqr, 'function');
    assert.equal(customElements.get('amazonpay-dqr'), element.AmazonPayDqr);
    assert.deepEqual(Object.keys(react.events).sort(), [
      'onCancel',
      'onDqrError',
      'onExpired',
      'onLatePayment',
      'onPaid',
      'onRegenerate',
    ]);
  });

  it('renders the React wrapper as the bare tag: properties, secrets among them, wait for the browser', async () => {
    const { AmazonPayDqr } = await import('../../src/react.js');
    const html = renderToString(
      createElement(AmazonPayDqr, {
        endpoint: '/api/dqr',
        orderId: 'ORD-1042',
        amount: '249.00',
        lang: 'hi',
        requestInit: { headers: { authorization: 'Bearer till-secret' } },
        onPaid: () => undefined,
      }),
    );
    assert.equal(html, '<amazonpay-dqr lang="hi"></amazonpay-dqr>');
  });
});
