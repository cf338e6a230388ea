/**
 * `amazonpay-dqr/server/redis`: the order store and upstream-call sharing for several backend
 * instances on one Redis. Needs the `redis` package (an optional peer dependency). `createApp` opens
 * them itself when `DQR_STORE=redis`; import them to hand one connection to `createBackend`.
 */
export { connectRedis, type RedisConnection, type RedisConnectionOptions } from './store/redis-connection.js';
export { createRedisStore, type RedisStoreOptions } from './store/redis-store.js';
export { shareUpstreamCalls, type UpstreamLockOptions } from './store/redis-upstream-lock.js';
