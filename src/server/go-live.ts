/**
 * The go-live check: with the production configuration, one harmless signed call (Get status of an
 * order id nobody uses, and on a refused signature the same call with the other `Authorization`
 * separator) tells whether a live payment would go through: Amazon reachable, the clocks in step,
 * the signature accepted, Get-status answers verifiable, the IPN URL registrable, and the server
 * one that starts (terminal tokens in production).
 */
import { randomBytes } from 'node:crypto';
import { openProductionProblem } from './app.js';
import { createAmazonPayClient, describeVariant, type SignedAmazonPayClient } from './amazon-pay/client.js';
import { otherExpiryField } from './amazon-pay/compatibility.js';
import { AmazonPayError, type StatusResult } from './amazon-pay/types.js';
import { AnswerTooLargeError, MAX_ANSWER_BYTES, nodeTransport, type Transport } from './amazon-pay/transport.js';
import { textResponse } from './answer-text.js';
import { readUpTo } from './body.js';
import type { ServerConfig } from './config/index.js';
import { createLogger } from './log.js';
import { RESPONSE_VARIANTS, verifyResponseSignature, type ResponseVariant } from './signing.js';

/**
 * The most the server's clock may differ from Amazon's. Every QR's expiry is computed from it and
 * Amazon refuses one under 60 s away, so a few seconds already matter; Amazon's `Date` header
 * counts whole seconds.
 */
export const CLOCK_SKEW_LIMIT_MS = 5_000;

/** `ok` and `note` lines leave the check passing; one `fail` line fails it. */
export type Verdict = 'ok' | 'fail' | 'note';

/** One line of the report. */
export interface CheckLine {
  verdict: Verdict;
  text: string;
}

/** What the check found; `ready` when no line failed. */
export interface GoLiveReport {
  lines: CheckLine[];
  ready: boolean;
}

/** Where the check calls, for a configuration whose host is not the one to call. */
export interface GoLiveOptions {
  /** Default the configured `AMAZON_PAY_BASE_URL`; the built-in sandbox's URL in sandbox mode. */
  baseUrl?: string;
  /** The backend's origin when `DQR_PUBLIC_URL` is not set (sandbox mode: the check's own server). */
  origin?: string;
  /** What sends the check's calls; default the client's own (`nodeTransport`). */
  fetch?: Transport;
}

/** Amazon's raw answer to one call, as the check saw it. */
interface RawAnswer {
  url: string;
  status: number;
  headers: Headers;
  text: string;
  /** Local clock when the call left and when its answer's headers arrived. */
  sentAt: number;
  receivedAt: number;
}

/** One Get status of the made-up order with one separator. */
interface Attempt {
  separator: '+' | ' ';
  client: SignedAmazonPayClient;
  result?: StatusResult;
  error?: unknown;
  answer?: RawAnswer;
}

const separatorSetting = (separator: '+' | ' ') => (separator === ' ' ? 'space' : '+');
const isCode = (error: unknown, status: number, code?: string) =>
  error instanceof AmazonPayError && error.status === status && (code === undefined || error.code === code);

/** The variant among `variants` that `answer`'s signature matches, if any. */
function matchingVariant(
  answer: RawAnswer,
  config: ServerConfig['amazonPay'],
  variants: readonly ResponseVariant[],
): ResponseVariant | undefined {
  const { secretKey, region, service } = config;
  const { url, headers, text: bodyText } = answer;
  try {
    return verifyResponseSignature({ method: 'GET', url, headers, bodyText, secretKey, region, service, variants });
  } catch {
    return undefined;
  }
}

