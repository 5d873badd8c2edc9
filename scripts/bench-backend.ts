// The backend's part of `npm run bench` (issue 18): requests per second and
// p50/p99 latency at concurrency 1, 10 and 50 for one process on SQLite, one on
// Postgres and two on Postgres, beside a bare node:http handler answering the
// same JSON (the floor); connects per second with Chargify answering in a fixed
// 50 ms, beside what Chargify's answer time allows; and connects with 1 k and
// 100 k rows in every table, to show that nothing grows with the rows stored.
// Each setup runs alone, in processes of its own (scripts/bench-backend-process.ts);
// the load comes from this process over keep-alive connections, on the same machine.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import pg from 'pg';
import { openPostgresStore } from '../server/store/postgres.js';
import { openSqliteStore } from '../server/store/sqlite.js';
import { startPostgres } from './postgres.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const CHARGIFY_ANSWER_MS = 50;
const CONCURRENCY = [1, 10, 50];
// Chargify serves 4 requests per site at once, and the backend keeps to that (DESIGN §7).
const CHARGIFY_TURNS_PER_SITE = 4;
const WARM_UP_MS = 300;
const REQUESTS_MS = 1_000;
const CONNECTS_MS = 1_500;
// Longer where two runs are compared with each other, so the machine's moods weigh less.
const ROWS_MS = 2_500;
const STORED_ROWS = [1_000, 100_000];
const STARTUP_MS = 30_000;

type Setup = 'floor' | 'SQLite ×1' | 'Postgres ×1' | 'Postgres ×2';
type Scenario = 'GET /health' | 'POST /sessions' | 'connect' | 'connect, one site';

export interface Measured {
  setup: Setup;
  scenario: Scenario;
  concurrency: number;
  /** Rows in each table when measured; absent for a fresh store. */
  storedRows?: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  /**
   * CPU time the backend processes spent per request or connect, in ms: on a shared machine
   * the steadiest figure, as it counts only their own work (Postgres's is not in it).
   */
  cpuPerUnitMs: number;
  /** Answers that were not the success expected, by status; empty when all succeeded. */
  failures: Record<string, number>;
}

export interface BackendBench {
  /** A table for the bench's output, its first row the header. */
  rows: string[][];
  results: { conditions: Record<string, string | number>; measured: Measured[] };
}

