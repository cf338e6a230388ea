/**
 * The order store cannot be used as configured (its driver is not installed, its file is held by
 * another process or was written by a newer version, a Redis that would lose orders): the server
 * must not start, and the message says why and what to do, in one line.
 */
export class StoreSetupError extends Error {
  override readonly name = 'StoreSetupError';
}
