/**
 * `amazonpay-dqr/server`: the reference backend, its configuration, the Amazon Pay client and the
 * sandbox, for merchants who mount the backend in their own server. The Redis store is in
 * `amazonpay-dqr/server/redis`, so that this entry loads (and type-checks) without its driver.
 */
export {
  createBackend,
  createMemoryStore,
  HttpError,
  OrderExistsError,
  StoreUnavailableError,
  AMAZON_STATUS_SCHEDULE,
  DEFAULT_JOB_SETTINGS,
  DEFAULT_PENDING_LIMITS,
  PERMISSIONS,
  hashToken,
  newTerminalToken,
  parseTerminalTokens,
  terminalTokensLine,
  type AuthorizeHook,
  type Caller,
  type OrderOwner,
  type ParsedTerminalTokens,
  type PendingCount,
  type PendingLimits,
  type Permission,
  type TerminalCredential,
  type Backend,
  type BackendAction,
  type BackendOptions,
  type CancelJob,
  type CheckOrderHook,
  type DueOrder,
  type FollowUpJob,
  type Job,
  type JobEvent,
  type JobKind,
  type Jobs,
  type JobSettings,
  type LatePayment,
  type MemoryStoreOptions,
  type OrderCheck,
  type OrderRecord,
  type OrderStore,
  type Readiness,
  type Timers,
} from './backend/index.js';
export { ServerError } from './errors.js';
export { createMetrics, type Metrics, type MetricsOptions, type NotificationResult } from './metrics.js';
export { metricsHandler } from './metrics-endpoint.js';
export {
  ConfigError,
  loadConfig,
  SANDBOX_CREDENTIALS,
  type AmazonPayConfig,
  type MetricsConfig,
  type Mode,
  type SecurityConfig,
  type ServerConfig,
  type StoreConfig,
} from './config/index.js';
export { createApp, SANDBOX_PATH, type App, type AppOptions } from './app.js';
export { StoreSetupError } from './store/setup-error.js';
export type { StoreDurability } from './store/open-store.js';
export {
  createAmazonPayClient,
  type AmazonPayClientConfig,
  type ClientFindings,
  type SignedAmazonPayClient,
} from './amazon-pay/client.js';
export * from './amazon-pay/types.js';
export { createSandbox, type Sandbox, type SandboxStrictness } from './sandbox/index.js';
export { BodyAlreadyReadError, serve, toNodeListener, type NodeListenerOptions } from './node-adapter.js';
export type * from '../contract/types.js';