/** Runs the check for `config`; never throws for anything Amazon does. */
export async function goLiveCheck(config: ServerConfig, options: GoLiveOptions = {}): Promise<GoLiveReport> {
  const amazonPay = config.amazonPay;
  const baseUrl = options.baseUrl ?? amazonPay.baseUrl;
  const doFetch = options.fetch ?? nodeTransport;
  const orderId = `GOLIVE-CHECK-${randomBytes(8).toString('hex')}`;
  const lines: CheckLine[] = [];
  const add = (verdict: Verdict, text: string) => lines.push({ verdict, text });

  async function attempt(separator: '+' | ' '): Promise<Attempt> {
    let answer: RawAnswer | undefined;
    const recording: Transport = async (url, init) => {
      const sentAt = Date.now();
      const response = await doFetch(url, init);
      const receivedAt = Date.now();
      const { status, headers } = response;
      // Read once, as far as the client would read it, and handed on as read.
      const text = await readUpTo(response, MAX_ANSWER_BYTES);
      answer = { url: url.href, status, headers, text: text ?? '', sentAt, receivedAt };
      if (text === undefined) throw new AnswerTooLargeError();
      return textResponse(text, response);
    };
    const client = createAmazonPayClient({
      ...amazonPay,
      baseUrl,
      authorizationSeparator: separator,
      retries: 0,
      fetch: recording,
      logger: createLogger({ level: 'silent' }),
    });
    try {
      return { separator, client, result: await client.getStatus(orderId), answer };
    } catch (error) {
      return { separator, client, error, answer };
    }
  }

  /** Amazon checked the signature and took the call: it answered, or has no such order. */
  const accepted = ({ result, error }: Attempt) =>
    result !== undefined ||
    (error instanceof AmazonPayError && (error.kind === 'signature' || error.kind === 'malformed')) ||
    isCode(error, 404);

  if (config.mode === 'sandbox') {
    add(
      'fail',
      "AMAZON_PAY_MODE is sandbox: these calls went to the built-in emulator and no payment is live; set AMAZON_PAY_MODE=production and the merchant's credentials",
    );
  }

  const first = await attempt(amazonPay.authorizationSeparator);
  if (!first.answer) {
    add('fail', `${baseUrl}: ${(first.error as Error).message}`);
  } else {
    const { status, sentAt, receivedAt, headers } = first.answer;
    add('ok', `Amazon Pay reachable at ${baseUrl}: Get status answered ${status} in ${receivedAt - sentAt} ms`);
    add(...clockLine(headers.get('date'), (sentAt + receivedAt) / 2));

    let taken: Attempt | undefined = first;
    const setting = `AMAZON_PAY_AUTH_SEPARATOR=${separatorSetting(first.separator)}`;
    if (isCode(first.error, 401, 'AuthorizationFailed')) {
      const second = await attempt(first.separator === '+' ? ' ' : '+');
      taken = accepted(second) ? second : undefined;
      const other = `AMAZON_PAY_AUTH_SEPARATOR=${separatorSetting(second.separator)}`;
      add(
        'fail',
        taken
          ? `Signature refused with ${setting} (401 AuthorizationFailed) and accepted with the other separator: set ${other}`
          : 'Signature refused (401 AuthorizationFailed) with either Authorization separator: check AMAZON_PAY_MERCHANT_ID, AMAZON_PAY_ACCESS_KEY_ID and AMAZON_PAY_SECRET_KEY (and AMAZON_PAY_REGION, AMAZON_PAY_SERVICE)',
      );
    } else if (accepted(first)) {
      const error = first.error as AmazonPayError | undefined;
      const said = first.result
        ? `${status} ${first.result.status}`
        : error!.kind === 'response'
          ? `${error!.status} ${error!.code}`
          : `${status}`;
      add('ok', `Signature accepted with ${setting}: Amazon answered ${said} for the made-up order ${orderId}`);
    } else {
      taken = undefined;
      add('fail', refusal(first.error as AmazonPayError));
    }
    if (taken) add(...verificationLine(taken, config));
  }

  add(...ipnLine(config, options.origin));
  if (config.mode === 'production') add(...terminalLine(config));
  const field = amazonPay.expiryField;
  add(
    'note',
    `Generate QR sends ${field} (AMAZON_PAY_EXPIRY_FIELD; not tried here, the check makes no QR); a 400 naming ${otherExpiryField(field)} is retried once with it`,
  );
  return { lines, ready: lines.every((line) => line.verdict !== 'fail') };
}

