/**
 * Who may reach what: the terminals' hashed tokens, the SNS topics notifications may come from,
 * and the caps on orders waiting to be paid.
 */
import { readFileSync } from 'node:fs';
import { DEFAULT_PENDING_LIMITS, type PendingLimits } from '../backend/pending-cap.js';
import { parseTerminalTokens, type TerminalCredential } from '../backend/terminals.js';
import type { Settings } from './env.js';

/** Who may call the contract and send notifications, and how much they may leave waiting. */
export interface SecurityConfig extends PendingLimits {
  /** `DQR_TERMINAL_TOKENS_FILE`, read: the terminals that may call the contract. Absent: anyone may (sandbox only). */
  terminals?: TerminalCredential[];
  /** The file they were read from. */
  terminalTokensFile?: string;
  /** `AMAZON_PAY_SNS_TOPIC_ARNS`: the SNS topics Amazon Pay's notifications come from. */
  snsTopicArns: string[];
}

const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;

function readTerminals(settings: Settings, file: string): TerminalCredential[] | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    settings.problem(`DQR_TERMINAL_TOKENS_FILE ${file} cannot be read (${(error as NodeJS.ErrnoException).code}).`);
    return undefined;
  }
  const { terminals, problems } = parseTerminalTokens(text);
  for (const problem of problems) settings.problem(`DQR_TERMINAL_TOKENS_FILE ${file}, ${problem}`);
  if (terminals.length === 0 && problems.length === 0) {
    settings.problem(
      `DQR_TERMINAL_TOKENS_FILE ${file} lists no terminal: add one with \`amazonpay-dqr-backend token\`.`,
    );
  }
  return terminals;
}

/** Reads the terminals' tokens file, the SNS topic allow-list and the pending-order caps. */
export function readSecurity(settings: Settings): SecurityConfig {
  const terminalTokensFile = settings.text('DQR_TERMINAL_TOKENS_FILE');
  const snsTopicArns = settings.list('AMAZON_PAY_SNS_TOPIC_ARNS');
  for (const arn of snsTopicArns) {
    if (!TOPIC_ARN.test(arn)) {
      settings.problem(
        `AMAZON_PAY_SNS_TOPIC_ARNS: ${arn} is not an SNS topic ARN such as arn:aws:sns:eu-west-1:123456789012:name.`,
      );
    }
  }
  return {
    terminals: terminalTokensFile === undefined ? undefined : readTerminals(settings, terminalTokensFile),
    terminalTokensFile,
    snsTopicArns,
    maxPending: settings.integer('DQR_MAX_PENDING_ORDERS', DEFAULT_PENDING_LIMITS.maxPending, 1, 1_000_000),
    maxPendingPerTerminal: settings.integer(
      'DQR_MAX_PENDING_PER_TERMINAL',
      DEFAULT_PENDING_LIMITS.maxPendingPerTerminal,
      1,
      10_000,
    ),
  };
}
