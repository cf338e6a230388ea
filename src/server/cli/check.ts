/**
 * `amazonpay-dqr-backend check` (`npm run check`): the go-live check of the configuration in the
 * environment, in a few plain lines; exit status 0 only when a live payment would go through. In
 * sandbox mode it runs against the built-in emulator, to show what it checks, and fails.
 */
import { proxiedFetch } from '../amazon-pay/proxy.js';
import { createApp, SANDBOX_PATH } from '../app.js';
import { createMemoryStore } from '../backend/store.js';
import type { ServerConfig } from '../config/index.js';
import { goLiveCheck, type GoLiveReport, type Verdict } from '../go-live.js';
import { createLogger } from '../log.js';
import { serve } from '../node-adapter.js';
import { configOrProblems, refuseArguments, type Command } from './command.js';

const LABELS: Record<Verdict, string> = { ok: 'ok  ', fail: 'FAIL', note: 'note' };

/** The check against the built-in sandbox, served on a free loopback port for as long as it runs. */
async function checkSandbox(config: ServerConfig): Promise<GoLiveReport> {
  let origin = '';
  // The check makes no order: it needs no store of the server's (whose file a running server holds).
  const app = await createApp(config, {
    origin: () => origin,
    backend: { logger: createLogger({ level: 'silent' }), store: createMemoryStore() },
  });
  const server = await serve(app.fetch, { port: 0, host: '127.0.0.1' });
  origin = server.url;
  try {
    return await goLiveCheck(config, { baseUrl: `${origin}${SANDBOX_PATH}`, origin });
  } finally {
    await app.close();
    await server.close();
  }
}

/** Checks the configuration against Amazon Pay with harmless signed calls. */
export const checkCommand: Command = {
  summary: 'check the configuration against Amazon Pay with harmless signed calls (exit 0: ready to go live)',
  async run(args, env) {
    const refused = refuseArguments('check', args);
    if (refused !== undefined) return refused;
    const config = configOrProblems(env);
    if (!config) return 1;
    const { mode, amazonPay } = config;
    const where = mode === 'sandbox' ? 'the built-in sandbox' : amazonPay.baseUrl;
    console.log(`amazonpay-dqr go-live check: ${mode} mode, merchant ${amazonPay.merchantId}, ${where}`);
    // Through the merchant's proxy when one is set, as the server's own calls go.
    const fetch = amazonPay.proxyUrl ? proxiedFetch(amazonPay.proxyUrl) : undefined;
    const report = mode === 'sandbox' ? await checkSandbox(config) : await goLiveCheck(config, { fetch });
    for (const line of report.lines) console.log(`  ${LABELS[line.verdict]}  ${line.text}`);
    console.log(report.ready ? 'Ready for live payments.' : 'Not ready: fix each FAIL line, then run the check again.');
    return report.ready ? 0 : 1;
  },
};
