/**
 * `amazonpay-dqr-backend [serve]`: the reference backend as a Node server, until SIGINT or SIGTERM,
 * on which it drains and stops (see shutdown.ts).
 */
import { ConfigError } from '../config/index.js';
import { stopOnSignals } from '../shutdown.js';
import { startServer } from '../start.js';
import { StoreSetupError } from '../store/setup-error.js';
import { refuseArguments, type Command } from './command.js';

/**
 * Runs the server configured by the environment (sandbox mode unless AMAZON_PAY_MODE=production;
 * orders in an SQLite file unless DQR_STORE says otherwise).
 */
export const serveCommand: Command = {
  summary: 'run the backend (sandbox mode unless AMAZON_PAY_MODE=production)',
  async run(args, env) {
    const refused = refuseArguments('serve', args);
    if (refused !== undefined) return refused;
    let server: Awaited<ReturnType<typeof startServer>>;
    try {
      server = await startServer({ env });
    } catch (error) {
      if (!(error instanceof ConfigError || error instanceof StoreSetupError)) throw error;
      console.error(error.message);
      return 1;
    }
    stopOnSignals({
      app: server.app,
      servers: server.servers,
      logger: server.logger,
      timeoutMs: server.config.shutdownTimeoutMs,
    });
    return undefined;
  },
};
