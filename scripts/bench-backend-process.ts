// One process of the backend bench (scripts/bench-backend.ts): the reference
// handler over node:http as a deployment runs it — per-request logging to
// stdout, purges on a timer, Chargify's turns shared through Postgres when the
// store is Postgres — except that Chargify is a fetch answering every site
// after a fixed time. Or, with BENCH_STORE=floor, the floor: a bare node:http
// handler answering the same JSON with no work behind it.
//
// BENCH_STORE: `floor`, `sqlite:<file>` or `postgres://…`; PORT; BENCH_CHARGIFY_MS;
// BENCH_PARTNER_SECRET and BENCH_SECRET_KEY (hex), shared by the processes of one setup.
import { createServer } from 'node:http';
import { createChargifyVerifier } from '../server/chargify/client.js';
import { openPostgresTurns } from '../server/chargify/postgres-turns.js';
import { createHandler } from '../server/handler.js';
import { DEFAULT_LIMITS, type Limits } from '../server/limits.js';
import { createLogger } from '../server/log.js';
import { serve } from '../server/node.js';
import { openPostgresStore } from '../server/store/postgres.js';
import { openSqliteStore } from '../server/store/sqlite.js';

const PURGE_EVERY_MS = 60_000;

const target = process.env.BENCH_STORE ?? '';
const port = Number(process.env.PORT);
const answerMs = Number(process.env.BENCH_CHARGIFY_MS);

/** Chargify answering `GET /site.json` for whichever site is asked, always after the same time. */
const chargify: typeof fetch = async (input) => {
  const subdomain = new URL(String(input)).hostname.split('.')[0]!;
  await new Promise((resolve) => setTimeout(resolve, answerMs));
  return new Response(JSON.stringify({ site: { id: 1, name: subdomain, subdomain, currency: 'USD', test: true } }), {
    status: 200,
    headers: { 'Content-Type': 'application/json' },
  });
};

// All the bench's load comes from one address and its companies try often; the limits
// stop guessing, and would stop the bench after a minute. They are counted all the same.
const UNLIMITED = { max: 1_000_000_000, windowMs: DEFAULT_LIMITS.attemptsPerAddress.windowMs };
const limits: Limits = Object.fromEntries(Object.keys(DEFAULT_LIMITS).map((name) => [name, UNLIMITED])) as unknown as Limits;

if (target === 'floor') {
  const session = JSON.stringify({ token: 'x'.repeat(43), companyId: 'bench', expiresAt: new Date().toISOString() });
  createServer((incoming, outgoing) => {
    incoming.resume();
    incoming.on('end', () => {
      const [status, body] = incoming.url === '/sessions' ? [201, session] : [200, '{"status":"ok"}'];
      outgoing.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' }).end(body);
    });
  }).listen(port, '127.0.0.1');
} else {
  const postgres = target.startsWith('postgres://');
  const store = postgres ? await openPostgresStore(target) : openSqliteStore(target.slice('sqlite:'.length));
  const turns = postgres ? await openPostgresTurns(target) : undefined;
  const settings = {
    partnerSecret: process.env.BENCH_PARTNER_SECRET!,
    secretKey: Buffer.from(process.env.BENCH_SECRET_KEY!, 'hex'),
    allowedOrigins: [],
    limits,
  };
  const log = createLogger();
  const handler = createHandler({ store, chargify: createChargifyVerifier({ fetch: chargify, turns }), clock: { now: () => new Date() }, settings, log });
  const purge = () => void store.purge(new Date()).catch(() => log.error('purge.failed'));
  purge();
  setInterval(purge, PURGE_EVERY_MS).unref();
  await serve(handler, port, { log });
}
