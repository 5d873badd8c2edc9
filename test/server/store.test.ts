import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { openSqliteStore, sqliteFiles } from '../../server/store/sqlite.js';
import type { Store } from '../../server/store/store.js';
import type { Connection } from '../../src/backend/types.js';

// The SQLite store on its own: the guarantees the handler leans on — one Linked
// connection per company and integration, credentials that go with the link,
// first answers kept — and migrations that run once per file.

const directory = mkdtempSync(join(tmpdir(), 'conduit-store-'));
const path = join(directory, 'nested', 'conduit.sqlite');
const at = new Date('2031-05-04T10:00:00.000Z');
const DAY_MS = 24 * 60 * 60 * 1000;
let store: Store;

before(async () => {
  store = openSqliteStore(path);
  await store.upsertCompany({ id: 'co', name: 'Co' }, at);
});
after(async () => {
  await store.close();
  rmSync(directory, { recursive: true, force: true });
});

function pending(id: string): Connection {
  return {
    id,
    integrationKey: 'chargify',
    platformName: 'Chargify',
    sourceType: 'Commerce',
    status: 'PendingAuth',
    created: at.toISOString(),
    connectionInfo: {},
  };
}

const INFO = { subdomain: 'acme', region: 'US', siteId: 1, siteName: 'Acme', currency: 'USD', test: false } as const;

