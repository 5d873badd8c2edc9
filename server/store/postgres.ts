import type { Pool as PgPool, PoolClient } from 'pg';
import type { Company, Connection, ConnectionInfo } from '../../src/backend/types.js';
import { toConnection, toHandoff, type ConnectionRow, type HandoffRow } from './rows.js';
import { STALE_CLAIM_MS, type Claim, type Store, type StoredHandoff, type StoredResponse, type StoredSession, type Verdict } from './store.js';

// The Store on Postgres, for deployments of more than one backend process: every
// process shares everything a request needs. Times are ISO 8601 text, as in the
// SQLite store, so both compare and sort them alike. `pg` is loaded only when a
// postgres:// CONDUIT_DB asks for it.

const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
const MAX_IDEMPOTENCY_RECORDS = 100_000;
// Any fixed number: processes starting together queue on it to migrate one at a time.
const MIGRATION_LOCK = 72_390_117;

const keptSince = (now: Date) => new Date(now.getTime() - IDEMPOTENCY_TTL_MS).toISOString();

// Numbered, each run once; conduit_migrations records how far the database got.
const MIGRATIONS = [
  `CREATE TABLE companies (id TEXT PRIMARY KEY, name TEXT NOT NULL, created TEXT NOT NULL);
   CREATE TABLE sessions (token_hash TEXT PRIMARY KEY, company_id TEXT NOT NULL REFERENCES companies(id), expires_at TEXT NOT NULL);
   CREATE INDEX sessions_by_expiry ON sessions(expires_at);
   CREATE INDEX sessions_by_company ON sessions(company_id);
   CREATE TABLE connections (
     id TEXT PRIMARY KEY,
     company_id TEXT NOT NULL REFERENCES companies(id),
     integration_key TEXT NOT NULL,
     platform_name TEXT NOT NULL,
     source_type TEXT NOT NULL,
     status TEXT NOT NULL,
     connection_info TEXT NOT NULL,
     created TEXT NOT NULL,
     updated TEXT NOT NULL,
     last_verified_at TEXT,
     deauthorized_reason TEXT
   );
   CREATE INDEX connections_by_company_status ON connections(company_id, status, created);
   CREATE INDEX connections_by_status_verified ON connections(status, last_verified_at);
   -- The database itself refuses a second Linked connection for one company and integration.
   CREATE UNIQUE INDEX one_linked_connection ON connections(company_id, integration_key) WHERE status = 'Linked';
   CREATE TABLE credentials (connection_id TEXT PRIMARY KEY REFERENCES connections(id), sealed TEXT NOT NULL, created TEXT NOT NULL);
   CREATE TABLE idempotency (
     scope TEXT PRIMARY KEY,
     subject TEXT NOT NULL,
     request_hash TEXT NOT NULL,
     status INTEGER NOT NULL,
     body TEXT NOT NULL,
     created TEXT NOT NULL
   );
   CREATE INDEX idempotency_by_created ON idempotency(created);
   CREATE INDEX idempotency_by_subject ON idempotency(subject);
   CREATE TABLE handoffs (
     id TEXT PRIMARY KEY,
     token_hash TEXT NOT NULL UNIQUE,
     company_id TEXT NOT NULL REFERENCES companies(id),
     connection_id TEXT NOT NULL REFERENCES connections(id),
     created TEXT NOT NULL,
     expires_at TEXT NOT NULL,
     ended_at TEXT
   );
   CREATE INDEX handoffs_by_connection ON handoffs(connection_id);
   CREATE INDEX handoffs_by_expiry ON handoffs(expires_at);
   CREATE TABLE attempts (bucket TEXT NOT NULL, at TEXT NOT NULL);
   CREATE INDEX attempts_by_bucket ON attempts(bucket, at);
   CREATE INDEX attempts_by_time ON attempts(at);`,
];

const CONNECTION_COLUMNS = 'id, integration_key, platform_name, source_type, status, connection_info, created, last_verified_at, deauthorized_reason';

