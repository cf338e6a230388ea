/**
 * `amazonpay-dqr-backend token`: mints a terminal's token and its entry in the tokens file
 * (`DQR_TERMINAL_TOKENS_FILE`). The token is shown once and never stored; the file keeps its hash.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { PERMISSIONS, type Permission } from './backend/access.js';
import {
  hashToken,
  newTerminalToken,
  parseTerminalTokens,
  terminalTokensLine,
  type TerminalCredential,
} from './backend/terminals.js';
import { SHORT_ID_PATTERN } from './backend/validation.js';

/** How to call the command. */
export const TOKEN_USAGE = `Usage: amazonpay-dqr-backend token <terminal-id> --store <store-id> [--allow <permission>]... [--file <tokens file>]

Makes a new token for one terminal. With --file, writes the terminal's entry into that file
(replacing an earlier entry of the same terminal, so its old token stops working once the backend
restarts) and prints the token alone. Without --file, prints the entry on standard output and the
token on standard error. The token is shown once; the file holds only its SHA-256.

Permissions (none by default): ${PERMISSIONS.join(', ')}.`;

/** Where the command writes. */
export interface CommandOutput {
  out(text: string): void;
  err(text: string): void;
}

/** The file's lines with `credential` in place of any earlier entry of its terminal. */
function withEntry(file: string, credential: TerminalCredential): string {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const { problems } = parseTerminalTokens(text);
  if (problems.length > 0) throw new Error(`${file} has problems; fix them first:\n  ${problems.join('\n  ')}`);
  const kept = text.split(/\r?\n/).filter((line) => {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return trimmed !== '';
    return (JSON.parse(trimmed) as TerminalCredential).terminalId !== credential.terminalId;
  });
  return `${[...kept, terminalTokensLine(credential)].join('\n')}\n`;
}

/** Runs the command with `args` (after `token`); resolves with the exit status. */
export function runTokenCommand(args: string[], output: CommandOutput): number {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        store: { type: 'string' },
        allow: { type: 'string', multiple: true, default: [] },
        file: { type: 'string' },
      },
    });
  } catch (error) {
    output.err(`${(error as Error).message}\n\n${TOKEN_USAGE}\n`);
    return 2;
  }
  const { positionals, values } = parsed;
  const [terminalId] = positionals;
  const problems: string[] = [];
  if (positionals.length !== 1 || !SHORT_ID_PATTERN.test(terminalId)) {
    problems.push('Give one terminal id: 1 to 64 of A-Z a-z 0-9 - _.');
  }
  if (values.store === undefined || !SHORT_ID_PATTERN.test(values.store)) {
    problems.push('Give the terminal’s store with --store: 1 to 64 of A-Z a-z 0-9 - _.');
  }
  const unknown = values.allow.filter((name) => !PERMISSIONS.includes(name as Permission));
  if (unknown.length > 0) problems.push(`Unknown permission ${unknown.join(', ')}.`);
  if (problems.length > 0) {
    output.err(`${problems.join('\n')}\n\n${TOKEN_USAGE}\n`);
    return 2;
  }

  const token = newTerminalToken();
  const credential: TerminalCredential = {
    terminalId,
    storeId: values.store!,
    tokenSha256: hashToken(token),
    permissions: [...new Set(values.allow as Permission[])],
  };
  if (values.file === undefined) {
    output.out(`${terminalTokensLine(credential)}\n`);
    output.err(`Token of terminal ${terminalId} (shown once; give it to that terminal only):\n${token}\n`);
    return 0;
  }
  try {
    const next = withEntry(values.file, credential);
    // Written beside the file and renamed over it: a crash never leaves half a file.
    const temporary = `${values.file}.${process.pid}.tmp`;
    writeFileSync(temporary, next, { mode: 0o600 });
    renameSync(temporary, values.file);
  } catch (error) {
    output.err(`${(error as Error).message}\n`);
    return 1;
  }
  output.out(`${token}\n`);
  output.err(
    `Terminal ${terminalId} (store ${values.store}) is in ${values.file}; restart the backend to use its token (shown once, above).\n`,
  );
  return 0;
}
