import { createLogger, type Logger } from '../../../src/server/log.js';

/** One line the server logged, parsed, with the raw text it was written as. */
export type LogLine = Record<string, unknown> & { msg: string; level: number; raw: string };

/** A pino logger at `info` whose lines are kept in `lines`, so a test can read what was logged. */
export function recordingLogger(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const logger = createLogger({
    level: 'info',
    destination: { write: (raw: string) => lines.push({ ...(JSON.parse(raw) as LogLine), raw }) },
  });
  return { logger, lines };
}

/** pino's number for `warn`. */
export const WARN = 40;
