/**
 * The server's log: pino, one JSON object per line. Every part of the server logs through the
 * logger it is given, so an embedder's own pino (or a child of it) receives the backend's lines.
 */
import { pino, type DestinationStream, type Level, type Logger } from 'pino';
import type PinoPretty from 'pino-pretty';
import { loadOptionalPeer } from './optional-peer.js';

export type { Logger } from 'pino';

/** The levels `LOG_LEVEL` may name, quietest last. */
export const LOG_LEVELS: readonly (Level | 'silent')[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

/** How the lines are written: `json` (one object per line, for machines) or `pretty` (for a developer). */
export type LogFormat = 'json' | 'pretty';

/** The formats `LOG_FORMAT` may name. */
export const LOG_FORMATS: readonly LogFormat[] = ['json', 'pretty'];

/** Options of `createLogger`. */
export interface LoggerOptions {
  /** Default `info`. */
  level?: Level | 'silent';
  /** Default `json`. `pretty` needs the optional peer `pino-pretty`. */
  format?: LogFormat;
  /** Where the lines go. Default standard output. */
  destination?: DestinationStream;
}

/** pino-pretty, loaded only for `format: 'pretty'`. */
function prettyStream(destination: DestinationStream | undefined): DestinationStream {
  const pretty = loadOptionalPeer<typeof PinoPretty>('pino-pretty', 'pino-pretty@13', 'LOG_FORMAT=pretty');
  return pretty({
    sync: true,
    colorize: destination === undefined && pretty.isColorSupported,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,name',
    destination: destination ?? 1,
  });
}

/**
 * Field paths that may hold secrets, or a QR a stranger could pay with; their values never reach a
 * log line. The server never logs them; this catches an embedder's line, or a future one, that would.
 * Exact paths only: a wildcard path costs more than the rest of a request's log line.
 */
const REDACTED = [
  'secretKey',
  'token',
  'authorization',
  'headers.authorization',
  'req.headers.authorization',
  'request.headers.authorization',
  'qrString',
  'qrImage',
];

/**
 * A logger for the server's lines, with secrets redacted. An error logged as `err` is written with
 * its whole `cause` chain, each cause with its own fields (Amazon's code, status and request id).
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { name: 'amazonpay-dqr' },
      redact: { paths: REDACTED, censor: '[redacted]' },
      serializers: { err: pino.stdSerializers.errWithCause },
    },
    options.format === 'pretty' ? prettyStream(options.destination) : options.destination,
  );
}
