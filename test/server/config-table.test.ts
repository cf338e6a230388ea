import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../src/server/app.js';
import { createMemoryStore } from '../../src/server/backend/store.js';
import { configFrom, type Env } from '../../src/server/config/index.js';
import { Settings } from '../../src/server/config/env.js';
import { tableRows } from './support/configuration-table.js';
import { tokensFile } from './support/terminal-tokens.js';

const CONFIG_DIR = new URL('../../src/server/config/', import.meta.url);

/** Environments that, between them, take every branch of the configuration. */
function environments(): Env[] {
  const secrets = mkdtempSync(join(tmpdir(), 'dqr-secrets-'));
  const secret = (name: string, value: string) => {
    writeFileSync(join(secrets, name), `${value}\n`);
    return join(secrets, name);
  };
  const production = {
    AMAZON_PAY_MODE: 'production',
    AMAZON_PAY_MERCHANT_ID: 'A1MERCHANT',
    AMAZON_PAY_ACCESS_KEY_ID: 'AKLIVE',
    AMAZON_PAY_SECRET_KEY: 'live-secret',
    AMAZON_PAY_STORE_ID: 'STORE-1',
    AMAZON_PAY_SNS_TOPIC_ARNS: 'arn:aws:sns:eu-west-1:123456789012:amazon-pay',
    DQR_TERMINAL_TOKENS_FILE: tokensFile([{ terminalId: 'till-1', storeId: 'STORE-1' }]).file,
    DQR_PUBLIC_URL: 'https://pay.example.com',
  };
  return [
    {},
    production,
    { DQR_STORE: 'redis', REDIS_URL_FILE: secret('redis-url', 'redis://redis.internal:6379') },
    { DQR_METRICS_PORT: '9464', DQR_METRICS_TOKEN_FILE: secret('metrics-token', 'a'.repeat(40)) },
  ];
}

/** Every variable the configuration asks for in `environments()`. */
function variablesRead(): Set<string> {
  const asked = new Set<string>();
  for (const env of environments()) {
    const settings = new Settings(env);
    configFrom(settings);
    for (const name of settings.asked) asked.add(name);
  }
  return asked;
}

/** Every variable name written out in the configuration's source, read in some branch or other. */
function variablesNamed(): Set<string> {
  const names = new Set<string>();
  for (const file of readdirSync(CONFIG_DIR).filter((name) => name.endsWith('.ts'))) {
    const source = readFileSync(new URL(file, CONFIG_DIR), 'utf8');
    for (const [, name] of source.matchAll(/'((?:AMAZON_PAY|DQR|REDIS|LOG|NODE)_[A-Z0-9_]+|PORT|HOST)'/g))
      names.add(name);
  }
  return names;
}

describe('the configuration table', () => {
  it('lists every setting the code reads, and no setting it ignores', () => {
    const documented = new Set(tableRows().flatMap((row) => row.names));
    const read = new Set([...variablesRead(), ...variablesNamed()]);
    assert.deepEqual([...read].filter((name) => !documented.has(name)).sort(), [], 'read but not in the table');
    assert.deepEqual([...documented].filter((name) => !read.has(name)).sort(), [], 'in the table but never read');
  });

  it('gives every setting a default and says what production needs', async () => {
    for (const { names, cells } of tableRows()) {
      assert.equal(cells.length, 4, names[0]);
      assert.notEqual(cells[1], '', `${names[0]} has no default`);
      assert.notEqual(cells[3], '', `${names[0]} says nothing`);
    }
    const required = tableRows()
      .filter(({ cells }) => cells[2] === 'required')
      .map(({ names }) => names[0]);
    const [, production] = environments();
    // The store is given: what is checked is the configuration, not the SQLite file's folder.
    const starts = async (env: Env) =>
      createApp(configFrom(new Settings(env)), {
        origin: 'https://pay.example.com',
        backend: { store: createMemoryStore() },
      });
    await (await starts(production)).close();
    for (const name of required) {
      await assert.rejects(starts({ ...production, [name]: '' }), new RegExp(name), `${name} is marked required`);
    }
  });
});
