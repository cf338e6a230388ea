/**
 * Amazon does not publish the DQR payment notification's payload. The backend treats it as a hint
 * only, and logs the set of keys (never the values) of each shape it has not seen before, so the
 * merchant's operations learn the schema from the first live notifications.
 */
import type { Logger } from '../log.js';

/** Shapes remembered per process; beyond this, new shapes are no longer logged. */
const MAX_SHAPES = 100;
/** Key paths logged per shape, and characters per key path. */
const MAX_KEYS = 64;
const MAX_KEY_LENGTH = 80;

/** The key paths of a JSON value, sorted: `a`, `a.b`, `items[].id`. Values never appear. */
export function keyPaths(value: unknown, prefix = ''): string[] {
  const paths = new Set<string>();
  const walk = (node: unknown, at: string) => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item, `${at}[]`);
    } else if (typeof node === 'object' && node !== null) {
      for (const [key, child] of Object.entries(node)) {
        const path = (at ? `${at}.${key}` : key).slice(0, MAX_KEY_LENGTH);
        paths.add(path);
        walk(child, path);
      }
    }
  };
  walk(value, prefix);
  return [...paths].sort().slice(0, MAX_KEYS);
}

/** Returns a function that logs, once per process, the key set of each new notification shape. */
export function createShapeLog(logger: Logger): (payload: unknown) => void {
  const seen = new Set<string>();
  return (payload) => {
    const keys = keyPaths(payload);
    const shape = typeof payload === 'object' && payload !== null ? keys.join('\n') : `(${typeof payload})`;
    if (seen.has(shape) || seen.size >= MAX_SHAPES) return;
    seen.add(shape);
    logger.info(
      { keys, payloadType: Array.isArray(payload) ? 'array' : payload === null ? 'null' : typeof payload },
      'A payment notification of a shape not seen before: its keys, for the undocumented DQR payload',
    );
  };
}
