/**
 * Starting the reference backend as a Node server, as `npm run backend` and the
 * `amazonpay-dqr-backend` command do: read the configuration, open the store (refusing one that
 * must not be used), listen, and say on the log what the server is, where, and what its store
 * keeps across a restart.
 */
import { createApp, type App } from './app.js';
import { loadConfig, type Env, type ServerConfig } from './config/index.js';
import type { BackendOptions } from './backend/index.js';
import { createLogger, type Logger } from './log.js';
import { metricsHandler } from './metrics-endpoint.js';
import { serve, type RunningServer } from './node-adapter.js';

/** Options of `startServer`. */
export interface StartOptions {
  /** Default `process.env`. */
  env?: Env;
  /** Default a logger at the configured `LOG_LEVEL` writing to standard output. */
  logger?: Logger;
  /** Origins besides Amazon SNS whose signing certificates the IPN endpoint trusts (a test's own sandbox). */
  trustedIpnOrigins?: BackendOptions['trustedIpnOrigins'];
}

/** A started server. */
export interface StartedServer {
  /** `http://host:port` as bound. */
  url: string;
  config: ServerConfig;
  app: App;
  /** The listeners: the server's own, and the metrics port's when there is one. */
  servers: RunningServer[];
  logger: Logger;
  /** Stops the backend (and its worker), closes the store, then stops listening. */
  close(): Promise<void>;
}

/**
 * Starts the server; rejects with a `ConfigError` or a `StoreSetupError` (whose message says what
 * to fix) when it must not start.
 */
export async function startServer(options: StartOptions = {}): Promise<StartedServer> {
  const config = loadConfig(options.env ?? process.env);
  const logger = options.logger ?? createLogger({ level: config.logLevel, format: config.logFormat });
  let origin = '';
  const app = await createApp(config, {
    origin: () => origin,
    backend: { logger, trustedIpnOrigins: options.trustedIpnOrigins },
  });
  const { metrics } = config;
  let server: RunningServer;
  let metricsServer: RunningServer | undefined;
  try {
    server = await serve(app.fetch, { port: config.port, host: config.host, ...config.timeouts });
    metricsServer =
      metrics.port === undefined
        ? undefined
        : await serve(metricsHandler(app.backend.metrics.registry, metrics.token), {
            port: metrics.port,
            host: metrics.host,
          });
  } catch (error) {
    await app.close();
    throw error;
  }
  origin = server.url;
  const ipnUrl = `${config.publicUrl ?? origin}${config.basePath}/ipn`;
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
  const { durability } = app;
  logger[durability.keepsOrders ? 'info' : 'warn'](
    { store: config.store.kind, keepsOrders: durability.keepsOrders },
    durability.description,
  );
  logger.info({ ipnUrl }, `IPN endpoint to register with Amazon Pay: ${ipnUrl}`);
  if (metricsServer || metrics.token) {
    const where = [
      metricsServer && `${metricsServer.url}${metrics.path}`,
      metrics.token && `${origin}${metrics.path} (with the token)`,
    ].filter(Boolean);
    logger.info({ metrics: where }, `Metrics at ${where.join(' and ')}`);
  }
  return {
    url: origin,
    config,
    app,
    servers: metricsServer ? [server, metricsServer] : [server],
    logger,
    async close() {
      await app.close();
      await Promise.all([server.close(), metricsServer?.close()]);
    },
  };
}