/** Runs every setup in turn; a throwaway Postgres unless CONDUIT_TEST_PG names one whose user may create databases. */
export async function benchBackend(progress: (phase: string) => void = () => {}): Promise<BackendBench> {
  // The machine is shared: how busy it was is part of every figure.
  const loadBefore = loadavg()[0]!;
  const throwaway = process.env.CONDUIT_TEST_PG ? null : await startPostgres();
  const admin = process.env.CONDUIT_TEST_PG ?? throwaway!.url;
  const scratch = mkdtempSync(join(tmpdir(), 'conduit-bench-backend-'));
  const measured: Measured[] = [];
  try {
    const setups: [Setup, () => Promise<string[]>][] = [
      ['floor', async () => ['floor']],
      ['SQLite ×1', async () => [`sqlite:${join(scratch, 'fresh.sqlite')}`]],
      ['Postgres ×1', async () => [await createDatabase(admin)]],
      ['Postgres ×2', async () => Array(2).fill(await createDatabase(admin))],
    ];
    for (const [setup, stores] of setups) {
      progress(`backend: ${setup}`);
      await withProcesses(await stores(), async (client) => {
        const scenarios: Scenario[] = setup === 'floor' ? ['GET /health', 'POST /sessions'] : ['GET /health', 'POST /sessions', 'connect'];
        for (const scenario of scenarios) {
          for (const concurrency of CONCURRENCY) measured.push({ setup, scenario, concurrency, ...(await measure(client, scenario, concurrency)) });
        }
        if (setup !== 'floor') measured.push({ setup, scenario: 'connect, one site', concurrency: 10, ...(await measure(client, 'connect, one site', 10)) });
      });
    }
    for (const storedRows of STORED_ROWS) {
      for (const setup of ['SQLite ×1', 'Postgres ×1'] as const) {
        progress(`backend: ${setup} with ${storedRows} rows in each table`);
        const store = setup === 'SQLite ×1' ? await seededSqlite(join(scratch, `${storedRows}.sqlite`), storedRows) : await seededPostgres(await createDatabase(admin), storedRows);
        await withProcesses([store], async (client) => {
          measured.push({ setup, scenario: 'connect', concurrency: 10, storedRows, ...(await measure(client, 'connect', 10, ROWS_MS)) });
        });
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
    throwaway?.stop();
  }
  return { rows: tableRows(measured), results: { conditions: conditions(loadBefore), measured } };
}

function conditions(loadBefore: number): Record<string, string | number> {
  return {
    loadAverageBefore: Number(loadBefore.toFixed(2)),
    loadAverageAfter: Number(loadavg()[0]!.toFixed(2)),
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    node: process.version,
    chargifyAnswerMs: CHARGIFY_ANSWER_MS,
    load: 'from the bench process on the same machine, node:http keep-alive, one connection per concurrent client; two processes get the requests in turn',
    postgres: 'the server CONDUIT_TEST_PG names, or a throwaway Debian cluster on the loopback with fsync off',
    limits: 'raised out of reach (all load comes from one address), still counted',
  };
}

// ---- processes ------------------------------------------------------------

interface Client {
  /** CPU time the setup's processes have used so far, in ms; NaN where /proc cannot tell. */
  serverCpuMs(): number;
  send(method: string, path: string, options?: { bearer?: string; json?: unknown; idempotencyKey?: string }): Promise<{ status: number; text: string }>;
  partnerSecret: string;
}

/** Starts one bench process per entry of `stores` (one setup), runs `use` against them, and stops them. */
async function withProcesses(stores: string[], use: (client: Client) => Promise<void>): Promise<void> {
  const partnerSecret = randomBytes(32).toString('base64url');
  const secretKey = randomBytes(32).toString('hex');
  const children: ChildProcess[] = [];
  // What each process wrote to stderr, to say why it failed.
  const printed = new Map<ChildProcess, string>();
  try {
    const bases = await Promise.all(
      stores.map(async (store) => {
        const port = await freePort();
        const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench-backend-process.ts'], {
          cwd: REPO,
          // The per-request log lines are written, as in a deployment, and thrown away.
          stdio: ['ignore', 'ignore', 'pipe'],
          env: {
            ...process.env,
            BENCH_STORE: store,
            PORT: String(port),
            BENCH_CHARGIFY_MS: String(CHARGIFY_ANSWER_MS),
            BENCH_PARTNER_SECRET: partnerSecret,
            BENCH_SECRET_KEY: secretKey,
          },
        });
        children.push(child);
        printed.set(child, '');
        child.stderr!.on('data', (chunk: Buffer) => printed.set(child, printed.get(child) + chunk.toString()));
        const base = `http://127.0.0.1:${port}`;
        await waitForHealth(base, child, () => printed.get(child)!);
        return base;
      }),
    );
    await use(httpClient(bases, partnerSecret, () => children.reduce((sum, child) => sum + cpuMs(child.pid!), 0)));
    const died = children.find((child) => child.exitCode !== null || child.signalCode !== null);
    if (died) throw new Error(`A bench process died while measured (${died.exitCode ?? died.signalCode}):\n${printed.get(died)}`);
  } finally {
    await Promise.all(
      children.map((child) =>
        child.exitCode === null ? new Promise<void>((resolve) => child.once('exit', () => resolve()).kill('SIGTERM')) : Promise.resolve(),
      ),
    );
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function waitForHealth(base: string, child: ChildProcess, printed: () => string): Promise<void> {
  const deadline = Date.now() + STARTUP_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`A bench process exited with ${child.exitCode}:\n${printed()}`);
    try {
      if ((await fetch(`${base}/health`)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`A bench process did not answer on ${base} within ${STARTUP_MS / 1000} s:\n${printed()}`);
}

// Linux's clock ticks per second (`getconf CLK_TCK`), the unit of /proc/<pid>/stat's CPU times.
const CLOCK_TICKS = 100;

/** User and system CPU time of a process, in ms, from /proc (Linux); NaN elsewhere. */
function cpuMs(pid: number): number {
  try {
    // The fields after the command name, which may itself hold spaces; utime and stime are the 12th and 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}

/** Requests go to the processes in turn, each over its own pool of kept-alive connections. */
function httpClient(bases: string[], partnerSecret: string, serverCpuMs: () => number): Client {
  const targets = bases.map((base) => ({ url: new URL(base), agent: new Agent({ keepAlive: true, maxSockets: Math.max(...CONCURRENCY) }) }));
  let next = 0;
  return {
    partnerSecret,
    serverCpuMs,
    send(method, path, options = {}) {
      const { url, agent } = targets[next++ % targets.length]!;
      const body = options.json === undefined ? undefined : JSON.stringify(options.json);
      const headers: Record<string, string> = { 'X-Correlation-Id': randomUUID() };
      if (options.bearer) headers.Authorization = `Bearer ${options.bearer}`;
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      if (options.idempotencyKey) headers['Idempotency-Key'] = options.idempotencyKey;
      return new Promise((resolve, reject) => {
        const outgoing = request({ host: url.hostname, port: url.port, method, path, headers, agent }, (answer) => {
          let text = '';
          answer.setEncoding('utf8');
          answer.on('data', (chunk: string) => (text += chunk));
          answer.on('end', () => resolve({ status: answer.statusCode ?? 0, text }));
          answer.on('error', reject);
        });
        outgoing.on('error', reject);
        outgoing.end(body);
      });
    },
  };
}

// ---- load -----------------------------------------------------------------

let companies = 0;

/** One unit of a scenario; the status of the first answer that was not the success expected, or null. */
async function once(client: Client, scenario: Scenario): Promise<string | null> {
  if (scenario === 'GET /health') {
    const { status } = await client.send('GET', '/health');
    return status === 200 ? null : `${status}`;
  }
  const number = ++companies;
  const companyId = `bench-${process.pid}-${number}`;
  const minted = await client.send('POST', '/sessions', { bearer: client.partnerSecret, json: { companyId, companyName: 'Bench Co' } });
  if (minted.status !== 201) return `sessions ${minted.status}`;
  if (scenario === 'POST /sessions') return null;
  // The flow's two mutating calls, as the widget sends them.
  const { token } = JSON.parse(minted.text) as { token: string };
  const opened = await client.send('POST', `/companies/${companyId}/connections`, { bearer: token, json: { platformKey: 'chargify' }, idempotencyKey: randomUUID() });
  if (opened.status !== 201) return `connections ${opened.status}`;
  const { id } = JSON.parse(opened.text) as { id: string };
  // Each SMB has a Chargify site of its own; "one site" puts every company on the same one.
  const subdomain = scenario === 'connect' ? `site-${number}` : 'one-site';
  const linked = await client.send('PUT', `/companies/${companyId}/connections/${id}/authorization`, {
    bearer: token,
    json: { apiKey: 'bench-key', subdomain, region: 'US' },
    idempotencyKey: randomUUID(),
  });
  return linked.status === 200 ? null : `authorization ${linked.status}`;
}

/** `concurrency` clients each running the scenario back to back, after a short warm-up. */
async function measure(
  client: Client,
  scenario: Scenario,
  concurrency: number,
  durationMs = scenario.startsWith('connect') ? CONNECTS_MS : REQUESTS_MS,
): Promise<Omit<Measured, 'setup' | 'scenario' | 'concurrency' | 'storedRows'>> {
  await drive(client, scenario, concurrency, WARM_UP_MS);
  const cpuBefore = client.serverCpuMs();
  const { latencies, failures, elapsedMs } = await drive(client, scenario, concurrency, durationMs);
  const cpuPerUnitMs = (client.serverCpuMs() - cpuBefore) / latencies.length;
  const sorted = latencies.sort((a, b) => a - b);
  const at = (share: number) => sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)] ?? NaN;
  return { perSecond: (latencies.length * 1000) / elapsedMs, p50Ms: at(0.5), p99Ms: at(0.99), cpuPerUnitMs, failures };
}

async function drive(client: Client, scenario: Scenario, concurrency: number, durationMs: number) {
  const latencies: number[] = [];
  const failures: Record<string, number> = {};
  const started = performance.now();
  const until = started + durationMs;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        const begun = performance.now();
        const failure = await once(client, scenario).catch((error: NodeJS.ErrnoException) => error.code ?? error.message);
        if (failure === null) latencies.push(performance.now() - begun);
        else failures[failure] = (failures[failure] ?? 0) + 1;
      }
    }),
  );
  return { latencies, failures, elapsedMs: performance.now() - started };
}

