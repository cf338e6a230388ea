/**
 * The sandbox served over HTTPS with a certificate made by openssl for this test run, so a
 * production configuration (whose Amazon Pay URL must be https) can be pointed at it: a child
 * process trusts the certificate through NODE_EXTRA_CA_CERTS, as it would a corporate CA.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toNodeListener } from '../../../src/server/node-adapter.js';
import { createSandbox, type SandboxOptions } from '../../../src/server/sandbox/index.js';
import { MERCHANT, STORE } from './sandbox-server.js';

/** A certificate for 127.0.0.1 and localhost, and its key, in a temporary folder. */
export function makeCertificate() {
  const folder = mkdtempSync(join(tmpdir(), 'amazonpay-dqr-tls-'));
  const [keyFile, certFile] = [join(folder, 'key.pem'), join(folder, 'cert.pem')];
  execFileSync(
    'openssl',
    [
      ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1'],
      ...['-keyout', keyFile, '-out', certFile, '-subj', '/CN=localhost'],
      ...['-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'],
    ],
    { stdio: 'ignore' },
  );
  return {
    certFile,
    key: readFileSync(keyFile),
    cert: readFileSync(certFile),
    remove: () => rmSync(folder, { recursive: true }),
  };
}

/** The test merchant's sandbox on an https loopback port; `baseUrl` is what AMAZON_PAY_BASE_URL names. */
export async function httpsSandbox(tls: { key: Buffer; cert: Buffer }, options: Partial<SandboxOptions> = {}) {
  const sandbox = createSandbox({ merchant: { ...MERCHANT, stores: [STORE] }, ...options });
  const server = createServer(tls, toNodeListener(sandbox.fetch));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    sandbox,
    baseUrl: `https://127.0.0.1:${port}/sandbox`,
    close: () =>
      new Promise<void>((resolve) => {
        sandbox.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** What a command of `amazonpay-dqr-backend` printed and how it exited. */
export interface CommandRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `amazonpay-dqr-backend <args>` from the source in a child process with only `env`. */
export function runCommand(args: string[], env: Record<string, string>): Promise<CommandRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts', ...args], {
      env: { PATH: process.env.PATH!, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stdout, stderr }));
  });
}
