/**
 * The one base of the server's own errors. Each keeps what made it happen in `cause` (the fetch
 * failure under an unreachable Amazon Pay, the Redis error under a 503), so the log line of a
 * failure carries the whole chain while the caller gets only the contract's `{code, message}`.
 */
export class ServerError extends Error {
  override readonly name: string = 'ServerError';
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }
}
