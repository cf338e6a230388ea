/**
 * `amazonpay-dqr/server`: the reference backend, its configuration, the Amazon Pay client and the
 * sandbox, for merchants who mount the backend in their own server.
 */
export {
  createBackend,
  createMemoryStore,
  HttpError,
  OrderExistsError,
  AMAZON_STATUS_SCHEDULE,
  type AuthorizeHook,
  type Backend,
  type BackendAction,
  type BackendOptions,
  type CheckOrderHook,
  type LatePayment,
  type MemoryStoreOptions,
  type OrderCheck,
  type OrderRecord,
  type OrderStore,
} from './backend/index.js';
export {
  ConfigError,
  loadConfig,
  SANDBOX_CREDENTIALS,
  type AmazonPayConfig,
  type Mode,
  type ServerConfig,
} from './config.js';
export { createApp, SANDBOX_PATH, type App, type AppOptions } from './app.js';
export { createAmazonPayClient } from './amazon-pay/client.js';
export * from './amazon-pay/types.js';
export { createSandbox, type Sandbox } from './sandbox/index.js';
export { serve, toNodeListener } from './node-adapter.js';
export type * from '../contract/types.js';
