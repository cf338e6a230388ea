/**
 * Waiting on another process's state: its answers are polled until they satisfy the test or the
 * time a user would allow runs out, with a message saying what never happened.
 */

/** Resolves with `read()`'s first value that `done` accepts, polling every 100 ms; rejects after `withinMs`. */
export async function eventually<T>(
  read: () => Promise<T> | T,
  done: (value: T) => boolean,
  { withinMs, what }: { withinMs: number; what: string },
): Promise<T> {
  const until = Date.now() + withinMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > until)
      throw new Error(`${what} did not happen within ${withinMs} ms; last seen: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
