#!/usr/bin/env node
/**
 * `npm run backend` / `amazonpay-dqr-backend`: the reference backend as a Node server, configured
 * from the environment (sandbox mode unless AMAZON_PAY_MODE=production).
 */
import { createApp } from './app.js';
import { ConfigError, loadConfig, type ServerConfig } from './config/index.js';
import { createLogger } from './log.js';
import { serve } from './node-adapter.js';

let config: ServerConfig;
try {
  config = loadConfig(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}

const logger = createLogger({ level: config.logLevel });
let origin = '';
const app = createApp(config, { origin: () => origin, backend: { logger } });
const server = await serve(app.fetch, { port: config.port, host: config.host });
origin = server.url;

logger.info(
  { mode: config.mode, url: `${origin}${config.basePath}` },
  `amazonpay-dqr backend (${config.mode}) on ${origin}${config.basePath}`,
);
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
