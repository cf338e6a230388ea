/**
 * Where the modules that load on demand come from, for the standalone file: `lang/<code>.js` and
 * `features/<name>.js` beside the script itself (see vite.config.ts), which it swaps for `modules.ts`.
 */
import { besideScript } from './beside-script.js';
import type { LazyModule } from './modules.js';
import type { LazyName } from './names.js';

/** Imports `<name>.js` relative to the standalone script. */
export function importModule<N extends LazyName>(name: N): Promise<LazyModule<N>> {
  return import(/* @vite-ignore */ besideScript(`${name}.js`)) as Promise<LazyModule<N>>;
}
