import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteStore, SQLITE_SCHEMA_VERSION } from '../../src/server/store/sqlite-store.js';
import { StoreSetupError } from '../../src/server/store/setup-error.js';
import { CONTRACT_NOW, storedOrder } from './support/store-contract.js';

/**
 * The SQLite store as an operator meets it: a file made on first start, kept across restarts and
 * crashes, refused to a second process, and guarded against files it must not touch.
 */
const dir = mkdtempSync(join(tmpdir(), 'dqr-sqlite-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const newPath = () => join(dir, `store-${++files}`, 'orders.sqlite');
const now = () => CONTRACT_NOW;

/** Runs `script` (an ES module body) in a separate Node process; resolves with its output and exit code. */
function inAnotherProcess(script: string) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    encoding: 'utf8',
    cwd: process.cwd(),
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('sqlite store', () => {
  it('creates its file and folder on first start, in WAL mode, at the current schema version', () => {
    const path = newPath();
    openSqliteStore({ path, now }).close();
    const db = new Database(path, { readonly: true });
    try {
      assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
      assert.equal(db.pragma('user_version', { simple: true }), SQLITE_SCHEMA_VERSION);
    } finally {
      db.close();
    }
  });

  it('keeps every order and the jobs it owes across a restart, and across a SIGKILL mid-run', async () => {
    const path = newPath();
    const store = openSqliteStore({ path, now });
    const owing = storedOrder('KEEP-1', { jobs: { settle: { dueAt: CONTRACT_NOW + 120_000, attempts: 0 } } });
    await store.create(owing);
    store.close();
    const killed = inAnotherProcess(`
      const { openSqliteStore } = await import(${JSON.stringify(new URL('../../src/server/store/sqlite-store.ts', import.meta.url).href)});
      const store = openSqliteStore({ path: ${JSON.stringify(path)}, now: () => ${CONTRACT_NOW} });
      await store.update('KEEP-1', (current) => ({ ...current, status: 'paid', jobs: undefined }));
      await store.create({ ...(await store.get('KEEP-1')), orderId: 'KEEP-2', version: 1 });
      process.kill(process.pid, 'SIGKILL');
    `);
    assert.equal(killed.status, null, killed.output);
    const reopened = openSqliteStore({ path, now });
    try {
      assert.equal((await reopened.get('KEEP-1'))?.status, 'paid', 'a write that returned survives the kill');
      assert.equal((await reopened.get('KEEP-1'))?.version, 2);
      assert.equal((await reopened.get('KEEP-2'))?.orderId, 'KEEP-2');
      assert.deepEqual(await reopened.due(Infinity, 10), []);
    } finally {
      reopened.close();
    }
  });

  it('refuses a second process on the same file, saying so in one line', () => {
    const path = newPath();
    const store = openSqliteStore({ path, now });
    try {
      assert.throws(() => openSqliteStore({ path, now }), StoreSetupError);
      const other = inAnotherProcess(`
        const { openSqliteStore } = await import(${JSON.stringify(new URL('../../src/server/store/sqlite-store.ts', import.meta.url).href)});
        try { openSqliteStore({ path: ${JSON.stringify(path)} }); console.log('opened'); }
        catch (error) { console.log(error.name + ': ' + error.message); }
      `);
      assert.match(other.output, /^StoreSetupError: The order store .*orders\.sqlite is in use by another process/);
      assert.match(other.output, /DQR_STORE=redis for several instances\.\n$/);
    } finally {
      store.close();
    }
    openSqliteStore({ path, now }).close();
  });

  it('refuses a file written by a newer version, and a file that is not an order store', () => {
    const newer = newPath();
    openSqliteStore({ path: newer, now }).close();
    const db = new Database(newer);
    db.pragma(`user_version = ${SQLITE_SCHEMA_VERSION + 1}`);
    db.close();
    assert.throws(() => openSqliteStore({ path: newer, now }), /written by a newer amazonpay-dqr/);

    const foreign = newPath();
    openSqliteStore({ path: foreign, now }).close();
    const other = new Database(foreign);
    other.pragma('application_id = 7');
    other.close();
    assert.throws(() => openSqliteStore({ path: foreign, now }), /is not an amazonpay-dqr order store/);
    const unrelated = join(dir, 'unrelated.sqlite');
    const table = new Database(unrelated);
    table.exec('CREATE TABLE invoices (id INTEGER)');
    table.close();
    assert.throws(() => openSqliteStore({ path: unrelated, now }), /is not an amazonpay-dqr order store/);
  });

  it('forgets an order the retention after it ended, but never one that still owes a job', async () => {
    let clock = CONTRACT_NOW;
    const store = openSqliteStore({ path: newPath(), retentionMs: 60_000, now: () => clock });
    try {
      await store.create(storedOrder('OLD-PAID', { status: 'paid' }));
      await store.create(
        storedOrder('OLD-OWING', { status: 'expired', jobs: { refund: { dueAt: clock, attempts: 3 } } }),
      );
      clock += 61_000;
      await store.create(storedOrder('NEW-1'));
      assert.equal(await store.get('OLD-PAID'), undefined);
      assert.equal((await store.get('OLD-OWING'))?.jobs?.refund?.attempts, 3);
      assert.equal((await store.get('NEW-1'))?.status, 'pending');
    } finally {
      store.close();
    }
  });
});
