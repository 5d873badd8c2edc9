import { randomBytes } from 'node:crypto';
import { after } from 'node:test';
import pg from 'pg';
import { createChargifyVerifier, type ChargifyVerifierOptions } from '../../server/chargify/client.js';
import { openPostgresTurns } from '../../server/chargify/postgres-turns.js';
import type { SiteTurns } from '../../server/chargify/site-turns.js';
import { createHandler, type Handler } from '../../server/handler.js';
import { createLogger } from '../../server/log.js';
import { openPostgresStore } from '../../server/store/postgres.js';
import type { Store } from '../../server/store/store.js';
import { PARTNER_SECRET } from './support.js';

// What the Postgres tests share: the test server (Debian's, in a throwaway
// cluster `npm test` starts with scripts/postgres.js, or the one CONDUIT_TEST_PG
// names), a fresh database per test file or test, and several backend
// "processes" on one database — each with its own store, pool and Chargify
// client, as separate processes would have; only the database is shared.

const admin = process.env.CONDUIT_TEST_PG;
if (!admin) {
  throw new Error(
    'No Postgres for the Postgres store tests: run them through `npm test` (which starts one when Debian\'s postgresql is installed and it runs as root), or set CONDUIT_TEST_PG to a database URL whose user may create databases.',
  );
}

const created: string[] = [];
after(async () => {
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  for (const name of created) await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await client.end();
});

/** A fresh database on the test server, dropped when the file ends. */
export async function freshDatabase(): Promise<string> {
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

export interface BackendProcess {
  handler: Handler;
  store: Store;
  /** Set when the process shares Chargify turns through Postgres. */
  turns?: SiteTurns;
  /** A contract call as the widget makes it: bearer, JSON body, Idempotency-Key. */
  call(method: string, path: string, init?: { token?: string; body?: unknown; key?: string }): Promise<Response>;
}

export interface ProcessOptions {
  /** Share Chargify's per-site turns through Postgres advisory locks, as a deployment of several processes does. */
  sharedTurns?: boolean;
  chargify?: Omit<ChargifyVerifierOptions, 'turns'>;
}

/** A backend process per entry of `each` on the database at `url`, with one set of secrets; close them with `closeAll`. */
export async function startProcesses(url: string, each: readonly ProcessOptions[]): Promise<BackendProcess[]> {
  const settings = { partnerSecret: PARTNER_SECRET, secretKey: randomBytes(32), allowedOrigins: [] };
  return Promise.all(
    each.map(async (options) => {
      const store = await openPostgresStore(url);
      const turns = options.sharedTurns ? await openPostgresTurns(url) : undefined;
      const chargify = createChargifyVerifier({ ...options.chargify, turns });
      const handler = createHandler({ store, chargify, clock: { now: () => new Date() }, settings, log: createLogger(() => {}) });
      const call: BackendProcess['call'] = (method, path, init = {}) =>
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
      return { handler, store, turns, call };
    }),
  );
}

export async function closeAll(processes: readonly BackendProcess[]): Promise<void> {
  await Promise.all(processes.flatMap(({ store, turns }) => [store.close(), turns?.close()]));
}

/** A session for a new company through `process`, as the partner's server mints one. */
export async function mintSession(process: BackendProcess, companyId: string): Promise<string> {
  const minted = await process.call('POST', '/sessions', { token: PARTNER_SECRET, body: { companyId } });
  if (minted.status !== 201) throw new Error(`POST /sessions answered ${minted.status}: ${await minted.text()}`);
  return ((await minted.json()) as { token: string }).token;
}

/** A pending Chargify connection of the company, opened through `process`; its id. */
export async function openConnection(process: BackendProcess, companyId: string, token: string): Promise<string> {
  const opened = await process.call('POST', `/companies/${companyId}/connections`, { token, body: { platformKey: 'chargify' } });
  if (opened.status !== 201) throw new Error(`POST …/connections answered ${opened.status}: ${await opened.text()}`);
  return ((await opened.json()) as { id: string }).id;
}
