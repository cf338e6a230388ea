import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { EXPIRY_FIELDS } from '../../src/server/amazon-pay/compatibility.js';
import { MAX_ANSWER_BYTES, type Transport } from '../../src/server/amazon-pay/transport.js';
import { loadConfig } from '../../src/server/config/index.js';
import { goLiveCheck } from '../../src/server/go-live.js';
import type { SandboxStrictness } from '../../src/server/sandbox/index.js';
import { RESPONSE_VARIANTS } from '../../src/server/signing.js';
import { httpsSandbox, makeCertificate, runCommand, type CommandRun } from './support/https-sandbox.js';
import { MERCHANT, STORE } from './support/sandbox-server.js';
import { tokensFile } from './support/terminal-tokens.js';

/**
 * `amazonpay-dqr-backend check` as an operator runs it: a child process with a production
 * configuration, against the sandbox over HTTPS set to each reading of the disputed points.
 */
describe('amazonpay-dqr-backend check', { concurrency: 4 }, () => {
  let tls: ReturnType<typeof makeCertificate>;
  before(() => (tls = makeCertificate()));
  const terminals = tokensFile([{ terminalId: 'till-1', storeId: STORE.storeId }]);
  after(() => tls.remove());

  const production = (baseUrl: string, env: Record<string, string> = {}) => ({
    AMAZON_PAY_MODE: 'production',
    AMAZON_PAY_MERCHANT_ID: MERCHANT.merchantId,
    AMAZON_PAY_ACCESS_KEY_ID: MERCHANT.accessKeyId,
    AMAZON_PAY_SECRET_KEY: MERCHANT.secretKey,
    AMAZON_PAY_STORE_ID: STORE.storeId,
    AMAZON_PAY_BASE_URL: baseUrl,
    AMAZON_PAY_SNS_TOPIC_ARNS: 'arn:aws:sns:ap-south-1:123456789012:amazon-pay',
    DQR_TERMINAL_TOKENS_FILE: terminals.file,
    DQR_PUBLIC_URL: 'https://pay.example.in',
    NODE_EXTRA_CA_CERTS: tls.certFile,
    ...env,
  });

  /** Runs the check against a sandbox as strict as `strict` (its clock `clockOffsetMs` off). */
  async function check(strict: SandboxStrictness, env: Record<string, string> = {}, clockOffsetMs = 0) {
    const server = await httpsSandbox(tls, { strict, now: () => Date.now() + clockOffsetMs });
    try {
      return await runCommand(['check'], production(server.baseUrl, env));
    } finally {
      await server.close();
    }
  }

  /** The line of the report that starts with `label` and mentions `about`. */
  const line = (run: CommandRun, label: 'ok' | 'FAIL' | 'note', about: RegExp) => {
    const found = run.stdout.split('\n').find((text) => text.trim().startsWith(label) && about.test(text));
    assert.ok(found, `no ${label} line about ${about}:\n${run.stdout}${run.stderr}`);
    return found;
  };

  it('passes against a lenient sandbox, in a few plain lines, and exits 0', async () => {
    const run = await check({});
    assert.equal(run.status, 0, run.stdout + run.stderr);
    line(run, 'ok', /^ *ok +Amazon Pay reachable at https:\/\/127\.0\.0\.1:\d+\/sandbox: Get status answered 200/);
    line(run, 'ok', /Clock \d+\.\d s (ahead of|behind) Amazon Pay's/);
    line(
      run,
      'ok',
      /Signature accepted with AMAZON_PAY_AUTH_SEPARATOR=\+: Amazon answered 200 NO_RECORD_FOUND for the made-up order GOLIVE-CHECK-\w+$/,
    );
    line(run, 'ok', /Get-status answers verify with method line GET, empty line 3/);
    line(run, 'ok', /IPN URL to register with Amazon Pay: https:\/\/pay\.example\.in\/api\/dqr\/ipn \(https\)/);
    line(run, 'ok', /Terminal authentication: 1 terminals from .*terminals\.jsonl/);
    line(run, 'note', /Generate QR sends expiryTimeStamp/);
    assert.match(run.stdout, /Ready for live payments\.\n$/);
    assert.ok(run.stdout.split('\n').length <= 10, run.stdout);
  });

  RESPONSE_VARIANTS.forEach((variant, index) => {
    const expiryField = EXPIRY_FIELDS[index % 2];
    it(`says which variant Amazon signs Get status in: ${variant} (expiry field ${expiryField})`, async () => {
      const run = await check(
        { getSignature: variant, expiryField, requireNotes: true },
        { AMAZON_PAY_EXPIRY_FIELD: expiryField },
      );
      assert.equal(run.status, 0, run.stdout + run.stderr);
      line(
        run,
        'ok',
        new RegExp(
          `verify with method line ${variant.split('+')[0]}, ${variant.includes('+') ? 'the query in line 3' : 'empty line 3'} \\(AMAZON_PAY_GET_VERIFY=auto; ${variant.replace('+', '\\+')} alone narrows to it\\)`,
        ),
      );
      line(run, 'note', new RegExp(`Generate QR sends ${expiryField}`));
    });
  });

  it("fails a narrowed AMAZON_PAY_GET_VERIFY that refuses Amazon's variant, and names the one to set", async () => {
    const run = await check({ getSignature: 'POST' }, { AMAZON_PAY_GET_VERIFY: 'GET' });
    assert.equal(run.status, 1);
    line(
      run,
      'FAIL',
      /signed with method line POST, empty line 3, which AMAZON_PAY_GET_VERIFY=GET refuses: set AMAZON_PAY_GET_VERIFY=POST \(or auto\)/,
    );
    assert.match(run.stdout, /Not ready: fix each FAIL line/);
  });

  for (const [accepted, configured, advice] of [
    [' ', '+', 'space'],
    ['+', 'space', '\\+'],
  ] as const) {
    it(`tries the other separator on 401 AuthorizationFailed and says to set ${advice.replace('\\', '')}`, async () => {
      const run = await check({ authorizationSeparator: accepted }, { AMAZON_PAY_AUTH_SEPARATOR: configured });
      assert.equal(run.status, 1);
      line(
        run,
        'FAIL',
        new RegExp(
          `refused with AMAZON_PAY_AUTH_SEPARATOR=.+ \\(401 AuthorizationFailed\\) and accepted with the other separator: set AMAZON_PAY_AUTH_SEPARATOR=${advice}$`,
        ),
      );
      line(run, 'ok', /Get-status answers verify/);
    });
  }

  it('passes with the separator Amazon accepts', async () => {
    const run = await check({ authorizationSeparator: ' ' }, { AMAZON_PAY_AUTH_SEPARATOR: 'space' });
    assert.equal(run.status, 0, run.stdout);
    line(run, 'ok', /Signature accepted with AMAZON_PAY_AUTH_SEPARATOR=space/);
  });

  it('fails when the signature is refused with either separator (a wrong secret key)', async () => {
    const run = await check({}, { AMAZON_PAY_SECRET_KEY: 'not-the-secret' });
    assert.equal(run.status, 1);
    line(
      run,
      'FAIL',
      /refused \(401 AuthorizationFailed\) with either Authorization separator: check AMAZON_PAY_MERCHANT_ID/,
    );
  });

  it("fails when the server's clock is minutes off Amazon's", async () => {
    const run = await check({}, {}, 120_000);
    assert.equal(run.status, 1);
    line(run, 'FAIL', /Clock 1[12]\d\.\d s behind Amazon Pay's \(at most 5 s\): set the clock right/);
    line(run, 'ok', /Signature accepted/);
  });

  it('fails without a public URL for the IPN endpoint, or without terminal tokens', async () => {
    const unset = await check({}, { DQR_PUBLIC_URL: '', DQR_BASE_PATH: '/pay' });
    assert.equal(unset.status, 1);
    line(
      unset,
      'FAIL',
      /IPN URL unknown: set DQR_PUBLIC_URL to the backend's public https origin, then register it followed by \/pay\/ipn/,
    );
    const open = await check({}, { DQR_TERMINAL_TOKENS_FILE: '' });
    assert.equal(open.status, 1);
    line(open, 'FAIL', /The server would not start: DQR_TERMINAL_TOKENS_FILE is required in production mode/);
    line(open, 'ok', /Signature accepted/);
  });

  it('fails when Amazon Pay cannot be reached, saying why', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as { port: number };
    await new Promise((resolve) => closed.close(resolve));
    const run = await runCommand(['check'], production(`https://127.0.0.1:${port}/sandbox`));
    assert.equal(run.status, 1);
    line(run, 'FAIL', /could not be reached: connect ECONNREFUSED/);
    assert.doesNotMatch(run.stdout, /Signature accepted/);
  });

  it('refuses a production configuration with a plain-http Amazon Pay URL before any call', async () => {
    const run = await runCommand(['check'], production('http://127.0.0.1:9/sandbox'));
    assert.equal(run.status, 1);
    assert.match(run.stderr, /AMAZON_PAY_BASE_URL must be https in production mode/);
    assert.equal(run.stdout, '');
  });

  it('in sandbox mode, shows the check against the built-in emulator and fails: nothing is live', async () => {
    const run = await runCommand(['check'], {});
    assert.equal(run.status, 1);
    line(run, 'FAIL', /AMAZON_PAY_MODE is sandbox/);
    line(run, 'ok', /Signature accepted/);
  });
});

describe('the go-live check through a transport of its own (a proxy)', () => {
  it('reads a huge answer no further than the client does, and fails the check', async () => {
    const chunk = new Uint8Array(64 * 1024).fill(0x20);
    const size = 16 * MAX_ANSWER_BYTES;
    let sent = 0;
    const huge: Transport = async () =>
      new Response(
        new ReadableStream({
          pull(controller) {
            if (sent === size) return controller.close();
            sent += chunk.byteLength;
            controller.enqueue(chunk);
          },
        }),
        { status: 200, headers: { 'content-type': 'application/json' } },
      );
    const config = loadConfig({
      AMAZON_PAY_MODE: 'production',
      AMAZON_PAY_MERCHANT_ID: MERCHANT.merchantId,
      AMAZON_PAY_ACCESS_KEY_ID: MERCHANT.accessKeyId,
      AMAZON_PAY_SECRET_KEY: MERCHANT.secretKey,
      AMAZON_PAY_STORE_ID: STORE.storeId,
      AMAZON_PAY_SNS_TOPIC_ARNS: 'arn:aws:sns:ap-south-1:123456789012:amazon-pay',
      DQR_TERMINAL_TOKENS_FILE: tokensFile([{ terminalId: 'till-1', storeId: STORE.storeId }]).file,
      DQR_PUBLIC_URL: 'https://pay.example.in',
    });
    const report = await goLiveCheck(config, { fetch: huge });
    assert.equal(report.ready, false);
    const failed = report.lines.filter((line) => line.verdict === 'fail').map((line) => line.text);
    assert.ok(
      failed.some((text) => text.includes(`over ${MAX_ANSWER_BYTES} bytes`)),
      failed.join('\n'),
    );
    // Each of the check's calls stops within a few chunks of the limit (a reading ahead of the client's).
    assert.ok(sent < 8 * MAX_ANSWER_BYTES, `${sent} bytes were read`);
  });
});