/** The clock against Amazon's `Date` header (whole seconds, so its middle is the best guess). */
function clockLine(date: string | null, localMiddle: number): [Verdict, string] {
  const amazonTime = date ? Date.parse(date) : NaN;
  if (Number.isNaN(amazonTime)) return ['fail', "Clock not checked: Amazon's answer has no Date header"];
  const skew = localMiddle - (amazonTime + 500);
  const text = `Clock ${(Math.abs(skew) / 1000).toFixed(1)} s ${skew > 0 ? 'ahead of' : 'behind'} Amazon Pay's (at most ${CLOCK_SKEW_LIMIT_MS / 1000} s)`;
  return Math.abs(skew) <= CLOCK_SKEW_LIMIT_MS
    ? ['ok', text]
    : ['fail', `${text}: set the clock right (NTP); every QR's expiry is computed from it`];
}

/** Why Amazon refused a call whose signature it did not accept, and what to do. */
function refusal(error: AmazonPayError): string {
  if (isCode(error, 401, 'AuthorizationExpired')) {
    return "Signature refused as expired (401 AuthorizationExpired): the clock is behind Amazon's, or AMAZON_PAY_SIGNATURE_EXPIRES is too short";
  }
  if (error.retryable) return `Amazon Pay is unavailable (${error.status} ${error.code}): run the check again later`;
  return `Amazon Pay refused the call (${error.status} ${error.code}): ${error.message}`;
}

/** Which verification variant Amazon's Get-status answer matched, and whether the setting allows it. */
function verificationLine(taken: Attempt, config: ServerConfig): [Verdict, string] {
  const allowed = config.amazonPay.getVerification;
  const auto = RESPONSE_VARIANTS.every((variant) => allowed.includes(variant));
  const setting = `AMAZON_PAY_GET_VERIFY=${auto ? 'auto' : allowed.join(',')}`;
  const said = (variant: ResponseVariant) =>
    `Get-status answers verify with ${describeVariant(variant)} (${setting}${auto ? `; ${variant} alone narrows to it` : ''})`;
  const matched = taken.client.findings().getVerification;
  if (taken.result && matched) return ['ok', said(matched)];
  const answer = taken.answer!;
  if (isCode(taken.error, 404)) {
    const variant = matchingVariant(answer, config.amazonPay, allowed);
    return variant
      ? ['ok', said(variant)]
      : ['note', 'Get-status verification not seen: Amazon answered 404 without a signature the check can verify'];
  }
  const actual = matchingVariant(answer, config.amazonPay, RESPONSE_VARIANTS);
  return [
    'fail',
    actual
      ? `Get-status answers are signed with ${describeVariant(actual)}, which ${setting} refuses: set AMAZON_PAY_GET_VERIFY=${actual} (or auto)`
      : `Amazon's Get-status answer matches none of ${RESPONSE_VARIANTS.join(', ')}: the backend would refuse every status answer (${(taken.error as Error).message})`,
  ];
}

/** Whether `amazonpay-dqr-backend` would start: production needs the terminals' tokens. */
function terminalLine(config: ServerConfig): [Verdict, string] {
  const { terminals, terminalTokensFile } = config.security;
  const problem = openProductionProblem(config, false);
  return problem || !terminals
    ? ['fail', `The server would not start: ${problem}`]
    : ['ok', `Terminal authentication: ${terminals.length} terminals from ${terminalTokensFile}`];
}

/** The URL to register for payment notifications, which Amazon delivers to https only. */
function ipnLine(config: ServerConfig, origin: string | undefined): [Verdict, string] {
  const publicUrl = config.publicUrl ?? origin;
  if (!publicUrl) {
    return [
      'fail',
      `IPN URL unknown: set DQR_PUBLIC_URL to the backend's public https origin, then register it followed by ${config.basePath}/ipn`,
    ];
  }
  const url = `${publicUrl}${config.basePath}/ipn`;
  return url.startsWith('https://')
    ? ['ok', `IPN URL to register with Amazon Pay: ${url} (https)`]
    : [
        'fail',
        `IPN URL ${url} is not https, and Amazon Pay notifies https endpoints only: set DQR_PUBLIC_URL to the https origin`,
      ];
}
