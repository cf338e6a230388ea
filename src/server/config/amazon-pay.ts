/**
 * How the server reaches Amazon Pay: the merchant's credentials, the host, the signing scope and
 * headers, and the settings for the points Amazon's documents disagree on. Sandbox mode uses the
 * published test credentials below against the built-in emulator.
 */
import { isIP } from 'node:net';
import {
  DEFAULT_NOTES,
  EXPIRY_FIELDS,
  NOTE_LIMITS,
  noteProblem,
  type ExpiryField,
} from '../amazon-pay/compatibility.js';
import { RESPONSE_VARIANTS, type ResponseVariant } from '../signing.js';
import type { Mode } from './index.js';
import type { Settings } from './env.js';

/** How the server reaches Amazon Pay. */
export interface AmazonPayConfig {
  baseUrl: string;
  merchantId: string;
  accessKeyId: string;
  secretKey: string;
  storeId: string;
  storeIdType: string;
  region: string;
  service: string;
  /** Between `AMZ` and the access key id in `Authorization`: `+` as documented, or a space. */
  authorizationSeparator: '+' | ' ';
  /** `x-amz-user-agent`. */
  userAgent: string;
  /** `x-amz-user-ip`. */
  sourceIp: string;
  /** `x-amz-expires`: seconds a request's signature stays valid. */
  signatureTtlSeconds: number;
  /** Generate QR's expiry field. */
  expiryField: ExpiryField;
  /** The variants a Get-status answer's signature may match. */
  getVerification: ResponseVariant[];
  /** Cancel's `noteToCustomer` when the cashier gives none. */
  cancelNote: string;
  /** Refund's `noteToCustomer` and `softDescriptor` (late payments). */
  refundNote: string;
  softDescriptor: string;
  timeoutMs: number;
  /** `AMAZON_PAY_PROXY_URL`: the HTTP proxy the calls to Amazon (Amazon Pay, AWS SNS) go through. */
  proxyUrl?: string;
}

/** Test credentials of the sandbox: public by design, accepted by nothing but the emulator. */
export const SANDBOX_CREDENTIALS = {
  merchantId: 'A1SANDBOXDQR00',
  accessKeyId: 'AKSANDBOXDQR0000',
  secretKey: 'sandbox-secret-key-not-a-secret',
  storeId: 'SANDBOX-STORE-1',
} as const;

/** Amazon Pay India's production host. */
export const PRODUCTION_BASE_URL = 'https://amazonpay.amazon.in';

/** The variables holding the merchant's credentials, by the field they fill. */
export const CREDENTIAL_VARIABLES = {
  merchantId: 'AMAZON_PAY_MERCHANT_ID',
  accessKeyId: 'AMAZON_PAY_ACCESS_KEY_ID',
  secretKey: 'AMAZON_PAY_SECRET_KEY',
  storeId: 'AMAZON_PAY_STORE_ID',
} as const;

/** The variables holding the words sent to the customer, by the field they fill. */
const NOTE_VARIABLES = {
  cancelNote: 'AMAZON_PAY_CANCEL_NOTE',
  refundNote: 'AMAZON_PAY_REFUND_NOTE',
  softDescriptor: 'AMAZON_PAY_SOFT_DESCRIPTOR',
} as const;

/** `AMAZON_PAY_GET_VERIFY`: `auto` (every variant) or a comma-separated list of them. */
function readGetVerification(settings: Settings): ResponseVariant[] {
  const names = settings.list('AMAZON_PAY_GET_VERIFY');
  if (names.length === 0 || (names.length === 1 && names[0] === 'auto')) return [...RESPONSE_VARIANTS];
  const variants = names.map((name) => RESPONSE_VARIANTS.find((variant) => variant === name));
  if (variants.every((variant) => variant !== undefined)) return [...new Set(variants)];
  settings.problem(
    `AMAZON_PAY_GET_VERIFY must be "auto" or a comma-separated list of ${RESPONSE_VARIANTS.join(', ')}.`,
  );
  return [...RESPONSE_VARIANTS];
}

