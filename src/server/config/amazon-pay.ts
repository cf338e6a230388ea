/**
 * How the server reaches Amazon Pay: the merchant's credentials, the host and the signing scope.
 * Sandbox mode uses the published test credentials below against the built-in emulator.
 */
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
  timeoutMs: number;
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

/** Reads the Amazon Pay settings; production needs every credential and an https host. */
export function readAmazonPay(settings: Settings, mode: Mode): AmazonPayConfig {
  const production = mode === 'production';
  const credentials: Record<keyof typeof CREDENTIAL_VARIABLES, string> = { ...SANDBOX_CREDENTIALS };
  for (const [key, name] of Object.entries(CREDENTIAL_VARIABLES) as [keyof typeof CREDENTIAL_VARIABLES, string][]) {
    const value = settings.text(name);
    if (value !== undefined) credentials[key] = value;
    else if (production) settings.problem(`${name} is required in production mode.`);
  }

  const baseUrl = settings.url('AMAZON_PAY_BASE_URL', PRODUCTION_BASE_URL) ?? PRODUCTION_BASE_URL;
  if (production && !baseUrl.startsWith('https://')) {
    settings.problem('AMAZON_PAY_BASE_URL must be https in production mode.');
  }
  const separator = settings.choice('AMAZON_PAY_AUTH_SEPARATOR', ['+', 'space'], '+');

  return {
    baseUrl,
    ...credentials,
    storeIdType: settings.text('AMAZON_PAY_STORE_ID_TYPE') ?? 'MERCHANT_STORE_ID',
    region: settings.text('AMAZON_PAY_REGION') ?? 'eu-west-1',
    service: settings.text('AMAZON_PAY_SERVICE') ?? 'AmazonPay',
    authorizationSeparator: separator === 'space' ? ' ' : '+',
    timeoutMs: settings.integer('AMAZON_PAY_TIMEOUT_MS', 10_000, 100, 120_000),
  };
}
