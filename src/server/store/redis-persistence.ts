/**
 * Whether a Redis keeps what it is given across its own restart: only the append-only file (AOF)
 * does, write by write; snapshots alone lose the writes since the last one.
 */
import { ErrorReply } from 'redis';
import type { RedisConnection } from './redis-connection.js';

/**
 * `aof`: `appendonly yes`. `none`: it is off. `unknown`: Redis refuses `CONFIG` (managed services
 * often do). `unreachable`: Redis did not answer.
 */
export async function redisPersistence(redis: RedisConnection): Promise<'aof' | 'none' | 'unknown' | 'unreachable'> {
  try {
    const reply = await redis.run((client) => client.configGet('appendonly'));
    return reply.appendonly === 'yes' ? 'aof' : 'none';
  } catch (error) {
    return error instanceof ErrorReply ? 'unknown' : 'unreachable';
  }
}
