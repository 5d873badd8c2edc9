import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createCipheriv, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { createChargifyVerifier } from '../../server/chargify/client.js';
import { deriveKeys, open } from '../../server/crypto.js';
import { createHandler } from '../../server/handler.js';
import { createLogger } from '../../server/log.js';
import { openStore } from '../../server/store/open.js';
import { sqliteFiles } from '../../server/store/sqlite.js';
import type { Store } from '../../server/store/store.js';
import { ACME_ADMIN, newCompanyId, PARTNER_SECRET, useSimulatedChargify } from './support.js';

// `conduit-link-server rotate-key` (README, "Rotating CONDUIT_SECRET_KEY"), run as
// an operator runs it — the command, its environment, its exit code — on keys a
// backend stored through the contract, on SQLite and, when CONDUIT_TEST_PG names
// a server, on Postgres. What counts: the backend started with the new secret
// checks the connection with Chargify, and a wrong old secret changes nothing.

useSimulatedChargify();

const REPO = join(import.meta.dirname, '..', '..');
const run = promisify(execFile);

interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

async function rotateKey(env: Record<string, string>): Promise<CommandResult> {
  const { PATH, HOME } = process.env;
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'server/bin.ts', 'rotate-key'], { cwd: REPO, env: { PATH, HOME, ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** A value as 0.1 sealed it (`v1`: the configured secret itself as the AES key), which the backend still opens. */
function sealAsVersion01(secret: Buffer, plaintext: string, boundTo: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', secret, iv);
  cipher.setAAD(Buffer.from(boundTo));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), ciphertext.toString('base64')].join(':');
}