describe('SQLite store', () => {
  it('creates the file’s directory and migrates it once, to the latest version', async () => {
    await store.close();
    store = openSqliteStore(path);
    const db = new Database(path, { readonly: true });
    try {
      assert.equal(db.pragma('user_version', { simple: true }), 4);
      assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    } finally {
      db.close();
    }
    // Only the backend's own user may read the sealed keys, or even list them.
    assert.equal(statSync(dirname(path)).mode & 0o777, 0o700, 'the directory it created');
    for (const file of sqliteFiles(path).filter((candidate) => existsSync(candidate))) {
      assert.equal(statSync(file).mode & 0o777, 0o600, file);
    }
    assert.deepEqual(await store.getCompany('co'), { id: 'co', name: 'Co' });
  });

  it('refuses a connection for a company it does not know', async () => {
    await assert.rejects(store.insertConnection('ghost', pending('ghost-1')));
  });

  it('links one connection per company and integration, and stores credentials only with the link', async () => {
    await store.insertConnection('co', pending('c1'));
    await store.insertConnection('co', pending('c2'));
    assert.equal(await store.linkConnection('co', 'c1', INFO, 'sealed-1', at), true);
    assert.equal(await store.linkConnection('co', 'c2', INFO, 'sealed-2', at), false);
    assert.equal(await store.linkConnection('co', 'c1', INFO, 'sealed-3', at), false, 'not twice either');
    assert.equal(await store.getSealedCredentials('c1'), 'sealed-1');
    assert.equal(await store.getSealedCredentials('c2'), null);
    assert.deepEqual((await store.getConnection('co', 'c1'))?.connectionInfo, INFO);
    assert.equal((await store.getConnection('co', 'c2'))?.status, 'PendingAuth');
  });

  it('unlinks with the credentials, after which another connection can link', async () => {
    await store.unlinkConnection('co', 'c1', at);
    assert.equal((await store.getConnection('co', 'c1'))?.status, 'Unlinked');
    assert.equal(await store.getSealedCredentials('c1'), null);
    assert.equal(await store.linkConnection('co', 'c2', INFO, 'sealed-2', at), true);
  });

  it('finds connections only under their own company', async () => {
    await store.upsertCompany({ id: 'other', name: 'Other' }, at);
    assert.equal(await store.getConnection('other', 'c1'), null);
    assert.deepEqual(await store.listConnections('other'), []);
    assert.deepEqual(
      (await store.listConnections('co')).map((connection) => connection.id),
      ['c1', 'c2'],
    );
  });

  it('keeps the first answer for an idempotency scope', async () => {
    await store.saveIdempotent('scope', 'subject', { requestHash: 'h1', status: 201, body: '{"a":1}' }, at);
    await store.saveIdempotent('scope', 'subject', { requestHash: 'h2', status: 400, body: '{"b":2}' }, at);
    assert.deepEqual(await store.getIdempotent('scope', at), { requestHash: 'h1', status: 201, body: '{"a":1}' });
    assert.equal(await store.getIdempotent('other-scope', at), null);
  });

  it('serves an idempotent answer for a day and not after, though nothing was saved since', async () => {
    await store.saveIdempotent('aging', 'subject', { requestHash: 'h', status: 201, body: '{}' }, at);
    assert.notEqual(await store.getIdempotent('aging', new Date(at.getTime() + DAY_MS)), null);
    assert.equal(await store.getIdempotent('aging', new Date(at.getTime() + DAY_MS + 1)), null);
  });

  it('purges idempotent answers over a day old, and nothing fresher', async () => {
    await store.saveIdempotent('old', 'subject', { requestHash: 'h', status: 201, body: '{}' }, at);
    const nextDay = new Date(at.getTime() + DAY_MS + 1);
    await store.saveIdempotent('new', 'subject', { requestHash: 'h', status: 201, body: '{}' }, nextDay);
    await store.purge(nextDay);
    // Read as of its own day, when it was still fresh: only a deleted row is missing then.
    assert.equal(await store.getIdempotent('old', at), null);
    assert.notEqual(await store.getIdempotent('new', nextDay), null);
  });

  it('keeps at most its limit of idempotent answers, dropping the oldest first', async () => {
    const small = openSqliteStore(':memory:', { maxIdempotencyRecords: 3 });
    for (let minute = 0; minute < 5; minute++) {
      await small.saveIdempotent(`scope-${minute}`, 'subject', { requestHash: 'h', status: 201, body: '{}' }, new Date(at.getTime() + minute * 60_000));
    }
    await small.purge(new Date(at.getTime() + 5 * 60_000));
    const kept = [];
    for (let minute = 0; minute < 5; minute++) kept.push((await small.getIdempotent(`scope-${minute}`, at)) !== null);
    assert.deepEqual(kept, [false, false, true, true, true]);
    await small.close();
  });

  it('forgets the answers kept for one subject, and only those', async () => {
    await store.saveIdempotent('put-a', '/companies/co/connections/a', { requestHash: 'h', status: 200, body: '{}' }, at);
    await store.saveIdempotent('put-b', '/companies/co/connections/b', { requestHash: 'h', status: 200, body: '{}' }, at);
    await store.forgetIdempotentFor('/companies/co/connections/a');
    assert.equal(await store.getIdempotent('put-a', at), null);
    assert.notEqual(await store.getIdempotent('put-b', at), null);
  });

  it('finds sessions by hash and purges expired ones', async () => {
    const later = new Date(at.getTime() + 60_000);
    await store.saveSession('hash-live', { companyId: 'co', expiresAt: later });
    await store.saveSession('hash-dead', { companyId: 'co', expiresAt: at });
    assert.deepEqual(await store.findSession('hash-live'), { companyId: 'co', expiresAt: later });
    await store.purge(at);
    assert.equal(await store.findSession('hash-dead'), null);
    assert.notEqual(await store.findSession('hash-live'), null);
  });

  it('ends every session of one company, and no other', async () => {
    const later = new Date(at.getTime() + 60_000);
    await store.upsertCompany({ id: 'co-a', name: 'Co A' }, at);
    await store.upsertCompany({ id: 'co-b', name: 'Co B' }, at);
    await store.saveSession('hash-a1', { companyId: 'co-a', expiresAt: later });
    await store.saveSession('hash-a2', { companyId: 'co-a', expiresAt: later });
    await store.saveSession('hash-b', { companyId: 'co-b', expiresAt: later });
    assert.equal(await store.deleteSessionsOf('co-a'), 2);
    assert.equal(await store.findSession('hash-a1'), null);
    assert.equal(await store.findSession('hash-a2'), null);
    assert.notEqual(await store.findSession('hash-b'), null);
  });
});
