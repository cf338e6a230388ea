import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Permission } from '../../../src/server/backend/access.js';
import {
  hashToken,
  newTerminalToken,
  terminalTokensLine,
  type TerminalCredential,
} from '../../../src/server/backend/terminals.js';

/** A terminal to put in a tokens file. */
export interface TestTerminal {
  terminalId: string;
  storeId: string;
  permissions?: Permission[];
}

/**
 * A `DQR_TERMINAL_TOKENS_FILE` in a fresh temporary folder for `terminals`, each with a new token;
 * `as(terminalId)` is the `Authorization` header that terminal sends.
 */
export function tokensFile(terminals: TestTerminal[]) {
  const tokens = new Map<string, string>();
  const credentials: TerminalCredential[] = terminals.map(({ terminalId, storeId, permissions = [] }) => {
    const token = newTerminalToken();
    tokens.set(terminalId, token);
    return { terminalId, storeId, tokenSha256: hashToken(token), permissions };
  });
  const lines = credentials.map(terminalTokensLine);
  const file = join(mkdtempSync(join(tmpdir(), 'dqr-tokens-')), 'terminals.jsonl');
  writeFileSync(file, `# terminals of the test shop\n${lines.join('\n')}\n`);
  return {
    file,
    /** The file's entries, for `createBackend({ terminals })`. */
    credentials,
    token: (terminalId: string) => tokens.get(terminalId)!,
    as: (terminalId: string) => ({ authorization: `Bearer ${tokens.get(terminalId)}` }),
  };
}
