#!/usr/bin/env node
/**
 * `amazonpay-dqr-backend` (`npm run backend`): the reference backend's command line. Without a
 * command it runs the server; each command is one entry of `COMMANDS`, and `--help` lists them.
 */
import { checkCommand } from './cli/check.js';
import { USAGE_ERROR, type Command } from './cli/command.js';
import { serveCommand } from './cli/serve.js';
import { tokenCommand } from './cli/token.js';

/** The commands by name. */
const COMMANDS: Record<string, Command> = {
  serve: serveCommand,
  check: checkCommand,
  token: tokenCommand,
};
/** What runs when no command is named. */
const DEFAULT_COMMAND = 'serve';
const HELP = ['help', '-h', '--help'];

function usage(): string {
  const width = Math.max(...[...Object.keys(COMMANDS), HELP[0]].map((name) => name.length));
  const line = (name: string, summary: string) => `  ${name.padEnd(width)}  ${summary}`;
  return [
    'Usage: amazonpay-dqr-backend [command]',
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([name, { summary }]) =>
      line(name, name === DEFAULT_COMMAND ? `${summary}; the default` : summary),
    ),
    line(HELP[0], `print this help (also ${HELP.slice(1).join(', ')})`),
    '',
    'Settings come from environment variables (AMAZON_PAY_MODE, AMAZON_PAY_MERCHANT_ID, ...), each',
    "listed with its default in the package's README.md, section Configuration",
    '(node_modules/amazonpay-dqr/README.md).',
  ].join('\n');
}

const [name = DEFAULT_COMMAND, ...args] = process.argv.slice(2);
if (HELP.includes(name)) {
  console.log(usage());
} else if (!Object.hasOwn(COMMANDS, name)) {
  console.error(`amazonpay-dqr-backend: there is no command "${name}".\n\n${usage()}`);
  process.exitCode = USAGE_ERROR;
} else {
  const status = await COMMANDS[name].run(args, process.env);
  if (status !== undefined) process.exitCode = status;
}
