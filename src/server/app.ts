/**
 * The whole server as one Web `fetch` handler: the reference backend at its base path, the health
 * endpoints, the metrics when the operator's token is set and, in sandbox mode, the Amazon Pay
 * emulator at `/sandbox`, reached by the backend's signed client over real HTTP through the same
 * origin (nothing is short-circuited in process).
 */
import { createAmazonPayClient } from './amazon-pay/client.js';
import { trackCalls } from './amazon-pay/in-flight.js';
import { proxiedFetch } from './amazon-pay/proxy.js';
import type { AmazonPayClient } from './amazon-pay/types.js';
import { createBackend, type Backend, type BackendOptions } from './backend/index.js';
import { createReporter } from './backend/report.js';
import { ConfigError, type ServerConfig } from './config/index.js';
import { answerHealth, LIVENESS_PATH, READINESS_PATH } from './health.js';
import { createLogger } from './log.js';
import { metricsHandler } from './metrics-endpoint.js';
import { createMetrics } from './metrics.js';
import { createSandbox, type Sandbox, type SandboxStrictness } from './sandbox/index.js';
import { TOPIC_ARN as SANDBOX_TOPIC_ARN } from './sandbox/notifier.js';
import { openStore, type StoreDurability } from './store/open-store.js';

/** Where the sandbox is mounted in sandbox mode. */
export const SANDBOX_PATH = '/sandbox';

export interface AppOptions {
  /** This server's own origin (`http://127.0.0.1:8787`), known once it listens. */
  origin: string | (() => string);
  /** The clock of the backend and the sandbox (tests move it instead of waiting). */
  now?: () => number;
  /** In sandbox mode, how the sandbox reads the points Amazon's documents disagree on. */
  sandboxStrictness?: SandboxStrictness;
  /**
   * Backend options beyond the configuration: hooks, error reporting, or a store of the caller's
   * own in place of the configured one.
   */
  backend?: Omit<
    BackendOptions,
    | 'client'
    | 'mode'
    | 'basePath'
    | 'corsOrigins'
    | 'statusScheduleSeconds'
    | 'terminals'
    | 'pendingLimits'
    | 'snsTopicArns'
    | 'now'
  >;
}

export interface App {
  fetch(request: Request): Promise<Response>;
  /**
   * Starts a shutdown: `/readyz` answers 503 and the backend answers its held long polls (see
   * `Backend.drain`). Stop listening after this, then `close()`.
   */
  drain(): void;
  /**
   * Stops the backend's timers, lets the Amazon Pay calls under way finish (for `graceMs` at most,
   * default 0), stops the worker after the jobs it is running, stops the sandbox and closes the store it opened.
   */
  close(graceMs?: number): Promise<void>;
  backend: Backend;
  /** What the configured store keeps across a restart (the startup line says it). */
  durability: StoreDurability;
  /** Present in sandbox mode, for tests and the demo's controls. */
  sandbox?: Sandbox;
}

const within = (path: string, base: string) => path === base || path.startsWith(`${base}/`);

