/**
 * Where orders live: an SQLite file (the default: kept across restarts), this process's memory
 * (lost on restart: tests and the demo), or a Redis shared by several instances (kept across
 * restarts only with AOF persistence, which the server checks when it starts).
 */
import type { Mode } from './index.js';
import type { Settings } from './env.js';

/** The file `DQR_STORE=sqlite` uses unless `DQR_SQLITE_PATH` names another, relative to the working directory. */
export const DEFAULT_SQLITE_PATH = 'amazonpay-dqr.sqlite';

/** Where orders live, and what the operator accepts about losing them. */
export type StoreConfig = (
  | { kind: 'sqlite'; path: string }
  | { kind: 'memory' }
  | {
      kind: 'redis';
      url: string;
      /** Before every key, so several shops can share one Redis. */
      prefix: string;
      /** Skip the persistence check: a managed Redis that persists but refuses `CONFIG`. */
      assumePersistent: boolean;
    }
) & {
  /** Production mode may start on a store that loses orders on restart (memory, Redis without AOF). */
  allowOrderLoss: boolean;
};

/** Reads `DQR_STORE` and what the chosen store needs. */
export function readStore(settings: Settings, mode: Mode): StoreConfig {
  const kind = settings.choice('DQR_STORE', ['sqlite', 'memory', 'redis'], 'sqlite');
  const allowOrderLoss = settings.flag('DQR_ALLOW_ORDER_LOSS');
  if (kind === 'memory') {
    if (mode === 'production' && !allowOrderLoss) {
      settings.problem(
        "DQR_STORE=memory loses every order, and with them customers' money, when the process restarts: production mode refuses it unless DQR_ALLOW_ORDER_LOSS=true.",
      );
    }
    return { kind, allowOrderLoss };
  }
  if (kind === 'sqlite') return { kind, path: settings.text('DQR_SQLITE_PATH') ?? DEFAULT_SQLITE_PATH, allowOrderLoss };
  const url = settings.secret('REDIS_URL') ?? '';
  if (url === '') settings.problem('REDIS_URL is required when DQR_STORE is "redis".');
  else if (!URL.canParse(url) || !/^rediss?:$/.test(new URL(url).protocol)) {
    settings.problem('REDIS_URL must be a redis:// or rediss:// URL.');
  }
  return {
    kind,
    url,
    prefix: settings.text('DQR_REDIS_PREFIX') ?? 'dqr:',
    assumePersistent: settings.flag('DQR_REDIS_ASSUME_PERSISTENT'),
    allowOrderLoss,
  };
}
