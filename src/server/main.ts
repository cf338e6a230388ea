#!/usr/bin/env node
/**
 * `npm run backend` / `amazonpay-dqr-backend`: the reference backend as a Node server, configured
 * from the environment (sandbox mode unless AMAZON_PAY_MODE=production). `amazonpay-dqr-backend
 * token …` mints a terminal's token instead (see token-command.ts).
 */
import { createApp, type App } from './app.js';
import { ConfigError, loadConfig, type ServerConfig } from './config/index.js';
import { createLogger, type Logger } from './log.js';
import { serve } from './node-adapter.js';
import { runTokenCommand } from './token-command.js';

if (process.argv[2] === 'token') {
  process.exit(
    runTokenCommand(process.argv.slice(3), {
      out: (text) => process.stdout.write(text),
      err: (text) => process.stderr.write(text),
    }),
  );
}

let config: ServerConfig;
let logger: Logger;
let app: App;
let origin = '';
try {
  config = loadConfig(process.env);
  logger = createLogger({ level: config.logLevel });
  app = createApp(config, { origin: () => origin, backend: { logger } });
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}

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

async function stop() {
  app.close();
  await server.close();
  process.exit(0);
}
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