/** The contract, the health endpoints, the metrics and the sandbox each need a path of their own. */
function checkRoutes(config: ServerConfig) {
  const taken = [
    ['DQR_BASE_PATH', config.basePath],
    ['DQR_METRICS_PATH', config.metrics.path],
  ].filter(([, path]) =>
    [LIVENESS_PATH, READINESS_PATH, SANDBOX_PATH].some((fixed) => within(fixed, path) || within(path, fixed)),
  );
  const problems = taken.map(
    ([name, path]) => `${name} ${path} overlaps ${LIVENESS_PATH}, ${READINESS_PATH} or ${SANDBOX_PATH}.`,
  );
  if (within(config.metrics.path, config.basePath) || within(config.basePath, config.metrics.path)) {
    problems.push(`DQR_METRICS_PATH ${config.metrics.path} overlaps DQR_BASE_PATH ${config.basePath}.`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
}

/** A client created on first use, once the server's origin (and so the sandbox's URL) is known. */
function lazyClient(create: () => AmazonPayClient): AmazonPayClient {
  let client: AmazonPayClient | undefined;
  const get = () => (client ??= create());
  return {
    generateQr: (input, signal) => get().generateQr(input, signal),
    getStatus: (orderId, signal) => get().getStatus(orderId, signal),
    cancel: (input, signal) => get().cancel(input, signal),
    refund: (input, signal) => get().refund(input, signal),
  };
}

/**
 * Why a production server of `config` must not start: it would be open to anyone, with neither
 * terminal tokens nor an `authorize` hook. Undefined when it may start.
 */
export function openProductionProblem(config: ServerConfig, hasAuthorizeHook: boolean): string | undefined {
  if (config.mode === 'sandbox' || config.security.terminals || hasAuthorizeHook) return undefined;
  return 'DQR_TERMINAL_TOKENS_FILE is required in production mode: one hashed token per terminal (make one with `amazonpay-dqr-backend token`), or mount the backend in code with an authorize hook.';
}

/**
 * Creates the server for `config`, opening its store (and loading the store's driver) first. In
 * production mode it refuses (a `ConfigError`) to start without terminal tokens or an `authorize`
 * hook, and (a `StoreSetupError`) on a store that must not be used; in sandbox mode without either
 * it says, in the log, that anyone who reaches it may call it.
 */
export async function createApp(config: ServerConfig, options: AppOptions): Promise<App> {
  checkRoutes(config);
  const origin = typeof options.origin === 'function' ? options.origin : () => options.origin as string;
  const sandboxMode = config.mode === 'sandbox';
  const { amazonPay, security } = config;
  const authorize = options.backend?.authorize;
  const open = openProductionProblem(config, authorize !== undefined);
  if (open) throw new ConfigError([open]);
  const logger = options.backend?.logger ?? createLogger({ level: config.logLevel, format: config.logFormat });
  const metrics = options.backend?.metrics ?? createMetrics({ processMetrics: config.metrics.enabled });
  // The sandbox is this server itself: no proxy between the two.
  const outbound = !sandboxMode && amazonPay.proxyUrl ? proxiedFetch(amazonPay.proxyUrl) : undefined;
  const signedClient = trackCalls(
    lazyClient(() =>
      createAmazonPayClient({
        ...amazonPay,
        baseUrl: sandboxMode ? `${origin()}${SANDBOX_PATH}` : amazonPay.baseUrl,
        fetch: outbound,
        now: options.now,
        logger,
        metrics,
      }),
    ),
  );
  const sandbox = sandboxMode
    ? createSandbox({
        basePath: SANDBOX_PATH,
        merchant: {
          merchantId: amazonPay.merchantId,
          accessKeyId: amazonPay.accessKeyId,
          secretKey: amazonPay.secretKey,
          stores: [{ storeId: amazonPay.storeId, storeIdType: amazonPay.storeIdType }],
        },
        region: amazonPay.region,
        service: amazonPay.service,
        strict: options.sandboxStrictness,
        ipnUrl: () => `${origin()}${config.basePath}/ipn`,
        now: options.now,
      })
    : undefined;
  if (sandboxMode) {
    logger.warn(
      { mode: config.mode, open: !security.terminals && !authorize },
      security.terminals || authorize
        ? 'Sandbox mode: no real money. The sandbox control endpoints let anyone who reaches this server pay any order.'
        : 'Sandbox mode: no real money, and no terminal authentication: anyone who reaches this server can create, read, cancel and pay any order. Never expose it.',
    );
  }
  const report = createReporter(logger, options.backend?.onError);
  const opened = options.backend?.store
    ? undefined
    : await openStore(config.store, { mode: config.mode, now: options.now, logger, onError: report });
  const backend = createBackend({
    ...options.backend,
    logger,
    metrics,
    store: opened?.store ?? options.backend?.store,
    client: opened ? opened.wrapClient(signedClient) : signedClient,
    mode: config.mode,
    basePath: config.basePath,
    corsOrigins: config.corsOrigins,
    statusScheduleSeconds: config.statusScheduleSeconds,
    jobs: { ...config.jobs, ...options.backend?.jobs },
    terminals: security.terminals,
    pendingLimits: security,
    snsTopicArns: sandboxMode ? [...security.snsTopicArns, SANDBOX_TOPIC_ARN] : security.snsTopicArns,
    trustedIpnOrigins: sandboxMode ? () => [origin()] : options.backend?.trustedIpnOrigins,
    fetch: options.backend?.fetch ?? outbound,
    now: options.now,
  });

  // Served on this port only behind the operator's token; without one, on the metrics port only.
  const scrape = config.metrics.token ? metricsHandler(metrics.registry, config.metrics.token) : undefined;
  return {
    backend,
    sandbox,
    durability: opened?.durability ?? {
      keepsOrders: true,
      description: 'orders are kept in the store given to the app',
    },
    fetch(request) {
      const path = new URL(request.url).pathname;
      if (within(path, config.basePath)) return backend.fetch(request);
      if (path === LIVENESS_PATH || path === READINESS_PATH) return answerHealth(request, path, backend);
      if (scrape && path === config.metrics.path) return scrape(request);
      if (sandbox && within(path, SANDBOX_PATH)) return sandbox.fetch(request);
      return Promise.resolve(Response.json({ code: 'NOT_FOUND', message: 'There is nothing here.' }, { status: 404 }));
    },
    drain() {
      backend.drain();
    },
    async close(graceMs = 0) {
      const [, cutOff] = await Promise.all([backend.close(), signedClient.settled(graceMs)]);
      if (cutOff > 0) logger.warn({ calls: cutOff }, `${cutOff} Amazon Pay calls were still under way at shutdown`);
      sandbox?.close();
      await opened?.close();
    },
  };
}
