import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { recordChargifyRequests } from '../../mocks/chargify.js';
import { createChargifyVerifier } from '../../server/chargify/client.js';
import { createHandler } from '../../server/handler.js';
import { createLogger } from '../../server/log.js';
import { openPostgresStore } from '../../server/store/postgres.js';
import type { Store } from '../../server/store/store.js';
import type { Connection } from '../../src/backend/types.js';
import { ACME_ADMIN, newCompanyId, PARTNER_SECRET, startBackend, useSimulatedChargify, type TestBackend } from './support.js';

// The Postgres store (issue 18) against a real Postgres: Debian's server, in a
// throwaway cluster that `npm test` starts (scripts/postgres.js), or the one
// CONDUIT_TEST_PG names. The contract's journeys run on it as on SQLite, and two
// handlers on one database — two backend processes — behave as one.

useSimulatedChargify();

const admin = process.env.CONDUIT_TEST_PG;
if (!admin) {
  throw new Error(
    'No Postgres for the Postgres store tests: run them through `npm test` (which starts one when Debian\'s postgresql is installed and it runs as root), or set CONDUIT_TEST_PG to a database URL whose user may create databases.',
  );
}

/** A fresh database on the test server, dropped when the file ends. */
async function freshDatabase(): Promise<string> {
  const name = `conduit_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  created.push(name);
  const url = new URL(admin!);
  url.pathname = `/${name}`;
  return url.href;
}
const created: string[] = [];
after(async () => {
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  for (const name of created) await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await client.end();
});

describe('Postgres store', () => {
  let url: string;
  let stores: Store[] = [];
  before(async () => {
    url = await freshDatabase();
  });
  after(async () => {
    await Promise.all(stores.map((store) => store.close()));
    stores = [];
  });

  it('migrates once when several processes open it at the same moment, recording each migration', async () => {
    stores = await Promise.all(Array.from({ length: 4 }, () => openPostgresStore(url, { poolSize: 2 })));
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query('SELECT version FROM conduit_migrations ORDER BY version');
    await client.end();
    assert.deepEqual(rows.map((row) => row.version), [1]);
  });

  it('keeps one Linked connection per company and integration, whichever store links it', async () => {
    const [one, two] = stores as [Store, Store];
    const at = new Date('2031-05-04T10:00:00.000Z');
    await one.upsertCompany({ id: 'pg-co', name: 'PG Co' }, at);
    const connection = (id: string): Connection => ({
      id,
      integrationKey: 'chargify',
      platformName: 'Chargify',
      sourceType: 'Commerce',
      status: 'PendingAuth',
      created: at.toISOString(),
      connectionInfo: {},
    });
    await one.insertConnection('pg-co', connection('c1'));
    await two.insertConnection('pg-co', connection('c2'));
    const info = { subdomain: 'acme', region: 'US' as const, siteId: 1, siteName: 'Acme' };
    const results = await Promise.all([one.linkConnection('pg-co', 'c1', info, 'sealed-1', at), two.linkConnection('pg-co', 'c2', info, 'sealed-2', at)]);
    assert.deepEqual(results.sort(), [false, true]);
    const linked = (await one.listConnections('pg-co')).filter((each) => each.status === 'Linked');
    assert.equal(linked.length, 1);
  });

  it('gives an Idempotency-Key to one claimant, tells the others it is running, then replays its answer', async () => {
    const [one, two] = stores as [Store, Store];
    const now = new Date();
    const claims = await Promise.all([one.claimIdempotent('pg-scope', 'subject', 'h', now), two.claimIdempotent('pg-scope', 'subject', 'h', now)]);
    assert.deepEqual(claims.map((claim) => claim.kind).sort(), ['claimed', 'running']);
    await one.saveIdempotent('pg-scope', 'subject', { requestHash: 'h', status: 200, body: '{"ok":true}' }, now);
    assert.deepEqual(await two.claimIdempotent('pg-scope', 'subject', 'h', now), { kind: 'final', response: { requestHash: 'h', status: 200, body: '{"ok":true}' } });
  });

  it('takes over a claim left by a process that died mid-work, after five minutes', async () => {
    const [one] = stores as [Store];
    const then = new Date('2031-05-04T10:00:00.000Z');
    assert.equal((await one.claimIdempotent('pg-dead', 'subject', 'h', then)).kind, 'claimed');
    assert.equal((await one.claimIdempotent('pg-dead', 'subject', 'h', new Date(then.getTime() + 60_000))).kind, 'running');
    assert.equal((await one.claimIdempotent('pg-dead', 'subject', 'h', new Date(then.getTime() + 6 * 60_000))).kind, 'claimed');
  });
});

describe('the contract on Postgres', () => {
  let backend: TestBackend;
  before(async () => {
    const url = await freshDatabase();
    backend = await startBackend({ openStore: () => openPostgresStore(url) });
  });
  after(() => backend.close());

  it('mints, connects, replays, re-checks, hands off and unlinks as on SQLite', async () => {
    const companyId = newCompanyId('pg');
    const token = await backend.session(companyId, 'Postgres Ltd');
    const connection = await backend.pending(token, companyId);
    assert.deepEqual(await backend.pending(token, companyId), connection, 'resumed, not duplicated');
    const key = randomUUID();
    const linked = await backend.authorize(token, companyId, connection.id, ACME_ADMIN, { idempotencyKey: key });
    assert.equal(linked.status, 200, linked.text);
    const replayed = await backend.authorize(token, companyId, connection.id, ACME_ADMIN, { idempotencyKey: key });
    assert.equal(replayed.headers.get('Idempotent-Replayed'), 'true');
    assert.equal(replayed.text, linked.text);
    const path = `/companies/${companyId}/connections/${connection.id}`;
    assert.equal((await backend.call('POST', `${path}/verify`, { token })).body.status, 'Linked');
    const handoff = await backend.call('POST', `${path}/handoffs`, { token });
    assert.equal(handoff.status, 201);
    assert.equal((await backend.call('GET', '/handoff', { token: handoff.body.token })).body.companyName, 'Postgres Ltd');
    assert.equal((await backend.call('PATCH', path, { token, json: { status: 'Unlinked' } })).body.status, 'Unlinked');
    assert.equal(await backend.store.getSealedCredentials(connection.id), null);
  });

  it('survives a restart: what was stored is there for the next process', async () => {
    const companyId = newCompanyId('pg');
    const token = await backend.session(companyId);
    const connection = await backend.pending(token, companyId);
    await backend.restart();
    assert.equal((await backend.call('GET', `/companies/${companyId}/connections/${connection.id}`, { token })).status, 200);
  });
});

describe('two backend processes on one Postgres', () => {
  it('verifies the same Idempotency-Key once, and both answer with the first final answer', async () => {
    const url = await freshDatabase();
    const settings = { partnerSecret: PARTNER_SECRET, secretKey: randomBytes(32), allowedOrigins: [] };
    const processes = await Promise.all(
      [0, 1].map(async () => {
        const store = await openPostgresStore(url);
        return { store, handler: createHandler({ store, chargify: createChargifyVerifier(), clock: { now: () => new Date() }, settings, log: createLogger(() => {}) }) };
      }),
    );
    try {
      const [first, second] = processes as [(typeof processes)[0], (typeof processes)[0]];
      const call = (handler: typeof first.handler, method: string, path: string, init: { token?: string; body?: unknown; key?: string } = {}) =>
        handler(
          new Request(`http://backend.test${path}`, {
            method,
            headers: {
              ...(init.token ? { Authorization: `Bearer ${init.token}` } : {}),
              ...(init.body === undefined ? {} : { 'Content-Type': 'application/json' }),
              ...(init.key ? { 'Idempotency-Key': init.key } : {}),
            },
            body: init.body === undefined ? undefined : JSON.stringify(init.body),
          }),
        );
      const companyId = newCompanyId('two');
      const minted = await call(first.handler, 'POST', '/sessions', { token: PARTNER_SECRET, body: { companyId } });
      const { token } = (await minted.json()) as { token: string };
      const created = (await (await call(second.handler, 'POST', `/companies/${companyId}/connections`, { token, body: { platformKey: 'chargify' } })).json()) as Connection;

      const recording = recordChargifyRequests();
      const key = randomUUID();
      const path = `/companies/${companyId}/connections/${created.id}/authorization`;
      const answers = await Promise.all([first, second].map(({ handler }) => call(handler, 'PUT', path, { token, body: ACME_ADMIN, key })));
      recording.stop();

      assert.deepEqual(answers.map((answer) => answer.status), [200, 200]);
      const [a, b] = await Promise.all(answers.map((answer) => answer.text()));
      assert.equal(a, b, 'one answer, given twice');
      assert.equal(answers.filter((answer) => answer.headers.get('Idempotent-Replayed') === 'true').length, 1);
      assert.equal(recording.requests.length, 1, 'Chargify was asked once');
    } finally {
      await Promise.all(processes.map(({ store }) => store.close()));
    }
  });

  it('counts key attempts together: ten on one process, and the eleventh on the other is refused', async () => {
    const url = await freshDatabase();
    const settings = { partnerSecret: PARTNER_SECRET, secretKey: randomBytes(32), allowedOrigins: [] };
    const stores = await Promise.all([0, 1].map(() => openPostgresStore(url)));
    try {
      const [a, b] = stores.map((store) =>
        createHandler({ store, chargify: createChargifyVerifier(), clock: { now: () => new Date() }, settings, log: createLogger(() => {}) }),
      ) as [ReturnType<typeof createHandler>, ReturnType<typeof createHandler>];
      const call = (handler: typeof a, method: string, path: string, token: string, body?: unknown) =>
        handler(
          new Request(`http://backend.test${path}`, {
            method,
            headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
            body: body === undefined ? undefined : JSON.stringify(body),
          }),
        );
      const companyId = newCompanyId('shared');
      const { token } = (await (await call(a, 'POST', '/sessions', PARTNER_SECRET, { companyId })).json()) as { token: string };
      const { id } = (await (await call(a, 'POST', `/companies/${companyId}/connections`, token, { platformKey: 'chargify' })).json()) as Connection;
      const path = `/companies/${companyId}/connections/${id}/authorization`;
      for (let tries = 0; tries < 10; tries++) {
        assert.equal((await call(a, 'PUT', path, token, { ...ACME_ADMIN, apiKey: `chg_wrong_${tries}` })).status, 400);
      }
      const refused = await call(b, 'PUT', path, token, ACME_ADMIN);
      assert.equal(refused.status, 429);
      assert.equal(((await refused.json()) as { detailedErrorCode: number }).detailedErrorCode, 10011);
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
  });
});