// ---- stores ---------------------------------------------------------------

async function createDatabase(admin: string): Promise<string> {
  const name = `conduit_bench_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return url.href;
}

// What a long-lived deployment holds: `rows` companies, each with a live session, a linked
// connection, a kept answer and a counted attempt. Written in bulk, straight into the tables.
async function seededSqlite(path: string, rows: number): Promise<string> {
  await openSqliteStore(path).close();
  const db = new Database(path);
  const now = new Date().toISOString();
  const later = new Date(Date.now() + 86_400_000).toISOString();
  const series = 'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < @rows)';
  db.transaction(() => {
    db.prepare(`INSERT INTO companies (id, name, created) ${series} SELECT 'seed-' || i, 'Seed', @now FROM n`).run({ rows, now });
    db.prepare(`INSERT INTO sessions (token_hash, company_id, expires_at) ${series} SELECT 'seed-token-' || i, 'seed-' || i, @later FROM n`).run({ rows, later });
    db.prepare(
      `INSERT INTO connections (id, company_id, integration_key, platform_name, source_type, status, connection_info, created, updated) ${series}
       SELECT 'seed-connection-' || i, 'seed-' || i, 'chargify', 'Chargify', 'Commerce', 'Linked', '{}', @now, @now FROM n`,
    ).run({ rows, now });
    db.prepare(`INSERT INTO idempotency (scope, subject, request_hash, status, body, created) ${series} SELECT 'seed-scope-' || i, 'seed-' || i, 'h', 200, '{}', @now FROM n`).run({
      rows,
      now,
    });
    db.prepare(`INSERT INTO attempts (bucket, at) ${series} SELECT 'seed-bucket-' || i, @now FROM n`).run({ rows, now });
  })();
  db.close();
  return `sqlite:${path}`;
}

async function seededPostgres(url: string, rows: number): Promise<string> {
  await (await openPostgresStore(url, { poolSize: 1 })).close();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const now = new Date().toISOString();
  const later = new Date(Date.now() + 86_400_000).toISOString();
  try {
    await client.query(`INSERT INTO companies (id, name, created) SELECT 'seed-' || i, 'Seed', $2 FROM generate_series(1, $1) i`, [rows, now]);
    await client.query(`INSERT INTO sessions (token_hash, company_id, expires_at) SELECT 'seed-token-' || i, 'seed-' || i, $2 FROM generate_series(1, $1) i`, [rows, later]);
    await client.query(
      `INSERT INTO connections (id, company_id, integration_key, platform_name, source_type, status, connection_info, created, updated)
       SELECT 'seed-connection-' || i, 'seed-' || i, 'chargify', 'Chargify', 'Commerce', 'Linked', '{}', $2, $2 FROM generate_series(1, $1) i`,
      [rows, now],
    );
    await client.query(`INSERT INTO idempotency (scope, subject, request_hash, status, body, created) SELECT 'seed-scope-' || i, 'seed-' || i, 'h', 200, '{}', $2 FROM generate_series(1, $1) i`, [
      rows,
      now,
    ]);
    await client.query(`INSERT INTO attempts (bucket, at) SELECT 'seed-bucket-' || i, $2 FROM generate_series(1, $1) i`, [rows, now]);
    // Fresh statistics, as autovacuum would gather them in a deployment that grew to this size.
    await client.query('ANALYZE');
  } finally {
    await client.end();
  }
  return url;
}

// ---- the table ------------------------------------------------------------

const fixed = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '–');

/** What Chargify's answer time alone allows: a connect waits for one answer, and one site serves four at once. */
function chargifyAllows(scenario: Scenario, concurrency: number): number {
  const perClient = 1000 / CHARGIFY_ANSWER_MS;
  return scenario === 'connect, one site' ? Math.min(concurrency, CHARGIFY_TURNS_PER_SITE) * perClient : concurrency * perClient;
}

function tableRows(measured: readonly Measured[]): string[][] {
  const floorOf = (scenario: Scenario, concurrency: number) =>
    measured.find((each) => each.setup === 'floor' && each.scenario === scenario && each.concurrency === concurrency)?.perSecond ?? NaN;
  const fewRows = (setup: Setup) => measured.find((each) => each.setup === setup && each.storedRows === STORED_ROWS[0])?.perSecond ?? NaN;
  return [
    // "floor ÷ it": how many times the floor's rate this rate is; the floor is the bare handler,
    // or for connects what Chargify's answer time allows, or for stored rows the run with fewer.
    ['backend (per s: requests, or connects)', 'c', 'per s', 'p50 ms', 'p99 ms', 'floor ÷ it', 'CPU ms each', 'failed'],
    ...measured.map((each) => {
      const compared =
        each.storedRows !== undefined
          ? `${fixed(fewRows(each.setup) / each.perSecond, 2)}× (${STORED_ROWS[0]} rows)`
          : each.scenario.startsWith('connect')
            ? `${fixed(chargifyAllows(each.scenario, each.concurrency) / each.perSecond, 2)}× (Chargify)`
            : `${fixed(floorOf(each.scenario, each.concurrency) / each.perSecond, 2)}×`;
      const label = `${each.scenario}, ${each.setup}${each.storedRows === undefined ? '' : `, ${each.storedRows} rows`}`;
      const failed = Object.entries(each.failures).map(([what, count]) => `${count} × ${what}`).join(', ');
      return [label, String(each.concurrency), fixed(each.perSecond), fixed(each.p50Ms), fixed(each.p99Ms), compared, fixed(each.cpuPerUnitMs, 2), failed || '0'];
    }),
  ];
}
