import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashToken, parseTerminalTokens } from '../../src/server/backend/terminals.js';
import { runTokenCommand } from '../../src/server/token-command.js';

/** An order store file of the test's own, so no started server writes one into the project. */
const storeFile = () => join(mkdtempSync(join(tmpdir(), 'dqr-startup-')), 'orders.sqlite');

const PRODUCTION = {
  AMAZON_PAY_MODE: 'production',
  AMAZON_PAY_MERCHANT_ID: 'A1REALMERCHANT',
  AMAZON_PAY_ACCESS_KEY_ID: 'AKREAL',
  AMAZON_PAY_SECRET_KEY: 'real-secret',
  AMAZON_PAY_STORE_ID: 'STORE-1',
  AMAZON_PAY_SNS_TOPIC_ARNS: 'arn:aws:sns:eu-west-1:123456789012:amazon-pay',
  // Nothing listens there: no test may reach Amazon.
  AMAZON_PAY_BASE_URL: 'https://127.0.0.1:9',
  PORT: '0',
  LOG_LEVEL: 'info',
};

/** `amazonpay-dqr-backend` run to its end with `env` (and only `env`) and `args`. */
function backendCommand(env: Record<string, string>, args: string[] = []) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/server/main.ts', ...args], {
    env: { PATH: process.env.PATH, ...env },
    encoding: 'utf8',
  });
}

const folder = () => mkdtempSync(join(tmpdir(), 'dqr-startup-'));

describe('amazonpay-dqr-backend refuses to start open, ambiguous or half-configured', () => {
  const refusals: [string, Record<string, string>, RegExp][] = [
    ['production without terminal tokens', PRODUCTION, /DQR_TERMINAL_TOKENS_FILE is required in production mode/],
    [
      'no mode, with real credentials',
      { AMAZON_PAY_MERCHANT_ID: 'A1REALMERCHANT', AMAZON_PAY_SECRET_KEY: 'real-secret' },
      /^Invalid configuration:\n {2}- AMAZON_PAY_MODE is not set but AMAZON_PAY_MERCHANT_ID, AMAZON_PAY_SECRET_KEY are: set AMAZON_PAY_MODE=production .*\n$/,
    ],
    [
      'no mode, with a base URL',
      { AMAZON_PAY_BASE_URL: 'https://amazonpay.amazon.in' },
      /AMAZON_PAY_MODE is not set but AMAZON_PAY_BASE_URL is/,
    ],
    [
      'no mode, under NODE_ENV=production',
      { NODE_ENV: 'production' },
      /AMAZON_PAY_MODE is not set but NODE_ENV=production is/,
    ],
    [
      'production without SNS topics',
      { ...PRODUCTION, AMAZON_PAY_SNS_TOPIC_ARNS: '' },
      /AMAZON_PAY_SNS_TOPIC_ARNS is required in production mode/,
    ],
    [
      'production with an http public URL',
      { ...PRODUCTION, DQR_PUBLIC_URL: 'http://pay.example' },
      /DQR_PUBLIC_URL must be https in production mode/,
    ],
    [
      'production with the metrics port open to the network and no token',
      { ...PRODUCTION, DQR_METRICS_PORT: '9464', DQR_METRICS_HOST: '0.0.0.0' },
      /DQR_METRICS_HOST=0\.0\.0\.0 serves the metrics to whoever reaches port 9464 in production mode: set DQR_METRICS_TOKEN/,
    ],
    [
      'a tokens file that does not exist',
      { ...PRODUCTION, DQR_TERMINAL_TOKENS_FILE: '/nonexistent/terminals.jsonl' },
      /DQR_TERMINAL_TOKENS_FILE \/nonexistent\/terminals.jsonl cannot be read \(ENOENT\)/,
    ],
  ];
  for (const [name, env, message] of refusals) {
    it(`exits 1 for ${name}, saying what to set`, () => {
      const result = backendCommand(env);
      assert.equal(result.status, 1, result.stdout);
      assert.match(result.stderr, message);
      assert.equal(result.stdout, '', 'it never started listening');
    });
  }

  it('names each bad line of the tokens file, and a token stored in the clear', () => {
    const file = join(folder(), 'terminals.jsonl');
    const hash = hashToken('dqr_x');
    writeFileSync(
      file,
      [
        `{"terminalId":"till-1","storeId":"S1","tokenSha256":"${hash}","permissions":[]}`,
        `{"terminalId":"till-2","storeId":"S1","tokenSha256":"dqr_secret_token","permissions":[]}`,
        `{"terminalId":"till-1","storeId":"S1","tokenSha256":"${hashToken('dqr_y')}","permissions":[]}`,
        `{"terminalId":"till-3","storeId":"S1","tokenSha256":"${hashToken('dqr_z')}","permissions":["admin"]}`,
        'not json',
      ].join('\n'),
    );
    const result = backendCommand({ ...PRODUCTION, DQR_TERMINAL_TOKENS_FILE: file });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /line 2: tokenSha256 must be 64 lowercase hex digits/);
    assert.match(result.stderr, /line 3: terminal till-1 is listed twice/);
    assert.match(result.stderr, /line 4: permissions must be/);
    assert.match(result.stderr, /line 5: not JSON/);
  });
});

