/** The error a configuration that must not be run is refused with. */
import { ServerError } from '../errors.js';

/** Every problem found in the environment, one per line, so one fix-and-retry is enough. */
export class ConfigError extends ServerError {
  override readonly name: string = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}
