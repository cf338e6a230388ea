/** Where orders live: this process's memory, or a Redis shared by several instances. */
import type { Settings } from './env.js';

/** Where orders live: this process's memory, or a Redis shared by several instances. */
export type StoreConfig = { kind: 'memory' } | { kind: 'redis'; url: string };

/** Reads `DQR_STORE` and what the chosen store needs. */
export function readStore(settings: Settings): StoreConfig {
  const kind = settings.choice('DQR_STORE', ['memory', 'redis'], 'memory');
  if (kind === 'memory') return { kind };
  const url = settings.text('REDIS_URL');
  if (url === undefined) settings.problem('REDIS_URL is required when DQR_STORE is "redis".');
  else if (!URL.canParse(url) || !/^rediss?:$/.test(new URL(url).protocol)) {
    settings.problem('REDIS_URL must be a redis:// or rediss:// URL.');
  } else return { kind, url };
  return { kind: 'memory' };
}
