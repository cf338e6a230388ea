/**
 * One instance's link to Redis: a command connection and one subscriber connection whose messages
 * are fanned out to local listeners, so a thousand waiting long polls cost one subscription. Every
 * failure to reach Redis becomes a `StoreUnavailableError` (a retryable 503), never a hang: commands
 * are not queued while the connection is down, and each call is given up after its timeout, also
 * when Redis holds the connection open without answering (a frozen server).
 */
import { createClient, ErrorReply } from 'redis';
import { StoreUnavailableError } from '../backend/store.js';
import { keyedListeners } from '../listeners.js';

/** The command connection, for the store's own commands and scripts. */
export type RedisCommands = ReturnType<typeof createClient>;

/** Options of `connectRedis`. */
export interface RedisConnectionOptions {
  /** `redis://[user:password@]host:port[/db]` or `rediss://` for TLS. */
  url: string;
  /** Put before every key and the channel, so several shops (or tests) can share one Redis. Default `dqr:`. */
  prefix?: string;
  /** How long one call (a command or a script) may take before the request fails with a 503. Default 2000 ms. */
  commandTimeoutMs?: number;
  /** Failures nobody waits for (lost connections). Default `console.error`. */
  onError?: (error: unknown, context: string) => void;
}

/** What a message on the shared channel is about: an order's new record or an upstream call's end. */
export type RedisTopic = 'order' | 'call';

/** A connection shared by the Redis order store and the upstream-call lock of one instance. */
export interface RedisConnection {
  readonly prefix: string;
  /** The channel every instance subscribes to. */
  readonly channel: string;
  /**
   * Runs commands on the command connection; a connection failure, or no answer within the
   * command timeout, rejects with `StoreUnavailableError`.
   */
  run<T>(commands: (redis: RedisCommands) => Promise<T>): Promise<T>;
  /** The text to `PUBLISH` on `channel` so that `listen(topic, key)` listeners everywhere get `body`. */
  message(topic: RedisTopic, key: string, body: unknown): string;
  /** Calls `listener` with the body of every message about `topic` and `key`, from any instance. */
  listen(topic: RedisTopic, key: string, listener: (body: unknown) => void): () => void;
  /** Resolves once both connections are up and the channel is subscribed (again, after an outage). */
  ready(): Promise<void>;
  close(): Promise<void>;
}

/** Redis answers meaning "not now" rather than "your command is wrong". */
const TRANSIENT_REPLY = /^(LOADING|BUSY|MASTERDOWN|READONLY|TRYAGAIN|CLUSTERDOWN)\b/;

function toStoreError(error: unknown): unknown {
  if (error instanceof ErrorReply && !TRANSIENT_REPLY.test(error.message)) return error;
  return new StoreUnavailableError('Redis', error);
}

/** Rejects after `ms`: node-redis's own timeout covers only the wait to write a command, not its answer. */
function answerWithin<T>(call: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms.`)), ms);
  });
  return Promise.race([call, late]).finally(() => clearTimeout(timer));
}

/** Retries every 50 ms, doubling up to 2 s, for as long as the process runs. */
function reconnectDelay(retries: number) {
  return Math.min(50 * 2 ** retries, 2_000);
}

interface Envelope {
  topic: RedisTopic;
  key: string;
  body: unknown;
}

/** Opens both connections in the background; until they are up, commands fail with a 503. */
export function connectRedis(options: RedisConnectionOptions): RedisConnection {
  const prefix = options.prefix ?? 'dqr:';
  const channel = `${prefix}events`;
  const commandTimeoutMs = options.commandTimeoutMs ?? 2_000;
  const onError = options.onError ?? ((error, context) => console.error(`amazonpay-dqr redis: ${context}:`, error));
  const commands = createClient({
    url: options.url,
    disableOfflineQueue: true,
    commandOptions: { timeout: commandTimeoutMs },
    socket: { connectTimeout: commandTimeoutMs, reconnectStrategy: reconnectDelay },
  });
  const subscriber = commands.duplicate();
  const listeners = keyedListeners<unknown>();
  const slot = (topic: RedisTopic, key: string) => `${topic}\n${key}`;

  // A down Redis is reported once per outage, not on every reconnection attempt.
  let reported = false;
  for (const [client, name] of [
    [commands, 'command connection'],
    [subscriber, 'subscriber connection'],
  ] as const) {
    client.on('error', (error: unknown) => {
      if (!reported) onError(error, name);
      reported = true;
    });
    client.on('ready', () => (reported = false));
  }

  function deliver(text: string) {
    let envelope: Envelope;
    try {
      envelope = JSON.parse(text) as Envelope;
    } catch {
      return;
    }
    listeners.emit(slot(envelope.topic, envelope.key), envelope.body);
  }

  const connected = Promise.all([
    commands.connect(),
    subscriber.connect().then(() => subscriber.subscribe(channel, deliver)),
  ]).then(() => undefined);
  connected.catch((error: unknown) => onError(error, 'connecting'));
  // Requests that arrive while the process is still connecting wait for it, up to one command timeout.
  let starting: Promise<unknown> | undefined = Promise.race([
    connected,
    new Promise((resolve) => setTimeout(resolve, commandTimeoutMs).unref()),
  ]).finally(() => (starting = undefined));

  return {
    prefix,
    channel,
    async run(command) {
      await starting;
      try {
        return await answerWithin(command(commands), commandTimeoutMs);
      } catch (error) {
        throw toStoreError(error);
      }
    },
    message(topic, key, body) {
      return JSON.stringify({ topic, key, body } satisfies Envelope);
    },
    listen(topic, key, listener) {
      return listeners.add(slot(topic, key), listener);
    },
    async ready() {
      await connected;
      await Promise.all(
        [commands, subscriber].map(
          (client) => client.isReady || new Promise((resolve) => client.once('ready', resolve)),
        ),
      );
    },
    async close() {
      listeners.clear();
      await Promise.all([commands, subscriber].map((client) => (client.isReady ? client.close() : client.destroy())));
    },
  };
}
