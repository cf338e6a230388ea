import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand } from './support/https-sandbox.js';

/** `amazonpay-dqr-backend`'s command line: the server by default, `check`, help and mistakes. */
describe('amazonpay-dqr-backend commands', { concurrency: 3 }, () => {
  for (const flag of ['--help', '-h', 'help']) {
    it(
      `prints the commands and where the settings are documented for ${flag}, and exits`,
      { timeout: 60_000 },
      async () => {
        const run = await runCommand([flag], {});
        assert.equal(run.status, 0);
        assert.match(run.stdout, /^Usage: amazonpay-dqr-backend \[command\]/);
        assert.match(run.stdout, /\n {2}serve +run the backend .*; the default\n {2}check +check the configuration/);
        assert.match(run.stdout, /README\.md, section Configuration/);
        assert.equal(run.stderr, '');
      },
    );
  }

  it('refuses an unknown command or stray arguments with the usage and status 2', async () => {
    const unknown = await runCommand(['chek'], {});
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /there is no command "chek"\.\n\nUsage: /);
    const stray = await runCommand(['check', '--verbose'], {});
    assert.equal(stray.status, 2);
    assert.match(stray.stderr, /check takes no arguments \(got --verbose\)/);
  });

  it('runs the server without a command, until SIGTERM', async () => {
    const store = join(mkdtempSync(join(tmpdir(), 'dqr-cli-')), 'orders.sqlite');
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
      env: { PATH: process.env.PATH, PORT: '0', DQR_SQLITE_PATH: store },
    });
    const exited = once(child, 'exit') as Promise<[number | null]>;
    try {
      let output = '';
      await new Promise<void>((resolve, reject) => {
        void exited.then(([code]) => reject(new Error(`exited with ${code}: ${output}`)));
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          output += chunk;
          if (output.includes('IPN endpoint')) resolve();
        });
      });
      const url = /on (http:\/\/127\.0\.0\.1:\d+\/api\/dqr)/.exec(output)?.[1];
      assert.ok(url, output);
      assert.equal((await fetch(`${url}/qr/NOPE`)).status, 404);
      child.kill('SIGTERM');
      assert.deepEqual(await exited, [0, null]);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
});
