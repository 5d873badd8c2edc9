import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { recordChargifyRequests } from '../../mocks/chargify.js';
import { openPostgresStore } from '../../server/store/postgres.js';
import type { Store } from '../../server/store/store.js';
import type { Connection } from '../../src/backend/types.js';
import { closeAll, freshDatabase, mintSession, openConnection, startProcesses, type BackendProcess } from './postgres-support.js';
import { ACME_ADMIN, newCompanyId, startBackend, useSimulatedChargify, type TestBackend } from './support.js';

// The Postgres store (issue 18) against a real Postgres: Debian's server, in a
// throwaway cluster that `npm test` starts (scripts/postgres.js), or the one
// CONDUIT_TEST_PG names. The contract's journeys run on it as on SQLite, and two
// handlers on one database — two backend processes — behave as one.

useSimulatedChargify();

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
    const processes = await startProcesses(await freshDatabase(), [{}, {}]);
    try {
      const [first, second] = processes as [BackendProcess, BackendProcess];
      const companyId = newCompanyId('two');
      const token = await mintSession(first, companyId);
      const connectionId = await openConnection(second, companyId, token);

      const recording = recordChargifyRequests();
      const key = randomUUID();
      const path = `/companies/${companyId}/connections/${connectionId}/authorization`;
      const answers = await Promise.all(processes.map((process) => process.call('PUT', path, { token, body: ACME_ADMIN, key })));
      recording.stop();

      assert.deepEqual(answers.map((answer) => answer.status), [200, 200]);
      const [a, b] = await Promise.all(answers.map((answer) => answer.text()));
      assert.equal(a, b, 'one answer, given twice');
      assert.equal(answers.filter((answer) => answer.headers.get('Idempotent-Replayed') === 'true').length, 1);
      assert.equal(recording.requests.length, 1, 'Chargify was asked once');
    } finally {
      await closeAll(processes);
    }
  });

  it('a duplicate whose first process got no final answer does the work itself, without waiting for an answer that will not come', async () => {
    // The first process finds Chargify down; the second, a moment later, finds it back.
    const down: typeof fetch = async () => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      return new Response('Service Unavailable', { status: 503 });
    };
    const processes = await startProcesses(await freshDatabase(), [{ chargify: { fetch: down } }, {}]);
    try {
      const [first, second] = processes as [BackendProcess, BackendProcess];
      const companyId = newCompanyId('retry');
      const token = await mintSession(first, companyId);
      const connectionId = await openConnection(first, companyId, token);
      const path = `/companies/${companyId}/connections/${connectionId}/authorization`;
      const key = randomUUID();

      const recording = recordChargifyRequests();
      const started = Date.now();
      const firstAnswer = first.call('PUT', path, { token, body: ACME_ADMIN, key });
      await new Promise((resolve) => setTimeout(resolve, 100));
      const secondAnswer = await second.call('PUT', path, { token, body: ACME_ADMIN, key });
      recording.stop();

      assert.equal((await firstAnswer).status, 503);
      assert.equal(secondAnswer.status, 200, await secondAnswer.clone().text());
      assert.equal(secondAnswer.headers.get('Idempotent-Replayed'), null, 'its own work, not a replay of the 503');
      assert.ok(Date.now() - started < 5_000, 'it did not wait out the 35 s meant for an answer still coming');
      assert.equal(recording.requests.length, 1, 'the second process asked Chargify once');
    } finally {
      await closeAll(processes);
    }
  });

  it('counts key attempts together: ten on one process, and the eleventh on the other is refused', async () => {
    const processes = await startProcesses(await freshDatabase(), [{}, {}]);
    try {
      const [a, b] = processes as [BackendProcess, BackendProcess];
      const companyId = newCompanyId('shared');
      const token = await mintSession(a, companyId);
      const id = await openConnection(a, companyId, token);
      const path = `/companies/${companyId}/connections/${id}/authorization`;
      for (let tries = 0; tries < 10; tries++) {
        assert.equal((await a.call('PUT', path, { token, body: { ...ACME_ADMIN, apiKey: `chg_wrong_${tries}` } })).status, 400);
      }
      const refused = await b.call('PUT', path, { token, body: ACME_ADMIN });
      assert.equal(refused.status, 429);
      assert.equal(((await refused.json()) as { detailedErrorCode: number }).detailedErrorCode, 10011);
    } finally {
      await closeAll(processes);
    }
  });
});
