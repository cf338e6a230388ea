import '../src/define.js';
import type { AmazonPayDqr } from '../src/amazonpay-dqr.js';
import { checkAmount } from '../src/contract/rules.js';

/** The point-of-sale demo: a cashier's screen, the customer's QR, an event log and the sandbox's controls. */

const ENDPOINT = '/api/dqr';
const TERMINAL_ID = 'counter-3';
const SAVED_ORDER = 'amazonpay-dqr-demo:order';

const $ = <T extends HTMLElement>(selector: string) => document.querySelector<T>(selector)!;

const form = $<HTMLFormElement>('#sale');
const amountInput = $<HTMLInputElement>('#amount');
const amountError = $<HTMLParagraphElement>('#amount-error');
const chargeButton = $<HTMLButtonElement>('#charge');
const orderActions = $<HTMLDivElement>('#order-actions');
const orderIdText = $<HTMLElement>('#order-id');
const checkButton = $<HTMLButtonElement>('#check');
const cancelButton = $<HTMLButtonElement>('#cancel');
const screen = $<HTMLDivElement>('#screen');
const idleHint = $<HTMLParagraphElement>('#idle-hint');
const log = $<HTMLOListElement>('#log');
const sandboxStatus = $<HTMLParagraphElement>('#sandbox-status');
const kioskToggle = $<HTMLInputElement>('#kiosk');
const lateGraceToggle = $<HTMLInputElement>('#late-grace');
const regenerateToggle = $<HTMLInputElement>('#regenerate');
const languagePicker = $<HTMLSelectElement>('#language');
const customerLink = $<HTMLAnchorElement>('#customer-link');

/** Seconds a late payment is still watched for: Amazon gives a merchant 3.5 minutes. */
const LATE_PAYMENT_GRACE = 210;
/** Fresh QRs offered when one expires unpaid. */
const REGENERATIONS = 2;

let current: AmazonPayDqr | undefined;

function addLog(kind: string, text: string) {
  const item = document.createElement('li');
  item.className = `log-${kind}`;
  const time = document.createElement('time');
  time.textContent = new Date().toLocaleTimeString('en-IN', { hour12: false });
  const label = document.createElement('strong');
  label.textContent = kind;
  const body = document.createElement('span');
  body.textContent = text;
  item.append(time, label, body);
  log.prepend(item);
}

function newOrderId() {
  return `POS3-${Date.now().toString(36).toUpperCase()}`;
}

/** Shows the QR for one order; a reload with the same saved order resumes it. */
function startOrder(orderId: string, amount: string) {
  current?.remove();
  const element = document.createElement('amazonpay-dqr');
  element.endpoint = ENDPOINT;
  element.orderId = orderId;
  element.amount = amount;
  element.terminalId = TERMINAL_ID;
  // The customer display (customer.html) mirrors this element over the channel of the counter.
  element.channel = TERMINAL_ID;
  element.kiosk = kioskToggle.checked;
  element.sound = kioskToggle.checked;
  element.latePaymentGrace = lateGraceToggle.checked ? LATE_PAYMENT_GRACE : 0;
  element.regenerate = regenerateToggle.checked ? REGENERATIONS : 0;
  for (const type of ['paid', 'expired', 'cancel', 'error'] as const) {
    element.addEventListener(type, (event) => {
      addLog(type, JSON.stringify(event.detail));
      if (type !== 'error') finishOrder();
    });
  }
  element.addEventListener('late-payment', (event) => addLog('late-payment', JSON.stringify(event.detail)));
  element.addEventListener('regenerate', (event) => {
    const next = newOrderId();
    event.detail.setOrderId(next);
    orderIdText.textContent = next;
    sessionStorage.setItem(SAVED_ORDER, JSON.stringify({ orderId: next, amount }));
    addLog('regenerate', `${event.detail.orderId} expired: fresh QR ${event.detail.attempt} as ${next}`);
  });
  current = element;
  idleHint.hidden = true;
  screen.append(element);
  orderIdText.textContent = orderId;
  orderActions.hidden = false;
  chargeButton.disabled = true;
  checkButton.disabled = false;
  cancelButton.disabled = false;
  sessionStorage.setItem(SAVED_ORDER, JSON.stringify({ orderId, amount }));
  addLog('charge', `${orderId} for ₹${amount}`);
}

