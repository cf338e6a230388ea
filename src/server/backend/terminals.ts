/**
 * Built-in terminal credentials: each terminal sends its own bearer token; the backend holds only
 * each token's SHA-256 (a token is 256 random bits, so a plain hash cannot be reversed or guessed),
 * with the terminal's id, its store and its permissions. The tokens file has one JSON object per
 * line; blank lines and lines starting with `#` are skipped.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { bearerToken, tokenDigest } from '../bearer.js';
import { PERMISSIONS, type Caller, type Permission } from './access.js';
import { HttpError } from './errors.js';
import { SHORT_ID_PATTERN } from './validation.js';

/** One terminal as the tokens file lists it: never the token itself. */
export interface TerminalCredential {
  terminalId: string;
  storeId: string;
  /** Lowercase hex SHA-256 of the terminal's token. */
  tokenSha256: string;
  permissions: Permission[];
}

/** What `parseTerminalTokens` found: the terminals, and one sentence per bad line. */
export interface ParsedTerminalTokens {
  terminals: TerminalCredential[];
  problems: string[];
}

const FIELDS = ['terminalId', 'storeId', 'tokenSha256', 'permissions'];
const SHA256_HEX = /^[0-9a-f]{64}$/;
const TOKEN_PREFIX = 'dqr_';

/** The lowercase hex SHA-256 of `token`, as the tokens file holds it. */
export function hashToken(token: string): string {
  return tokenDigest(token).toString('hex');
}

/** A new terminal token: `dqr_` and 256 random bits, base64url. */
export function newTerminalToken(): string {
  return `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/** The problem with one parsed line, or `undefined` when it is a valid entry. */
function lineProblem(entry: unknown): string | undefined {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return 'not a JSON object';
  const fields = entry as Record<string, unknown>;
  const unknown = Object.keys(fields).filter((name) => !FIELDS.includes(name));
  if (unknown.length > 0) return `unknown field ${unknown.join(', ')}`;
  for (const name of ['terminalId', 'storeId']) {
    if (typeof fields[name] !== 'string' || !SHORT_ID_PATTERN.test(fields[name])) {
      return `${name} must be 1 to 64 of A-Z a-z 0-9 - _`;
    }
  }
  if (typeof fields.tokenSha256 !== 'string' || !SHA256_HEX.test(fields.tokenSha256)) {
    return 'tokenSha256 must be 64 lowercase hex digits (the SHA-256 of the token, never the token)';
  }
  const permissions = fields.permissions;
  if (!Array.isArray(permissions) || !permissions.every((name) => PERMISSIONS.includes(name as Permission))) {
    return `permissions must be a list of ${PERMISSIONS.map((name) => `"${name}"`).join(', ')} (or empty)`;
  }
  return undefined;
}

/** Reads a tokens file's text; every bad line, duplicate terminal id and reused hash is a problem. */
export function parseTerminalTokens(text: string): ParsedTerminalTokens {
  const terminals: TerminalCredential[] = [];
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    let entry: unknown;
    try {
      entry = JSON.parse(trimmed);
    } catch {
      entry = undefined;
    }
    const problem = entry === undefined ? 'not JSON' : lineProblem(entry);
    const credential = entry as TerminalCredential;
    if (problem) problems.push(`line ${index + 1}: ${problem}.`);
    else if (terminals.some((known) => known.terminalId === credential.terminalId)) {
      problems.push(`line ${index + 1}: terminal ${credential.terminalId} is listed twice.`);
    } else if (terminals.some((known) => known.tokenSha256 === credential.tokenSha256)) {
      problems.push(`line ${index + 1}: terminal ${credential.terminalId} has another terminal's token.`);
    } else terminals.push(credential);
  });
  return { terminals, problems };
}

/** One line of a tokens file for `credential`. */
export function terminalTokensLine(credential: TerminalCredential): string {
  const { terminalId, storeId, tokenSha256, permissions } = credential;
  return JSON.stringify({ terminalId, storeId, tokenSha256, permissions });
}

/** The 401 for a call without a known token; the same for a missing and a wrong one. */
export function unauthorized(): HttpError {
  return new HttpError(401, 'UNAUTHORIZED', 'This call needs a terminal token (Authorization: Bearer …).', undefined, {
    'www-authenticate': 'Bearer realm="amazonpay-dqr"',
  });
}

/**
 * Finds the terminal whose token `request` carries as `Authorization: Bearer <token>`. The
 * token's hash is compared with every terminal's in constant time, so the answer's timing says
 * nothing about how close a guess was.
 */
export function createTerminalAuthenticator(terminals: readonly TerminalCredential[]): (request: Request) => Caller {
  const known = terminals.map((terminal) => ({ terminal, digest: Buffer.from(terminal.tokenSha256, 'hex') }));
  return (request) => {
    const token = bearerToken(request);
    if (token === undefined) throw unauthorized();
    const digest = tokenDigest(token);
    let found: TerminalCredential | undefined;
    for (const { terminal, digest: expected } of known) {
      if (timingSafeEqual(digest, expected)) found = terminal;
    }
    if (!found) throw unauthorized();
    return { terminalId: found.terminalId, storeId: found.storeId, permissions: found.permissions };
  };
}
