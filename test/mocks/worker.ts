/** One msw worker per test page, failing any request no handler expects. */
import { setupWorker } from 'msw/browser';
import { FakeBackend } from './backend.js';

const worker = setupWorker();
let started: Promise<unknown> | undefined;

/** A fresh fake backend whose handlers are the only ones in use. */
export async function useFakeBackend(endpoint?: string): Promise<FakeBackend> {
  started ??= worker.start({ onUnhandledRequest: 'error', quiet: true });
  await started;
  const backend = new FakeBackend(endpoint);
  worker.resetHandlers(...backend.handlers);
  return backend;
}
