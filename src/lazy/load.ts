/**
 * The one loader of the modules that load on demand: each is fetched once per page, whoever asks;
 * one that cannot be fetched (offline, not served) is warned about once and stays failed, and the
 * element goes on without it.
 */
import { type LazyModule, importModule } from './modules.js';
import type { LazyName } from './names.js';

const loads = new Map<LazyName, Promise<unknown>>();

/**
 * The module `name`, fetched on first call; rejects if it cannot be. `without` says, for the one
 * warning, what the page gets instead, e.g. `"English is shown instead"`.
 */
export function load<N extends LazyName>(name: N, what: string, without: string): Promise<LazyModule<N>> {
  let loading = loads.get(name) as Promise<LazyModule<N>> | undefined;
  if (!loading) {
    loading = importModule(name);
    loading.catch((error: unknown) => console.warn(`<amazonpay-dqr>: the ${what} did not load, so ${without}.`, error));
    loads.set(name, loading);
  }
  return loading;
}