async function migrate(pool: PgPool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // Two processes starting at once: the second waits here, then finds nothing left to do.
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS conduit_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
    const { rows } = await client.query<{ version: number }>('SELECT coalesce(max(version), 0) AS version FROM conduit_migrations');
    for (let version = rows[0]!.version; version < MIGRATIONS.length; version++) {
      await client.query(MIGRATIONS[version]!);
      await client.query('INSERT INTO conduit_migrations (version, applied_at) VALUES ($1, $2)', [version + 1, new Date().toISOString()]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

/** Loads `pg` only when it is needed: it is an optional peer of the backend. */
export async function loadPg(): Promise<typeof import('pg')> {
  try {
    return (await import('pg')).default as unknown as typeof import('pg');
  } catch {
    throw new Error('CONDUIT_DB names Postgres, but the `pg` package is not installed: npm install pg');
  }
}

export interface PostgresStoreOptions {
  maxIdempotencyRecords?: number;
  /** Connections in the pool. */
  poolSize?: number;
}

/** A Postgres database, migrated on open. */
export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<Store> {
  const pg = await loadPg();
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10 });
  // An idle connection lost (Postgres restarted, a failover) is dropped by the pool and the next
  // query opens another; unheard, the pool's error event would end the process.
  pool.on('error', () => {});
  await migrate(pool);
  const maxIdempotencyRecords = options.maxIdempotencyRecords ?? MAX_IDEMPOTENCY_RECORDS;
  const query = <R extends object>(text: string, values: unknown[] = []) => pool.query<R>(text, values);

  async function transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  }

  return {
    async upsertCompany(company: Company, at: Date) {
      await query('INSERT INTO companies (id, name, created) VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE SET name = excluded.name', [
        company.id,
        company.name,
        at.toISOString(),
      ]);
    },
    async getCompany(id: string) {
      return (await query<Company>('SELECT id, name FROM companies WHERE id = $1', [id])).rows[0] ?? null;
    },
    async saveSession(tokenHash: string, session: StoredSession) {
      await query('INSERT INTO sessions (token_hash, company_id, expires_at) VALUES ($1, $2, $3)', [tokenHash, session.companyId, session.expiresAt.toISOString()]);
    },
    async findSession(tokenHash: string) {
      const row = (await query<{ company_id: string; expires_at: string }>('SELECT company_id, expires_at FROM sessions WHERE token_hash = $1', [tokenHash])).rows[0];
      return row ? { companyId: row.company_id, expiresAt: new Date(row.expires_at) } : null;
    },
    async deleteSessionsOf(companyId: string) {
      return (await query('DELETE FROM sessions WHERE company_id = $1', [companyId])).rowCount ?? 0;
    },
    async insertConnection(companyId: string, c: Connection) {
      await query(
        'INSERT INTO connections (id, integration_key, platform_name, source_type, status, connection_info, created, company_id, updated) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $7)',
        [c.id, c.integrationKey, c.platformName, c.sourceType, c.status, JSON.stringify(c.connectionInfo), c.created, companyId],
      );
    },
    async getConnection(companyId: string, id: string) {
      const row = (await query<ConnectionRow>(`SELECT ${CONNECTION_COLUMNS} FROM connections WHERE company_id = $1 AND id = $2`, [companyId, id])).rows[0];
      return row ? toConnection(row) : null;
    },
    async listConnections(companyId: string) {
      return (await query<ConnectionRow>(`SELECT ${CONNECTION_COLUMNS} FROM connections WHERE company_id = $1 ORDER BY created, id`, [companyId])).rows.map(toConnection);
    },
    async countCreatedSince(companyId: string, since: Date) {
      const { rows } = await query<{ opened: string }>('SELECT count(*) AS opened FROM connections WHERE company_id = $1 AND created > $2', [companyId, since.toISOString()]);
      return Number(rows[0]!.opened);
    },
    async linkConnection(companyId: string, id: string, info: ConnectionInfo, sealed: string, at: Date) {
      try {
        // One statement, so one round trip, and atomic without a transaction: the credentials are stored only if the connection was linked.
        const { rowCount } = await query(
          `WITH linked AS (
             UPDATE connections SET status = 'Linked', connection_info = $1, last_verified_at = $2, deauthorized_reason = NULL, updated = $2
             WHERE company_id = $3 AND id = $4 AND status = 'PendingAuth' RETURNING id
           )
           INSERT INTO credentials (connection_id, sealed, created) SELECT id, $5, $2 FROM linked
           ON CONFLICT (connection_id) DO UPDATE SET sealed = excluded.sealed`,
          [JSON.stringify(info), at.toISOString(), companyId, id, sealed],
        );
        return rowCount === 1;
      } catch (error) {
        // The one-linked index refused: another connection of the company won the race.
        if ((error as { code?: string }).code === '23505') return false;
        throw error;
      }
    },
    async replaceCredentials(companyId: string, id: string, info: ConnectionInfo, sealed: string, at: Date) {
      const when = at.toISOString();
      return transaction(async (client) => {
        const { rowCount } = await client.query(
          "UPDATE connections SET status = 'Linked', connection_info = $1, last_verified_at = $2, deauthorized_reason = NULL, updated = $2 WHERE company_id = $3 AND id = $4 AND status IN ('Linked', 'Deauthorized')",
          [JSON.stringify(info), when, companyId, id],
        );
        if (rowCount !== 1) return false;
        await client.query('UPDATE credentials SET sealed = $2, created = $3 WHERE connection_id = $1', [id, sealed, when]);
        return true;
      });
    },
    async recordVerification(companyId: string, id: string, verdict: Verdict, at: Date) {
      await query(
        "UPDATE connections SET status = $1, last_verified_at = $2, deauthorized_reason = $3, updated = $2 WHERE company_id = $4 AND id = $5 AND status IN ('Linked', 'Deauthorized')",
        [verdict.accepted ? 'Linked' : 'Deauthorized', at.toISOString(), verdict.accepted ? null : verdict.reason, companyId, id],
      );
    },
    async dueForVerification(verifiedBefore: Date, limit: number) {
      const { rows } = await query<ConnectionRow & { company_id: string }>(
        `SELECT company_id, ${CONNECTION_COLUMNS} FROM connections WHERE status = 'Linked' AND (last_verified_at IS NULL OR last_verified_at < $1) ORDER BY last_verified_at NULLS FIRST LIMIT $2`,
        [verifiedBefore.toISOString(), limit],
      );
      return rows.map((row) => ({ companyId: row.company_id, connection: toConnection(row) }));
    },
    async saveHandoff(tokenHash: string, handoff: Omit<StoredHandoff, 'ended'>, at: Date) {
      await query('INSERT INTO handoffs (id, token_hash, company_id, connection_id, created, expires_at) VALUES ($1, $2, $3, $4, $5, $6)', [
        handoff.id,
        tokenHash,
        handoff.companyId,
        handoff.connectionId,
        at.toISOString(),
        handoff.expiresAt.toISOString(),
      ]);
    },
    async findHandoff(tokenHash: string) {
      const row = (await query<HandoffRow>('SELECT id, company_id, connection_id, expires_at, ended_at FROM handoffs WHERE token_hash = $1', [tokenHash])).rows[0];
      return row ? toHandoff(row) : null;
    },
    async countLiveHandoffs(connectionId: string, now: Date) {
      const { rows } = await query<{ live: string }>(
        'SELECT count(*) AS live FROM handoffs WHERE connection_id = $1 AND ended_at IS NULL AND expires_at > $2',
        [connectionId, now.toISOString()],
      );
      return Number(rows[0]!.live);
    },
    async endHandoff(companyId: string, connectionId: string, handoffId: string, at: Date) {
      const { rowCount } = await query(
        'UPDATE handoffs SET ended_at = $1 WHERE id = $2 AND company_id = $3 AND connection_id = $4 AND ended_at IS NULL',
        [at.toISOString(), handoffId, companyId, connectionId],
      );
      return rowCount === 1;
    },
    async endHandoffsOf(connectionId: string, at: Date) {
      await query('UPDATE handoffs SET ended_at = $1 WHERE connection_id = $2 AND ended_at IS NULL', [at.toISOString(), connectionId]);
    },
    async unlinkConnection(companyId: string, id: string, at: Date) {
      await transaction(async (client) => {
        await client.query("UPDATE connections SET status = 'Unlinked', updated = $1 WHERE company_id = $2 AND id = $3", [at.toISOString(), companyId, id]);
        // Overwritten before deleted; Postgres keeps dead row versions until VACUUM (see README, "Operations").
        await client.query("UPDATE credentials SET sealed = repeat('0', length(sealed)) WHERE connection_id = $1", [id]);
        await client.query('DELETE FROM credentials WHERE connection_id = $1', [id]);
      });
    },
    async getSealedCredentials(connectionId: string) {
      return (await query<{ sealed: string }>('SELECT sealed FROM credentials WHERE connection_id = $1', [connectionId])).rows[0]?.sealed ?? null;
    },
    async getIdempotent(scope: string, now: Date) {
      const row = (
        await query<{ request_hash: string; status: number; body: string }>(
          'SELECT request_hash, status, body FROM idempotency WHERE scope = $1 AND created >= $2 AND status <> 0',
          [scope, keptSince(now)],
        )
      ).rows[0];
      return row ? { requestHash: row.request_hash, status: row.status, body: row.body } : null;
    },
    async claimIdempotent(scope: string, subject: string, requestHash: string, now: Date): Promise<Claim> {
      // The unique scope decides between processes: one insert wins, the others read its row.
      const claim = (runner: Pick<PoolClient, 'query'>) =>
        runner.query("INSERT INTO idempotency (scope, subject, request_hash, status, body, created) VALUES ($1, $2, $3, 0, '', $4) ON CONFLICT (scope) DO NOTHING", [
          scope,
          subject,
          requestHash,
          now.toISOString(),
        ]);
      // A new key, the usual case, is claimed in one round trip.
      if ((await claim(pool)).rowCount === 1) return { kind: 'claimed' };
      return transaction(async (client) => {
        // An answer too old to keep, or a claim whose process died, is no longer in the way.
        await client.query('DELETE FROM idempotency WHERE scope = $1 AND (created < $2 OR (status = 0 AND created < $3))', [
          scope,
          keptSince(now),
          new Date(now.getTime() - STALE_CLAIM_MS).toISOString(),
        ]);
        // Each statement sees the latest commits: a row in the way may be released before it is read, and then the key is free again.
        for (;;) {
          if ((await claim(client)).rowCount === 1) return { kind: 'claimed' } as const;
          const row = (await client.query<{ request_hash: string; status: number; body: string }>('SELECT request_hash, status, body FROM idempotency WHERE scope = $1', [scope]))
            .rows[0];
          if (!row) continue;
          return row.status === 0
            ? ({ kind: 'running', requestHash: row.request_hash } as const)
            : ({ kind: 'final', response: { requestHash: row.request_hash, status: row.status, body: row.body } } as const);
        }
      });
    },
    async saveIdempotent(scope: string, subject: string, response: StoredResponse, at: Date) {
      await query(
        `INSERT INTO idempotency (scope, subject, request_hash, status, body, created) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (scope) DO UPDATE SET status = excluded.status, body = excluded.body, created = excluded.created WHERE idempotency.status = 0`,
        [scope, subject, response.requestHash, response.status, response.body, at.toISOString()],
      );
    },
    async releaseIdempotent(scope: string) {
      await query('DELETE FROM idempotency WHERE scope = $1 AND status = 0', [scope]);
    },
    async forgetIdempotentFor(subject: string) {
      await query('DELETE FROM idempotency WHERE subject = $1', [subject]);
    },
    async countAttempts(bucket: string, since: Date) {
      const { rows } = await query<{ count: string; oldest: string | null }>('SELECT count(*) AS count, min(at) AS oldest FROM attempts WHERE bucket = $1 AND at > $2', [
        bucket,
        since.toISOString(),
      ]);
      return { count: Number(rows[0]!.count), oldest: rows[0]!.oldest ? new Date(rows[0]!.oldest) : null };
    },
    async recordAttempt(bucket: string, at: Date) {
      await query('INSERT INTO attempts (bucket, at) VALUES ($1, $2)', [bucket, at.toISOString()]);
    },
    async purge(now: Date) {
      await query('DELETE FROM sessions WHERE expires_at <= $1', [now.toISOString()]);
      // No window is longer than a day.
      await query('DELETE FROM attempts WHERE at < $1', [keptSince(now)]);
      await query('DELETE FROM handoffs WHERE expires_at < $1', [keptSince(now)]);
      await query('DELETE FROM idempotency WHERE created < $1', [keptSince(now)]);
      await query('DELETE FROM idempotency WHERE scope IN (SELECT scope FROM idempotency ORDER BY created DESC, scope DESC OFFSET $1)', [
        maxIdempotencyRecords,
      ]);
    },
    async close() {
      await pool.end();
    },
  };
}
