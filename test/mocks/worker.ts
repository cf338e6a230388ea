/** One msw worker per test page, failing any request no handler expects. */
import type { RequestHandler } from 'msw';
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

/** Puts `handlers` in front of the fake backend's until the next `useFakeBackend`, e.g. to fail a module's fetch. */
export function useHandlers(...handlers: RequestHandler[]): void {
  worker.use(...handlers);
}
