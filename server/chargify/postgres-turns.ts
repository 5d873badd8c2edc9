import { createHash, randomInt } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { loadPg } from '../store/postgres.js';
import type { ReleaseTurn, SiteTurns } from './site-turns.js';

// A site's turns as Postgres advisory locks: turn `slot` of a subdomain is the
// session-level lock (siteKey, slot), held on a pooled connection while the
// request to Chargify runs. A process that dies loses its connections, and
// Postgres frees its locks with them: no turn outlives its holder.
//
// The locks live on a pool of their own, so that turns held across slow
// Chargify answers never starve the store's queries of connections.

export interface PostgresTurnsOptions {
  /**
   * Turns one process may hold at once, over all subdomains: each holds a connection
   * while its request to Chargify runs.
   */
  poolSize?: number;
  /**
   * How long one wait on a busy turn lasts before every turn is tried again: a
   * waiter blocks on one turn, and another may free first.
   */
  waitStepMs?: number;
}

const DEFAULT_POOL_SIZE = 20;
const DEFAULT_WAIT_STEP_MS = 250;
const LOCK_NOT_AVAILABLE = '55P03';

/**
 * The first lock key of a subdomain's turns. Two subdomains whose hashes meet
 * share their turns: that only makes both a little more patient.
 */
export function siteKey(subdomain: string): number {
  return createHash('sha256').update(`conduit-link chargify site ${subdomain}`).digest().readInt32BE(0);
}

/** Chargify's per-site turns, shared by every process whose turns open the database at `url`. */
export async function openPostgresTurns(url: string, options: PostgresTurnsOptions = {}): Promise<SiteTurns> {
  const pg = await loadPg();
  const waitStepMs = options.waitStepMs ?? DEFAULT_WAIT_STEP_MS;
  // lock_timeout bounds each blocking wait, so a waiter can look at its deadline and at the other turns.
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? DEFAULT_POOL_SIZE, options: `-c lock_timeout=${waitStepMs}` });
  // An idle connection lost is dropped by the pool; unheard, its error event would end the process.
  pool.on('error', () => {});
  return postgresTurns(pool);
}

function postgresTurns(pool: Pool): SiteTurns {
  return {
    async take(subdomain, concurrency, deadline) {
      const key = siteKey(subdomain);
      const client = await connectBy(pool, deadline);
      if (!client) return null;
      // A checked-out client has no listener of the pool's: without this, a connection lost
      // while a turn is held would throw in an event and end the process. The turn went
      // with the connection; its release finds the client broken and destroys it.
      client.on('error', ignoreLoss);
      try {
        // A random first turn spreads the waiters of many processes over the turns.
        const first = randomInt(concurrency);
        for (;;) {
          for (let offset = 0; offset < concurrency; offset++) {
            const slot = (first + offset) % concurrency;
            const { rows } = await client.query<{ taken: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS taken', [key, slot]);
            if (rows[0]!.taken) return releaser(client, key, slot);
          }
          if (Date.now() >= deadline) {
            client.off('error', ignoreLoss);
            client.release();
            return null;
          }
          try {
            await client.query('SELECT pg_advisory_lock($1, $2)', [key, first]);
            return releaser(client, key, first);
          } catch (error) {
            if ((error as { code?: string }).code !== LOCK_NOT_AVAILABLE) throw error;
          }
        }
      } catch (error) {
        // Destroyed, not returned: whatever it held goes with its session.
        client.release(error as Error);
        throw error;
      }
    },
    async close() {
      await pool.end();
    },
  };
}

function ignoreLoss(): void {}

/**
 * A connection of the pool, or null when `deadline` passes first: with every connection
 * holding a turn (a process verifying keys of as many sites at once), the wait is for one
 * of them to finish with Chargify.
 */
async function connectBy(pool: Pool, deadline: number): Promise<PoolClient | null> {
  const connecting = pool.connect();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), Math.max(0, deadline - Date.now()));
  });
  const client = await Promise.race([connecting, late]);
  clearTimeout(timer);
  // Too late: the connection, when it comes, goes straight back.
  if (!client) connecting.then((spare) => spare.release(), () => {});
  return client;
}

function releaser(client: PoolClient, key: number, slot: number): ReleaseTurn {
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    try {
      await client.query('SELECT pg_advisory_unlock($1, $2)', [key, slot]);
      client.off('error', ignoreLoss);
      client.release();
    } catch (error) {
      // A connection that may still hold the lock must not serve anyone else.
      client.release(error as Error);
    }
  };
}