describe('amazonpay-dqr-backend in sandbox mode', () => {
  it('says at startup that no money is real and that anyone who reaches it may call it', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
      env: { PATH: process.env.PATH, PORT: '0', DQR_SQLITE_PATH: storeFile() },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    await new Promise<void>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`exited with ${code}: ${output}`)));
      child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
        output += chunk;
        if (output.includes('IPN endpoint')) resolve();
      });
    });
    child.kill('SIGTERM');
    await once(child, 'exit');
    const notice = output.split('\n').map((line) => JSON.parse(line || '{}') as { level?: number; msg?: string });
    assert.ok(
      notice.some((line) => line.level === 40 && /no real money, and no terminal authentication/.test(line.msg ?? '')),
      output,
    );
  });
});

describe('amazonpay-dqr-backend token', () => {
  it('writes a terminal’s entry (its token’s hash only) and prints the token once', () => {
    const file = join(folder(), 'terminals.jsonl');
    const first = backendCommand({}, ['token', 'till-1', '--store', 'STORE-1', '--file', file]);
    assert.equal(first.status, 0, first.stderr);
    const token = first.stdout.trim();
    assert.match(token, /^dqr_[A-Za-z0-9_-]{43}$/);
    assert.ok(!readFileSync(file, 'utf8').includes(token), 'the file never holds the token');
    assert.equal(statSync(file).mode & 0o777, 0o600);

    const second = backendCommand({}, [
      'token',
      'till-2',
      '--store',
      'STORE-1',
      '--allow',
      'cancel-without-refund',
      '--file',
      file,
    ]);
    const rotated = backendCommand({}, ['token', 'till-1', '--store', 'STORE-1', '--file', file]);
    assert.deepEqual([second.status, rotated.status], [0, 0]);
    const { terminals, problems } = parseTerminalTokens(readFileSync(file, 'utf8'));
    assert.deepEqual(problems, []);
    assert.deepEqual(
      terminals.map(({ terminalId, permissions }) => [terminalId, permissions]),
      [
        ['till-2', ['cancel-without-refund']],
        ['till-1', []],
      ],
    );
    assert.equal(terminals[1].tokenSha256, hashToken(rotated.stdout.trim()), 'rotated: the old token is gone');
  });

  it('prints the entry on standard output and the token on standard error without --file', () => {
    const result = backendCommand({}, ['token', 'kiosk-7', '--store', 'MALL-2']);
    assert.equal(result.status, 0);
    const token = /^(dqr_\S+)$/m.exec(result.stderr)![1];
    const { terminals } = parseTerminalTokens(result.stdout);
    assert.deepEqual(terminals, [
      { terminalId: 'kiosk-7', storeId: 'MALL-2', tokenSha256: hashToken(token), permissions: [] },
    ]);
  });

  it('refuses a bad terminal id, a missing store or an unknown permission with its usage, exit 2', () => {
    const cases = [
      ['till 1', '--store', 'S'],
      ['till-1'],
      ['till-1', '--store', 'S', '--allow', 'everything'],
      ['--bogus'],
    ];
    for (const args of cases) {
      let out = '';
      let err = '';
      const status = runTokenCommand(args, { out: (text) => (out += text), err: (text) => (err += text) });
      assert.equal(status, 2, args.join(' '));
      assert.match(err, /Usage: amazonpay-dqr-backend token/);
      assert.equal(out, '');
    }
  });
});

describe('amazonpay-dqr-backend in production mode', () => {
  let child: ChildProcess;
  let url: string;
  let token: string;
  before(async () => {
    const file = join(folder(), 'terminals.jsonl');
    token = backendCommand({}, ['token', 'till-1', '--store', 'STORE-1', '--file', file]).stdout.trim();
    child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
      env: { PATH: process.env.PATH, ...PRODUCTION, DQR_TERMINAL_TOKENS_FILE: file, DQR_SQLITE_PATH: storeFile() },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    url = await new Promise<string>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`exited with ${code}: ${output}`)));
      child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
        output += chunk;
        const match = /"url":"(http:\/\/[^"]+)"/.exec(output);
        if (match) resolve(match[1]);
      });
    });
  });
  after(async () => {
    child.kill('SIGTERM');
    await once(child, 'exit');
  });

  it('starts with terminal tokens, answers only a terminal’s own token, and has no sandbox', async () => {
    assert.equal((await fetch(`${url}/qr/ORD-1`)).status, 401);
    assert.equal((await fetch(`${url}/qr/ORD-1`, { headers: { authorization: `Bearer ${token}x` } })).status, 401);
    const known = await fetch(`${url}/qr/ORD-1`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(known.status, 404);
    assert.equal((await fetch(new URL('/sandbox/control/orders', url))).status, 404);
  });
});
