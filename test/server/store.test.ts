import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { openSqliteStore } from '../../server/store/sqlite.js';
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
      assert.equal(db.pragma('user_version', { simple: true }), 1);
      assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    } finally {
      db.close();
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
    await store.saveIdempotent('scope', { requestHash: 'h1', status: 201, body: '{"a":1}' }, at);
    await store.saveIdempotent('scope', { requestHash: 'h2', status: 400, body: '{"b":2}' }, at);
    assert.deepEqual(await store.getIdempotent('scope', at), { requestHash: 'h1', status: 201, body: '{"a":1}' });
    assert.equal(await store.getIdempotent('other-scope', at), null);
  });

  it('serves an idempotent answer for a day and not after, though nothing was saved since', async () => {
    await store.saveIdempotent('aging', { requestHash: 'h', status: 201, body: '{}' }, at);
    assert.notEqual(await store.getIdempotent('aging', new Date(at.getTime() + DAY_MS)), null);
    assert.equal(await store.getIdempotent('aging', new Date(at.getTime() + DAY_MS + 1)), null);
  });

  it('deletes idempotent answers over a day old when saving another', async () => {
    await store.saveIdempotent('old', { requestHash: 'h', status: 201, body: '{}' }, at);
    const nextDay = new Date(at.getTime() + DAY_MS + 1);
    await store.saveIdempotent('new', { requestHash: 'h', status: 201, body: '{}' }, nextDay);
    // Read as of its own day, when it was still fresh: only a deleted row is missing then.
    assert.equal(await store.getIdempotent('old', at), null);
    assert.notEqual(await store.getIdempotent('new', nextDay), null);
  });

  it('finds sessions by hash and forgets expired ones', async () => {
    const later = new Date(at.getTime() + 60_000);
    await store.saveSession('hash-live', { companyId: 'co', expiresAt: later });
    await store.saveSession('hash-dead', { companyId: 'co', expiresAt: at });
    assert.deepEqual(await store.findSession('hash-live'), { companyId: 'co', expiresAt: later });
    await store.deleteSessionsExpiredBy(at);
    assert.equal(await store.findSession('hash-dead'), null);
    assert.notEqual(await store.findSession('hash-live'), null);
  });
});
