/**
 * A clean stop for rolling deploys. On SIGTERM (or SIGINT) the server stops being ready, answers
 * every held long poll at once with the order as it is (the terminal asks again and lands on
 * another instance, or on this one restarted), stops accepting connections, lets the requests and
 * Amazon Pay calls under way finish for a bounded time, closes the store and exits 0.
 */
import type { App } from './app.js';
import type { Logger } from './log.js';
import type { RunningServer } from './node-adapter.js';

/** What `stopOnSignals` stops. */
export interface Stoppable {
  app: App;
  /** The listeners: the server's own, and the metrics port's when there is one. */
  servers: RunningServer[];
  logger: Logger;
  /** How long requests and Amazon Pay calls under way may take to finish. */
  timeoutMs: number;
}

/** Drains and stops everything in `target`; resolves once all is closed. */
export async function stop(target: Stoppable): Promise<void> {
  const { app, servers, logger, timeoutMs } = target;
  const started = performance.now();
  app.drain();
  await Promise.all(servers.map((server) => server.close(timeoutMs)));
  await app.close(Math.max(0, timeoutMs - (performance.now() - started)));
  logger.info({ durationMs: Math.round(performance.now() - started) }, 'Stopped');
}

/** Stops `target` on the first SIGTERM or SIGINT and exits 0; a second signal exits at once with 1. */
export function stopOnSignals(target: Stoppable): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      target.logger.warn({ signal }, `${signal} again: exiting without waiting`);
      process.exit(1);
    }
    stopping = true;
    target.logger.info(
      { signal, timeoutMs: target.timeoutMs },
      `${signal}: draining (held long polls answered, no new connections), then stopping`,
    );
    stop(target).then(
      () => process.exit(0),
      (error: unknown) => {
        target.logger.error({ err: error }, 'The shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
