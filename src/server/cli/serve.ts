/** `amazonpay-dqr-backend [serve]`: the reference backend as a Node server, until SIGINT or SIGTERM. */
import { createApp } from '../app.js';
import { createLogger } from '../log.js';
import { serve } from '../node-adapter.js';
import { configOrProblems, refuseArguments, unlessConfigError, type Command } from './command.js';

/** Runs the server configured by the environment (sandbox mode unless AMAZON_PAY_MODE=production). */
export const serveCommand: Command = {
  summary: 'run the backend (sandbox mode unless AMAZON_PAY_MODE=production)',
  async run(args, env) {
    const refused = refuseArguments('serve', args);
    if (refused !== undefined) return refused;
    const config = configOrProblems(env);
    if (!config) return 1;

    const logger = createLogger({ level: config.logLevel });
    let origin = '';
    const app = unlessConfigError(() => createApp(config, { origin: () => origin, backend: { logger } }));
    if (!app) return 1;
    const server = await serve(app.fetch, { port: config.port, host: config.host, ...config.timeouts });
    origin = server.url;

    logger.info(
      { mode: config.mode, url: `${origin}${config.basePath}` },
      `amazonpay-dqr backend (${config.mode}) on ${origin}${config.basePath}`,
    );
    if (config.security.terminals) {
      logger.info(
        { terminals: config.security.terminals.length, file: config.security.terminalTokensFile },
        `Terminal authentication: ${config.security.terminals.length} terminals from ${config.security.terminalTokensFile}`,
      );
    }
    logger.info(
      { ipnUrl: `${config.publicUrl ?? origin}${config.basePath}/ipn` },
      `IPN endpoint to register with Amazon Pay: ${config.publicUrl ?? origin}${config.basePath}/ipn`,
    );

    const stop = async () => {
      await app.close();
      await server.close();
      process.exit(0);
    };
    process.once('SIGINT', () => void stop());
    process.once('SIGTERM', () => void stop());
    return undefined;
  },
};
