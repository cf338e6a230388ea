/** `amazonpay-dqr-backend token …`: mints a terminal's token (see token-command.ts). */
import { runTokenCommand } from '../token-command.js';
import type { Command } from './command.js';

/** Makes a terminal's token and its entry in the tokens file. */
export const tokenCommand: Command = {
  summary: "make a terminal's token and its DQR_TERMINAL_TOKENS_FILE entry (token --store <id> <terminal-id>)",
  run: (args) =>
    Promise.resolve(
      runTokenCommand([...args], {
        out: (text) => process.stdout.write(text),
        err: (text) => process.stderr.write(text),
      }),
    ),
};
