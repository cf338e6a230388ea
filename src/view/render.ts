/**
 * What the element shows for a session's state, in the copy of its language: the QR with the
 * amount, payee, instructions, countdown and cancel button while it is payable; the outcome after;
 * and one polite live region for the status. Text only ever goes through Lit's text bindings.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { OrderView } from '../contract/types.js';
import type { Copy } from '../i18n/copy.js';
import { formatClock, formatRupees } from '../i18n/format.js';
import type { DqrFormat } from '../session/inputs.js';
import { PAYING_KINDS, type SessionState, orderOf } from '../session/state.js';
import { isUpiPayUri, pictureType } from '../session/validate.js';
import { renderQr } from './qr.js';
import { parseUpi } from './upi.js';

/** Seconds left under which the timer turns to the danger colour. */
const LOW_TIME_SECONDS = 30;

/** The icon's colour class in each final state. */
const ICONS = { paid: 'success', expired: '', cancelled: '', failed: 'danger' };

/** Everything one render reads. */
export interface ViewModel {
  state: SessionState;
  copy: Copy;
  /** Until the page's language first arrives there is only the spinner: no words in another language. */
  wordless: boolean;
  /** Whole seconds left to pay, and the last time a screen reader was told. */
  remaining: number;
  announced: number | undefined;
  format: DqrFormat;
  /** A customer display: no cancel or retry button. */
  displaying: boolean;
  noCancelButton: boolean;
  /** `pay-on-device` is set and the screen is a touch device's: offer the UPI apps on it. */
  payOnDevice: boolean;
  onCancel(): void;
  onRetry(): void;
}

function qr(order: OrderView, label: string, format: DqrFormat): TemplateResult {
  const useImage = order.qrImage && (format === 'image' || !order.qrString);
  if (useImage) {
    return html`<img
      class="qr qr-img"
      part="qr"
      alt=${label}
      src="data:${pictureType(order.qrImage!)};base64,${order.qrImage}"
    />`;
  }
  return html`<div class="qr" part="qr" role="img" aria-label=${label}>${renderQr(order.qrString!)}</div>`;
}

/**
 * A link to the UPI string itself, so the phone's app chooser opens with this payment; only a
 * `upi://pay?` string can be its target (checked again here, whatever reached the view).
 */
function payHere(order: OrderView, copy: Copy): TemplateResult | typeof nothing {
  if (!order.qrString || !isUpiPayUri(order.qrString)) return nothing;
  return html`<a class="pay-on-device" part="pay-on-device" href=${order.qrString}>${copy.payOnDevice}</a>`;
}

function paying(order: OrderView, showQr: boolean, model: ViewModel): TemplateResult {
  const { copy, remaining } = model;
  const payee = order.qrString ? parseUpi(order.qrString).payee : undefined;
  const amount = formatRupees(order.amount, copy.locale);
  return html`
    ${
      showQr
        ? qr(order, copy.qrLabel(amount, payee), model.format)
        : html`<div class="qr-hidden"><div class="spinner"></div></div>`
    }
    <div class="details">
      <p class="amount" part="amount">${amount}</p>
      ${payee ? html`<p class="payee" part="payee">${copy.payTo(payee)}</p>` : nothing}
      ${
        showQr
          ? html`
              <div class="instructions"><slot name="instructions">${copy.instructions}</slot></div>
              <p class="countdown ${remaining <= LOW_TIME_SECONDS ? 'low' : ''}">
                <span class="label" id="time-left">${copy.timeLeft}</span>
                <span role="timer" part="countdown" aria-labelledby="time-left"
                  >${formatClock(remaining, copy.locale)}</span
                >
              </p>
              ${model.payOnDevice ? payHere(order, copy) : nothing}
              ${
                model.noCancelButton || model.displaying
                  ? nothing
                  : html`<div>
                      <button class="cancel" part="cancel-button" type="button" @click=${model.onCancel}>
                        ${copy.cancelButton}
                      </button>
                    </div>`
              }
            `
          : nothing
      }
    </div>
  `;
}

function body(model: ViewModel): TemplateResult | typeof nothing {
  const { state, copy } = model;
  switch (state.kind) {
    case 'idle':
    case 'requesting':
      return html`<div class="spinner"></div>`;
    case 'pending':
      return paying(state.order, true, model);
    case 'expiring':
    case 'cancelling':
      return paying(state.order, false, model);
    case 'paid':
    case 'expired':
    case 'cancelled':
    case 'failed':
      return html`<div class="icon ${ICONS[state.kind]}" aria-hidden="true">${state.kind === 'paid' ? '✓' : '✕'}</div>
        <p class="amount" part="amount">${formatRupees(state.order.amount, copy.locale)}</p>`;
    case 'error':
      return state.error.retryable && !model.displaying
        ? html`<button class="retry" part="retry-button" type="button" @click=${model.onRetry}>
            ${copy.retryButton}
          </button>`
        : nothing;
    case 'invalid':
      return nothing;
  }
}

function late(order: OrderView, copy: Copy): TemplateResult | typeof nothing {
  return order.latePayment
    ? html`<strong class="late-payment" part="late-payment"
        >${copy.latePayment(order.latePayment.refundStatus)}</strong
      >`
    : nothing;
}

function status({ state, copy, displaying }: ViewModel): TemplateResult | string {
  switch (state.kind) {
    case 'idle':
      return displaying ? copy.mirrorWaiting : copy.loading;
    case 'requesting':
      return `${state.regenerating ? copy.regenerating : copy.loading} ${state.outage?.message ?? ''}`.trim();
    case 'pending':
      if (state.offline) return copy.offline;
      if (state.outage) return copy.reconnecting;
      return state.cancelFailure ? html`<slot name="error">${copy.error}</slot> ${state.cancelFailure.message}` : '';
    case 'expiring':
      if (state.offline) return `${copy.expiring} ${copy.offline}`;
      return state.outage ? `${copy.expiring} ${copy.stillTrying}` : copy.expiring;
    case 'cancelling':
      return copy.cancelling;
    case 'paid':
      return html`<slot name="paid">${copy.paid}</slot>`;
    case 'expired':
      return html`<slot name="expired">${copy.expired}</slot>
        ${state.order.cancel?.outcome === 'RefundApplicable' ? copy.expiredLatePayment : ''} ${late(state.order, copy)}`;
    case 'cancelled':
      return html`<slot name="cancelled">${copy.cancelled}</slot>
        ${copy.cancelOutcome(state.order.cancel?.outcome, state.order.cancel?.refund ?? false)}
        ${late(state.order, copy)}`;
    case 'failed':
      return html`<slot name="failed">${copy.failed}</slot>`;
    case 'error':
      return html`<slot name="error">${copy.error}</slot> ${state.error.message}`;
    case 'invalid':
      return html`<slot name="error">${copy.invalid}</slot> ${state.message}`;
  }
}

/** The element's shadow content for `model`. */
export function renderView(model: ViewModel): TemplateResult {
  const { state, copy } = model;
  const announced = state.kind === 'pending' ? model.announced : undefined;
  return html`
    ${orderOf(state)?.mode === 'sandbox' ? html`<p class="sandbox" part="sandbox">${copy.sandbox}</p>` : nothing}
    <div class="layout ${PAYING_KINDS.includes(state.kind) ? 'paying' : ''}">${body(model)}</div>
    <p class="status" role="status" part="status">${model.wordless ? '' : status(model)}</p>
    <p class="visually-hidden" aria-live="polite">${announced ? copy.secondsLeft(announced) : ''}</p>
  `;
}