/** The notes sent where Amazon marks them mandatory, each within Amazon's limit. */
function readNotes(settings: Settings): Record<keyof typeof NOTE_VARIABLES, string> {
  const notes: Record<keyof typeof NOTE_VARIABLES, string> = { ...DEFAULT_NOTES };
  for (const [key, name] of Object.entries(NOTE_VARIABLES) as [keyof typeof NOTE_VARIABLES, string][]) {
    const value = settings.text(name);
    if (value === undefined) continue;
    const problem = noteProblem(value, NOTE_LIMITS[key]);
    if (problem) settings.problem(`${name} ${problem}.`);
    else notes[key] = value;
  }
  return notes;
}

/**
 * Reads the Amazon Pay settings; production needs every credential and an https host. Each
 * credential may come from a file instead (`AMAZON_PAY_SECRET_KEY_FILE`).
 */
export function readAmazonPay(settings: Settings, mode: Mode): AmazonPayConfig {
  const production = mode === 'production';
  const credentials: Record<keyof typeof CREDENTIAL_VARIABLES, string> = { ...SANDBOX_CREDENTIALS };
  for (const [key, name] of Object.entries(CREDENTIAL_VARIABLES) as [keyof typeof CREDENTIAL_VARIABLES, string][]) {
    const value = settings.secret(name);
    if (value !== undefined) credentials[key] = value;
    else if (production) settings.problem(`${name} is required in production mode.`);
  }

  const baseUrl = settings.url('AMAZON_PAY_BASE_URL', PRODUCTION_BASE_URL) ?? PRODUCTION_BASE_URL;
  if (production && !baseUrl.startsWith('https://')) {
    settings.problem('AMAZON_PAY_BASE_URL must be https in production mode.');
  }
  const separator = settings.choice('AMAZON_PAY_AUTH_SEPARATOR', ['+', 'space'], '+');
  const userAgent = settings.text('AMAZON_PAY_USER_AGENT') ?? 'POS';
  if (!/^[!-~]{1,64}$/.test(userAgent)) {
    settings.problem('AMAZON_PAY_USER_AGENT must be 1 to 64 printable ASCII characters without spaces, such as POS.');
  }
  const sourceIp = settings.text('AMAZON_PAY_USER_IP') ?? '127.0.0.1';
  if (isIP(sourceIp) === 0) settings.problem('AMAZON_PAY_USER_IP must be an IPv4 or IPv6 address.');
  // It may carry the proxy's password: never repeated in a message.
  const proxyUrl = settings.secret('AMAZON_PAY_PROXY_URL');
  if (proxyUrl !== undefined && !(URL.canParse(proxyUrl) && /^https?:$/.test(new URL(proxyUrl).protocol))) {
    settings.problem('AMAZON_PAY_PROXY_URL must be an http(s) URL such as http://proxy.internal:3128.');
  }

  return {
    baseUrl,
    ...credentials,
    storeIdType: settings.text('AMAZON_PAY_STORE_ID_TYPE') ?? 'MERCHANT_STORE_ID',
    region: settings.text('AMAZON_PAY_REGION') ?? 'eu-west-1',
    service: settings.text('AMAZON_PAY_SERVICE') ?? 'AmazonPay',
    authorizationSeparator: separator === 'space' ? ' ' : '+',
    userAgent,
    sourceIp,
    signatureTtlSeconds: settings.integer('AMAZON_PAY_SIGNATURE_EXPIRES', 900, 60, 3600),
    expiryField: settings.choice('AMAZON_PAY_EXPIRY_FIELD', EXPIRY_FIELDS, 'expiryTimeStamp'),
    getVerification: readGetVerification(settings),
    ...readNotes(settings),
    timeoutMs: settings.integer('AMAZON_PAY_TIMEOUT_MS', 10_000, 100, 120_000),
    proxyUrl,
  };
}