/** A backend on the database `location` names, with `secretKey` as its CONDUIT_SECRET_KEY. */
async function backend(location: string, secretKey: Buffer) {
  const store = await openStore(location);
  const handler = createHandler({
    store,
    chargify: createChargifyVerifier({ timeoutMs: 2_000 }),
    clock: { now: () => new Date() },
    settings: { partnerSecret: PARTNER_SECRET, secretKey, allowedOrigins: [] },
    log: createLogger(() => {}),
  });
  const call = async (method: string, path: string, bearer: string, body?: unknown) => {
    const response = await handler(
      new Request(`http://backend.test${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${bearer}`,
          'Idempotency-Key': randomUUID(),
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    );
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  return { store, call };
}

/** Links a Chargify connection of a new company through the contract, as the widget does; its ids. */
async function linkThroughContract(location: string, secretKey: Buffer): Promise<{ companyId: string; connectionId: string }> {
  const { store, call } = await backend(location, secretKey);
  try {
    const companyId = newCompanyId();
    const session = await call('POST', '/sessions', PARTNER_SECRET, { companyId });
    const token = session.body.token as string;
    const pending = await call('POST', `/companies/${companyId}/connections`, token, { platformKey: 'chargify' });
    const connectionId = pending.body.id as string;
    const linked = await call('PUT', `/companies/${companyId}/connections/${connectionId}/authorization`, token, ACME_ADMIN);
    assert.equal(linked.body.status, 'Linked', JSON.stringify(linked.body));
    return { companyId, connectionId };
  } finally {
    await store.close();
  }
}

/** A connection whose key was stored by 0.1, linked straight in the store. */
async function linkAsVersion01(location: string, secretKey: Buffer): Promise<{ companyId: string; connectionId: string }> {
  const store = await openStore(location);
  try {
    const companyId = newCompanyId('legacy');
    const connectionId = randomUUID();
    const at = new Date();
    await store.upsertCompany({ id: companyId, name: 'Legacy Co' }, at);
    const connection = { id: connectionId, integrationKey: 'chargify', platformName: 'Chargify', sourceType: 'Commerce', status: 'PendingAuth', created: at.toISOString(), connectionInfo: {} } as const;
    await store.insertConnection(companyId, connection);
    const info = { subdomain: 'acme', region: 'US', siteId: 48213, siteName: 'Acme Inc' } as const;
    assert.ok(await store.linkConnection(companyId, connectionId, info, sealAsVersion01(secretKey, JSON.stringify(ACME_ADMIN), connectionId), at));
    return { companyId, connectionId };
  } finally {
    await store.close();
  }
}

async function sealedKeys(location: string, connectionIds: string[]): Promise<(string | null)[]> {
  const store: Store = await openStore(location);
  try {
    return await Promise.all(connectionIds.map((id) => store.getSealedCredentials(id)));
  } finally {
    await store.close();
  }
}

const hex = (key: Buffer) => key.toString('hex');

const directory = mkdtempSync(join(tmpdir(), 'conduit-rotate-'));
after(() => rmSync(directory, { recursive: true, force: true }));

interface Database {
  name: string;
  /** A new, empty database: its CONDUIT_DB value. */
  fresh(): Promise<string>;
  /** Every byte the database keeps on disk, where the store promises that old sealed values leave no trace. */
  bytes?(location: string): Buffer;
}

const DATABASES: Database[] = [
  {
    name: 'SQLite',
    fresh: async () => join(directory, `${randomUUID()}.sqlite`),
    bytes: (location) => Buffer.concat(sqliteFiles(location).filter((file) => existsSync(file)).map((file) => readFileSync(file))),
  },
];
if (process.env.CONDUIT_TEST_PG) {
  // Imported only here: the module refuses to load without a Postgres to test against.
  const { freshDatabase } = await import('./postgres-support.js');
  DATABASES.push({ name: 'Postgres', fresh: freshDatabase });
}

for (const database of DATABASES) {
  describe(`rotate-key on ${database.name}`, () => {
    it('reseals every stored key under the new secret, and the backend started with it checks them with Chargify', async () => {
      const location = await database.fresh();
      const [oldKey, newKey] = [randomBytes(32), randomBytes(32)];
      const linked = await linkThroughContract(location, oldKey);
      const legacy = await linkAsVersion01(location, oldKey);
      const ids = [linked.connectionId, legacy.connectionId];
      const before = await sealedKeys(location, ids);

      const rotated = await rotateKey({ CONDUIT_DB: location, CONDUIT_OLD_SECRET_KEY: hex(oldKey), CONDUIT_NEW_SECRET_KEY: hex(newKey) });
      assert.equal(rotated.code, 0, rotated.stderr);
      assert.match(rotated.stdout, /resealed 2 stored keys/);

      for (const [index, sealed] of (await sealedKeys(location, ids)).entries()) {
        assert.ok(sealed);
        assert.deepEqual(JSON.parse(open(deriveKeys(newKey), sealed, ids[index]!)), ACME_ADMIN);
        assert.throws(() => open(deriveKeys(oldKey), sealed, ids[index]!), 'the old secret opens nothing any more');
      }
      if (database.bytes) {
        const stored = database.bytes(location);
        // The ciphertext part of each old value: a leaked old secret would open it.
        for (const old of before) assert.equal(stored.includes(old!.split(':').at(-1)!), false, 'an old sealed value left on disk');
      }
      const { store, call } = await backend(location, newKey);
      try {
        for (const { companyId, connectionId } of [linked, legacy]) {
          const token = (await call('POST', '/sessions', PARTNER_SECRET, { companyId })).body.token as string;
          const verified = await call('POST', `/companies/${companyId}/connections/${connectionId}/verify`, token);
          assert.equal(verified.status, 200, JSON.stringify(verified.body));
          assert.equal(verified.body.status, 'Linked');
        }
      } finally {
        await store.close();
      }

      // Run again (say, after a failed deploy): the keys already under the new secret stay readable with it.
      const again = await rotateKey({ CONDUIT_DB: location, CONDUIT_OLD_SECRET_KEY: hex(oldKey), CONDUIT_NEW_SECRET_KEY: hex(newKey) });
      assert.equal(again.code, 0, again.stderr);
      for (const [index, sealed] of (await sealedKeys(location, ids)).entries()) {
        assert.deepEqual(JSON.parse(open(deriveKeys(newKey), sealed!, ids[index]!)), ACME_ADMIN);
      }
    });

    it('changes nothing when the old secret is not the one the keys were sealed with', async () => {
      const location = await database.fresh();
      const oldKey = randomBytes(32);
      const { connectionId } = await linkThroughContract(location, oldKey);
      const before = await sealedKeys(location, [connectionId]);

      const refused = await rotateKey({ CONDUIT_DB: location, CONDUIT_OLD_SECRET_KEY: hex(randomBytes(32)), CONDUIT_NEW_SECRET_KEY: hex(randomBytes(32)) });
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /1 of 1 stored keys open with neither the old nor the new secret/);
      assert.match(refused.stderr, new RegExp(connectionId));
      assert.deepEqual(await sealedKeys(location, [connectionId]), before);
      assert.deepEqual(JSON.parse(open(deriveKeys(oldKey), before[0]!, connectionId)), ACME_ADMIN);
    });
  });
}

describe('rotate-key settings', () => {
  it('needs both secrets, valid and different, and an existing database', async () => {
    const location = join(directory, 'none.sqlite');
    const key = hex(randomBytes(32));
    const cases: [Record<string, string>, RegExp][] = [
      [{ CONDUIT_DB: location, CONDUIT_NEW_SECRET_KEY: key }, /needs CONDUIT_OLD_SECRET_KEY/],
      [{ CONDUIT_DB: location, CONDUIT_OLD_SECRET_KEY: key }, /needs CONDUIT_NEW_SECRET_KEY/],
      [{ CONDUIT_DB: location, CONDUIT_OLD_SECRET_KEY: '00'.repeat(32), CONDUIT_NEW_SECRET_KEY: key }, /CONDUIT_OLD_SECRET_KEY: looks made up/],
      [{ CONDUIT_DB: location, CONDUIT_OLD_SECRET_KEY: key, CONDUIT_NEW_SECRET_KEY: key }, /the same: nothing to rotate/],
      [{ CONDUIT_DB: location, CONDUIT_OLD_SECRET_KEY: key, CONDUIT_NEW_SECRET_KEY: hex(randomBytes(32)) }, /no SQLite database at/],
    ];
    for (const [env, message] of cases) {
      const result = await rotateKey(env);
      assert.equal(result.code, 1, JSON.stringify(env));
      assert.match(result.stderr, message);
    }
  });
});
