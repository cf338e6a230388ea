/**
 * Opens the order store the configuration names, loading its driver only then (better-sqlite3 for
 * SQLite, redis for Redis), so a memory-store server or a front-end-only install never needs one.
 * It also says, for the startup line, what the store keeps across a restart, and refuses in
 * production mode a Redis whose persistence is off or cannot be told.
 */
import type { AmazonPayClient } from '../amazon-pay/types.js';
import { createMemoryStore, type OrderStore } from '../backend/store.js';
import type { Mode, StoreConfig } from '../config/index.js';
import type { Logger } from '../log.js';
import { StoreSetupError } from './setup-error.js';

/** What a store keeps across a restart, as the startup line says it. */
export interface StoreDurability {
  /** Whether orders (and what the backend owes on them) survive a restart. */
  keepsOrders: boolean;
  /** One sentence for the log. */
  description: string;
}

/** An open store, what it keeps, and how to wrap the Amazon Pay client for it and close it. */
export interface OpenedStore {
  store: OrderStore;
  durability: StoreDurability;
  /** Several instances share one upstream call per order (Redis); the client as is otherwise. */
  wrapClient(client: AmazonPayClient): AmazonPayClient;
  close(): Promise<void>;
}

/** Options of `openStore`. */
export interface OpenStoreOptions {
  mode: Mode;
  now?: () => number;
  logger: Logger;
  onError: (error: unknown, context: string) => void;
}

/** The npm package each driver comes from, and the versions that work here. */
const DRIVERS = { sqlite: 'better-sqlite3@12', redis: 'redis@5' } as const;

const LOSES_ORDERS = 'a restart loses every order, and with them customers\u2019 money';

/** Imports a store's module; a missing driver becomes a one-line `StoreSetupError` saying what to install. */
async function load<T>(kind: keyof typeof DRIVERS, module: () => Promise<T>): Promise<T> {
  const driver = DRIVERS[kind];
  const name = driver.slice(0, driver.lastIndexOf('@'));
  try {
    return await module();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' && String((error as Error).message).includes(`'${name}'`)) {
      throw new StoreSetupError(
        `DQR_STORE=${kind} needs the ${name} package, which is not installed: npm install ${driver}`,
      );
    }
    throw error;
  }
}

/** Opens the store `config` names; throws a `StoreSetupError` when the server must not start on it. */
export async function openStore(config: StoreConfig, options: OpenStoreOptions): Promise<OpenedStore> {
  const same = (client: AmazonPayClient) => client;
  switch (config.kind) {
    case 'memory':
      return {
        store: createMemoryStore({ now: options.now }),
        durability: {
          keepsOrders: false,
          description: `orders are kept in this process's memory: ${LOSES_ORDERS} (for tests and the demo)`,
        },
        wrapClient: same,
        close: async () => undefined,
      };
    case 'sqlite': {
      const { openSqliteStore } = await load('sqlite', () => import('./sqlite-store.js'));
      const store = openSqliteStore({ path: config.path, now: options.now });
      return {
        store,
        durability: {
          keepsOrders: true,
          description: `orders are kept in SQLite at ${store.path}: they survive restarts and crashes`,
        },
        wrapClient: same,
        close: async () => store.close(),
      };
    }
    case 'redis':
      return openRedis(config, options);
  }
}

async function openRedis(config: Extract<StoreConfig, { kind: 'redis' }>, options: OpenStoreOptions) {
  const [{ connectRedis }, { createRedisStore }, { shareUpstreamCalls }, { redisPersistence }] = await load(
    'redis',
    () =>
      Promise.all([
        import('./redis-connection.js'),
        import('./redis-store.js'),
        import('./redis-upstream-lock.js'),
        import('./redis-persistence.js'),
      ]),
  );
  const redis = connectRedis({ url: config.url, prefix: config.prefix, onError: options.onError });
  const where = `Redis at ${new URL(config.url).host}`;
  let durability: StoreDurability;
  try {
    durability = describeRedis(config, await redisPersistence(redis), where, options.mode);
  } catch (error) {
    await redis.close();
    throw error;
  }
  return {
    store: createRedisStore(redis, { now: options.now }),
    durability,
    wrapClient: (client: AmazonPayClient) => shareUpstreamCalls(client, redis),
    close: () => redis.close(),
  };
}

/** What a Redis keeps, from its persistence; refuses one that would lose orders in production. */
function describeRedis(
  config: Extract<StoreConfig, { kind: 'redis' }>,
  persistence: 'aof' | 'none' | 'unknown' | 'unreachable',
  where: string,
  mode: Mode,
): StoreDurability {
  const production = mode === 'production';
  if (persistence === 'aof') {
    return {
      keepsOrders: true,
      description: `orders are kept in ${where} with AOF persistence: they survive restarts`,
    };
  }
  if (config.assumePersistent) {
    return {
      keepsOrders: true,
      description: `orders are kept in ${where}, assumed persistent (DQR_REDIS_ASSUME_PERSISTENT=true; not checked)`,
    };
  }
  if (persistence === 'unreachable' && production) {
    throw new StoreSetupError(
      `${where} cannot be reached to check its persistence: start it (or correct REDIS_URL) and start the backend again.`,
    );
  }
  if (persistence === 'unknown' && production && !config.allowOrderLoss) {
    throw new StoreSetupError(
      `${where} refuses CONFIG GET, so whether it keeps orders across a restart cannot be checked: if it persists its data (AOF), set DQR_REDIS_ASSUME_PERSISTENT=true.`,
    );
  }
  if (persistence === 'none' && production && !config.allowOrderLoss) {
    throw new StoreSetupError(
      `${where} has no AOF persistence (appendonly no): ${LOSES_ORDERS.replace('a restart', 'a Redis restart')}; turn on appendonly, or set DQR_ALLOW_ORDER_LOSS=true to accept that.`,
    );
  }
  const state = {
    none: 'without AOF persistence',
    unknown: 'whose persistence could not be checked',
    unreachable: 'not reachable yet, persistence unchecked',
  }[persistence];
  return {
    keepsOrders: false,
    description: `orders are kept in ${where} ${state}: ${LOSES_ORDERS.replace('a restart', 'a Redis restart')}`,
  };
}
