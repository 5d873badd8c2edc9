import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pg from 'pg';
import { maxInFlight, recordChargifyRequests } from '../../mocks/chargify.js';
import { openPostgresTurns, siteKey } from '../../server/chargify/postgres-turns.js';
import { closeAll, freshDatabase, mintSession, openConnection, startProcesses, type ProcessOptions } from './postgres-support.js';
import { ACME_ADMIN, newCompanyId, useSimulatedChargify } from './support.js';

// Chargify's per-site turns across the processes of a deployment (issue 18):
// each process keeps its own fair line, and a Postgres advisory lock per turn
// makes the deployment as a whole send a site no more than one process would.

useSimulatedChargify();

/** Ends the Postgres sessions that hold a turn at `subdomain`, as the death of their process would. */
async function terminateHoldersOf(url: string, subdomain: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // A two-key advisory lock shows its first key as classid (unsigned) and its second as objid.
    const { rowCount } = await client.query(
      "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 2 AND classid::bigint = $1",
      [siteKey(subdomain) >>> 0],
    );
    assert.equal(rowCount, 1, 'one session held the turn');
  } finally {
    await client.end();
  }
}

/** `perProcess` companies on each process, all authorizing acme at the same moment; what Chargify saw. */
async function connectTogether(options: ProcessOptions, perProcess: number) {
  const processes = await startProcesses(await freshDatabase(), [options, options]);
  try {
    const attempts = await Promise.all(
      processes.flatMap((process) =>
        Array.from({ length: perProcess }, async () => {
          const companyId = newCompanyId('turns');
          const token = await mintSession(process, companyId);
          const id = await openConnection(process, companyId, token);
          return { process, token, path: `/companies/${companyId}/connections/${id}/authorization` };
        }),
      ),
    );
    const recording = recordChargifyRequests();
    const answers = await Promise.all(attempts.map(({ process, token, path }) => process.call('PUT', path, { token, body: ACME_ADMIN })));
    recording.stop();
    return { statuses: answers.map((answer) => answer.status), requests: recording.requests };
  } finally {
    await closeAll(processes);
  }
}

describe('Chargify turns shared through Postgres', () => {
  it('one turn per site: two processes never ask Chargify about one subdomain at the same time', async () => {
    const { statuses, requests } = await connectTogether({ sharedTurns: true, chargify: { queue: { concurrency: 1 } } }, 4);
    assert.deepEqual(statuses, Array(8).fill(200));
    assert.equal(requests.length, 8);
    assert.equal(maxInFlight(requests, 'acme'), 1);
  });

  it('without shared turns, each process takes its own turn: the overlap the locks prevent', async () => {
    const { requests } = await connectTogether({ chargify: { queue: { concurrency: 1 } } }, 4);
    assert.equal(maxInFlight(requests, 'acme'), 2);
  });

  it('Chargify’s four turns per site hold for the deployment, not four per process', async () => {
    const { statuses, requests } = await connectTogether({ sharedTurns: true }, 6);
    assert.deepEqual(statuses, Array(12).fill(200));
    assert.equal(maxInFlight(requests, 'acme'), 4);
  });

  it('a process whose connections all hold turns makes the next site wait, until the deadline', async () => {
    const turns = await openPostgresTurns(await freshDatabase(), { poolSize: 1 });
    try {
      const held = await turns.take('acme', 4, Date.now() + 1_000);
      assert.ok(held);
      assert.equal(await turns.take('euro-shop', 4, Date.now() + 150), null, 'no connection came free in time');
      const waiting = turns.take('euro-shop', 4, Date.now() + 5_000);
      await held();
      const taken = await waiting;
      assert.ok(taken, 'the connection given back serves the next site');
      await taken();
    } finally {
      await turns.close();
    }
  });

  it('a waiter gives up at its deadline, and a turn comes free when its holder’s process dies', async () => {
    const url = await freshDatabase();
    const [holder, waiter] = await Promise.all([openPostgresTurns(url), openPostgresTurns(url, { waitStepMs: 20 })]);
    try {
      const held = await holder.take('acme', 1, Date.now() + 1_000);
      assert.ok(held, 'a free turn is taken at once');
      const started = Date.now();
      assert.equal(await waiter.take('acme', 1, started + 150), null);
      assert.ok(Date.now() - started < 1_000, 'no longer than the deadline and one wait step');
      const other = await waiter.take('other-site', 1, Date.now() + 100);
      assert.ok(other, 'another site’s turn is free');
      await other();

      // The holder's session ends as a killed process's would; Postgres frees its locks with it.
      const freed = waiter.take('acme', 1, Date.now() + 5_000);
      await terminateHoldersOf(url, 'acme');
      const taken = await freed;
      assert.ok(taken, 'the dead holder’s turn was taken');
      await taken();
      await held();
      const again = await waiter.take('acme', 1, Date.now() + 100);
      assert.ok(again, 'a released turn can be taken again');
      await again();
    } finally {
      await Promise.all([holder.close(), waiter.close()]);
    }
  });
});
