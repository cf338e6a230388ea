/**
 * The element's styles: themable through `--amazonpay-dqr-*` custom properties and `::part()`s,
 * dark and reduced-motion aware, and all in a constructed stylesheet so a strict
 * Content-Security-Policy (no inline styles) is never in the way. Kiosk mode's come with its
 * feature (`features/kiosk.ts`).
 */
import { css } from 'lit';

export const styles = css`
  :host {
    --_accent: var(--amazonpay-dqr-accent, #ff9900);
    --_background: var(--amazonpay-dqr-background, #ffffff);
    --_text: var(--amazonpay-dqr-text, #0f1111);
    --_muted: var(--amazonpay-dqr-muted, #565959);
    --_success: var(--amazonpay-dqr-success, #067d62);
    --_danger: var(--amazonpay-dqr-danger, #b12704);
    --_radius: var(--amazonpay-dqr-radius, 12px);
    --_qr-size: var(--amazonpay-dqr-qr-size, 320px);
    display: block;
    box-sizing: border-box;
    padding: 1.25rem;
    border-radius: var(--_radius);
    background: var(--_background);
    color: var(--_text);
    font-family: var(--amazonpay-dqr-font, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    line-height: 1.4;
    container-type: inline-size;
  }

  :host([hidden]) {
    display: none;
  }

  @media (prefers-color-scheme: dark) {
    :host {
      --_background: var(--amazonpay-dqr-background, #1b1f24);
      --_text: var(--amazonpay-dqr-text, #f2f4f5);
      --_muted: var(--amazonpay-dqr-muted, #b6bcc2);
      --_success: var(--amazonpay-dqr-success, #3fcf9f);
      --_danger: var(--amazonpay-dqr-danger, #ff8a70);
    }
  }

  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }

  .layout {
    display: grid;
    gap: 1rem 1.5rem;
    justify-items: center;
    text-align: center;
  }

  @container (min-width: 560px) {
    .layout.paying {
      grid-template-columns: auto 1fr;
      align-items: center;
      justify-items: start;
      text-align: start;
    }
  }

  .qr {
    display: block;
    width: min(100%, var(--_qr-size));
    aspect-ratio: 1;
    margin: 0;
    padding: 0;
    border-radius: calc(var(--_radius) / 2);
    background: #ffffff;
    overflow: hidden;
  }

  /* The code stays dark on light in every theme: scanners expect it. */
  .qr-svg,
  .qr-img {
    display: block;
    width: 100%;
    height: 100%;
  }

  .qr-hidden {
    display: grid;
    place-items: center;
    width: min(100%, var(--_qr-size));
    aspect-ratio: 1;
    border: 2px dashed var(--_muted);
    border-radius: calc(var(--_radius) / 2);
    color: var(--_muted);
  }

  .details {
    display: grid;
    gap: 0.5rem;
  }

  .amount {
    margin: 0;
    font-size: 2.25rem;
    font-weight: 700;
    font-variant-numeric: tabular-nums;
  }

  .payee,
  .instructions,
  .label {
    margin: 0;
    color: var(--_muted);
  }

  .countdown {
    margin: 0;
    display: flex;
    gap: 0.5rem;
    align-items: baseline;
    justify-content: inherit;
  }
  .countdown [role='timer'] {
    font-size: 1.5rem;
    font-weight: 600;
    font-variant-numeric: tabular-nums;
  }
  .countdown.low [role='timer'] {
    color: var(--_danger);
  }

  .status {
    margin: 0;
    min-height: 1.4em;
    color: var(--_muted);
    text-align: center;
  }
  .status:empty {
    min-height: 0;
  }
  :host([status='paid']) .status {
    color: var(--_success);
    font-size: 1.5rem;
    font-weight: 700;
  }
  :host([status='error']) .status,
  :host([status='invalid']) .status,
  :host([status='failed']) .status {
    color: var(--_danger);
  }

  .icon {
    display: grid;
    place-items: center;
    width: 4rem;
    height: 4rem;
    border-radius: 50%;
    font-size: 2rem;
    color: var(--_background);
    background: var(--_muted);
  }
  .icon.success {
    background: var(--_success);
  }
  .icon.danger {
    background: var(--_danger);
  }

  .spinner {
    width: 2.5rem;
    height: 2.5rem;
    border: 4px solid color-mix(in srgb, var(--_accent) 25%, transparent);
    border-top-color: var(--_accent);
    border-radius: 50%;
    animation: spin 1s linear infinite;
  }
  @keyframes spin {
    to {
      transform: rotate(360deg);
    }
  }

  button {
    min-height: 44px;
    padding: 0.5rem 1.25rem;
    border-radius: calc(var(--_radius) / 2);
    font: inherit;
    font-weight: 600;
    cursor: pointer;
  }
  .pay-on-device {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    min-height: 44px;
    margin-bottom: 0.5rem;
    padding: 0.5rem 1.25rem;
    border-radius: calc(var(--_radius) / 2);
    background: var(--_accent);
    color: #0f1111;
    font-weight: 600;
    text-decoration: none;
  }
  .pay-on-device:focus-visible,
  button:focus-visible {
    outline: 3px solid var(--_accent);
    outline-offset: 2px;
  }
  .cancel {
    border: 1px solid var(--_muted);
    background: transparent;
    color: var(--_text);
  }
  .retry {
    border: 1px solid var(--_accent);
    background: var(--_accent);
    color: #0f1111;
  }

  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }

  /* Unmissable and the same in every theme: a cashier must never take a sandbox QR for a real one. */
  .sandbox {
    margin: 0 0 1rem;
    padding: 0.5rem;
    border: 3px dashed #0f1111;
    background: #ffd814;
    color: #0f1111;
    font-weight: 700;
    text-align: center;
  }

  .late-payment {
    display: block;
    margin-top: 0.5rem;
    color: var(--_danger);
  }

  @media (prefers-reduced-motion: reduce) {
    .spinner {
      animation: none;
    }
    * {
      transition: none !important;
    }
  }
`;