/** The order is over: nothing left to check or cancel, the next sale can start. */
function finishOrder() {
  sessionStorage.removeItem(SAVED_ORDER);
  chargeButton.disabled = false;
  checkButton.disabled = true;
  cancelButton.disabled = true;
}

function newSale() {
  current?.remove();
  current = undefined;
  finishOrder();
  orderActions.hidden = true;
  idleHint.hidden = false;
  amountInput.focus();
}

function showAmountError(message: string | undefined) {
  amountError.textContent = message ?? '';
  amountError.hidden = !message;
  amountInput.setAttribute('aria-invalid', String(Boolean(message)));
}

function pressKey(key: string) {
  const value = amountInput.value;
  if (key === 'Backspace') amountInput.value = value.slice(0, -1);
  else if (key === '.' && value.includes('.')) return;
  else if (/\.\d\d$/.test(value)) return;
  else amountInput.value = value + key;
  showAmountError(undefined);
}

async function sandbox(path: string, body?: unknown) {
  const response = await fetch(`/sandbox/control/${path}`, {
    method: body === null ? 'DELETE' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined || body === null ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  sandboxStatus.textContent = response.ok
    ? `Sandbox: ${path} done`
    : `Sandbox: ${path} refused (${response.status}) ${text}`;
  return response.ok;
}

/**
 * Plays the customer. `pay-then-cancel` is the race a cashier fears: the payment lands just as
 * the cashier cancels, before Amazon's notification arrives, so the cancel answers with a refund.
 */
async function customer(action: string) {
  const element = current;
  if (!element?.orderId) {
    sandboxStatus.textContent = 'Start a charge first.';
    return;
  }
  if (action === 'pay-then-cancel') {
    if (await sandbox(`orders/${element.orderId}/pay`, { notify: false })) {
      await element.cancel({ reason: 'USER_CANCELLATION' }).catch(() => undefined);
    }
  } else {
    await sandbox(`orders/${element.orderId}/${action}`);
  }
}

const faults: Record<string, unknown> = {
  errors: { status: 503, count: 3 },
  latency: { latencyMs: 3000 },
  'bad-signature': { badSignature: 1 },
  'drop-ipn': { dropIpn: 1 },
  clear: null,
};

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const amount = amountInput.value.trim();
  const problem = checkAmount(amount);
  showAmountError(problem);
  if (problem) return;
  // Receipts, the QR and the customer's UPI app all show rupees with two decimals.
  amountInput.value = Number(amount).toFixed(2);
  startOrder(newOrderId(), amountInput.value);
});
$('#clear').addEventListener('click', () => {
  amountInput.value = '';
  showAmountError(undefined);
  amountInput.focus();
});
$('.keypad').addEventListener('click', (event) => {
  const key = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-key]')?.dataset.key;
  if (key) pressKey(key);
});
checkButton.addEventListener('click', () => void current?.checkStatus());
cancelButton.addEventListener(
  'click',
  () => void current?.cancel({ reason: 'USER_CANCELLATION' }).catch(() => undefined),
);
$('#new-sale').addEventListener('click', newSale);
$('.sandbox').addEventListener('click', (event) => {
  const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button');
  if (button?.dataset.sandbox) void customer(button.dataset.sandbox);
  if (button?.dataset.fault) void sandbox('faults', faults[button.dataset.fault]);
});

/** The POS and its customer display speak the language the cashier picks. */
function setLanguage(lang: string) {
  document.documentElement.lang = lang;
  customerLink.href = `./customer.html?lang=${lang}`;
  current?.requestUpdate();
}
languagePicker.addEventListener('change', () => setLanguage(languagePicker.value));
kioskToggle.addEventListener('change', () => {
  if (current) current.kiosk = current.sound = kioskToggle.checked;
});
setLanguage(languagePicker.value);

const saved = sessionStorage.getItem(SAVED_ORDER);
if (saved) {
  const { orderId, amount } = JSON.parse(saved) as { orderId: string; amount: string };
  amountInput.value = amount;
  startOrder(orderId, amount);
}
