import Database from 'better-sqlite3';
import { dirname } from 'node:path';
import type { Company, Connection, ConnectionInfo } from '../../src/backend/types.js';
import { ensurePrivateDirectory, ensurePrivateFile, tightenIfPresent } from '../private-files.js';
import { toConnection, toHandoff, type ConnectionRow, type HandoffRow } from './rows.js';
import { STALE_CLAIM_MS, type Claim, type Store, type StoredHandoff, type StoredResponse, type StoredSession, type Verdict } from './store.js';

// A retry comes within minutes; a day is ample, and keeps the table small.
const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
// Far more than a day of honest retries; a flood of keys beyond it loses its oldest answers first.
const MAX_IDEMPOTENCY_RECORDS = 100_000;

export interface SqliteStoreOptions {
  /** Answers kept for replays at most; the oldest go first. */
  maxIdempotencyRecords?: number;
}

/** The oldest `created` of an answer still kept at `now`, as stored. */
function keptSince(now: Date): string {
  return new Date(now.getTime() - IDEMPOTENCY_TTL_MS).toISOString();
}

// Each entry runs once, in order; PRAGMA user_version records how far a file got.
const MIGRATIONS = [
  `CREATE TABLE companies (
     id TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     created TEXT NOT NULL
   );
   CREATE TABLE sessions (
     token_hash TEXT PRIMARY KEY,
     company_id TEXT NOT NULL REFERENCES companies(id),
     expires_at TEXT NOT NULL
   );
   CREATE TABLE connections (
     id TEXT PRIMARY KEY,
     company_id TEXT NOT NULL REFERENCES companies(id),
     integration_key TEXT NOT NULL,
     platform_name TEXT NOT NULL,
     source_type TEXT NOT NULL,
     status TEXT NOT NULL,
     connection_info TEXT NOT NULL,
     created TEXT NOT NULL,
     updated TEXT NOT NULL
   );
   CREATE INDEX connections_by_company ON connections(company_id);
   -- The database itself refuses a second Linked connection for one company and integration.
   CREATE UNIQUE INDEX one_linked_connection ON connections(company_id, integration_key) WHERE status = 'Linked';
   CREATE TABLE credentials (
     connection_id TEXT PRIMARY KEY REFERENCES connections(id),
     sealed TEXT NOT NULL,
     created TEXT NOT NULL
   );
   CREATE TABLE idempotency (
     scope TEXT PRIMARY KEY,
     request_hash TEXT NOT NULL,
     status INTEGER NOT NULL,
     body TEXT NOT NULL,
     created TEXT NOT NULL
   );`,
  // Purges run on a timer and find their rows by index; an unlink forgets its
  // connection's answers by subject; pending connections are counted per company.
  `CREATE INDEX sessions_by_expiry ON sessions(expires_at);
   CREATE INDEX sessions_by_company ON sessions(company_id);
   ALTER TABLE idempotency ADD COLUMN subject TEXT NOT NULL DEFAULT '';
   CREATE INDEX idempotency_by_created ON idempotency(created);
   CREATE INDEX idempotency_by_subject ON idempotency(subject);
   CREATE INDEX connections_by_company_status ON connections(company_id, status, created);`,
  // The life of a connection after its first day: when Chargify last judged its key and,
  // if it refused, why; and hand-offs of its credentials step to a colleague.
  `ALTER TABLE connections ADD COLUMN last_verified_at TEXT;
   ALTER TABLE connections ADD COLUMN deauthorized_reason TEXT;
   CREATE INDEX connections_by_status_verified ON connections(status, last_verified_at);
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
   CREATE INDEX handoffs_by_expiry ON handoffs(expires_at);`,
  // Attempts counted for the limits, in the database so that every process counts together.
  `CREATE TABLE attempts (bucket TEXT NOT NULL, at TEXT NOT NULL);
   CREATE INDEX attempts_by_bucket ON attempts(bucket, at);
   CREATE INDEX attempts_by_time ON attempts(at);`,
];

function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let version = current; version < MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version]!);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}

/** The database file and the journal files SQLite keeps beside it. */
export function sqliteFiles(path: string): string[] {
  return [path, `${path}-wal`, `${path}-shm`];
}

/**
 * A SQLite file (or `:memory:`), migrated on open. The file and its journals
 * are readable by their owner only, in a directory created the same way.
 */
export function openSqliteStore(path: string, options: SqliteStoreOptions = {}): Store {
  const maxIdempotencyRecords = options.maxIdempotencyRecords ?? MAX_IDEMPOTENCY_RECORDS;
  if (path !== ':memory:') {
    ensurePrivateDirectory(dirname(path));
    ensurePrivateFile(path);
    tightenIfPresent(sqliteFiles(path));
  }
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  // Deleted content is overwritten with zeros, so an unlinked key leaves no trace in free pages.
  db.pragma('secure_delete = ON');
  migrate(db);

  const connectionColumns = 'id, integration_key, platform_name, source_type, status, connection_info, created, last_verified_at, deauthorized_reason';
  const insertColumns = 'id, integration_key, platform_name, source_type, status, connection_info, created';
  const statements = {
    upsertCompany: db.prepare(
      'INSERT INTO companies (id, name, created) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET name = excluded.name',
    ),
    getCompany: db.prepare('SELECT id, name FROM companies WHERE id = ?'),
    saveSession: db.prepare('INSERT INTO sessions (token_hash, company_id, expires_at) VALUES (?, ?, ?)'),
    findSession: db.prepare('SELECT company_id, expires_at FROM sessions WHERE token_hash = ?'),
    deleteExpired: db.prepare('DELETE FROM sessions WHERE expires_at <= ?'),
    deleteSessionsOf: db.prepare('DELETE FROM sessions WHERE company_id = ?'),
    countCreatedSince: db.prepare(
      'SELECT count(*) AS pending FROM connections WHERE company_id = ? AND created > ?',
    ),
    insertConnection: db.prepare(
      `INSERT INTO connections (${insertColumns}, company_id, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    getConnection: db.prepare(`SELECT ${connectionColumns} FROM connections WHERE company_id = ? AND id = ?`),
    listConnections: db.prepare(`SELECT ${connectionColumns} FROM connections WHERE company_id = ? ORDER BY created, id`),
    link: db.prepare(
      "UPDATE connections SET status = 'Linked', connection_info = ?, last_verified_at = ?, deauthorized_reason = NULL, updated = ? WHERE company_id = ? AND id = ? AND status = 'PendingAuth'",
    ),
    relink: db.prepare(
      "UPDATE connections SET status = 'Linked', connection_info = ?, last_verified_at = ?, deauthorized_reason = NULL, updated = ? WHERE company_id = ? AND id = ? AND status IN ('Linked', 'Deauthorized')",
    ),
    recordVerification: db.prepare(
      "UPDATE connections SET status = ?, last_verified_at = ?, deauthorized_reason = ?, updated = ? WHERE company_id = ? AND id = ? AND status IN ('Linked', 'Deauthorized')",
    ),
    dueForVerification: db.prepare(
      `SELECT company_id, ${connectionColumns} FROM connections WHERE status = 'Linked' AND (last_verified_at IS NULL OR last_verified_at < ?) ORDER BY last_verified_at LIMIT ?`,
    ),
    saveHandoff: db.prepare(
      'INSERT INTO handoffs (id, token_hash, company_id, connection_id, created, expires_at) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    findHandoff: db.prepare('SELECT id, company_id, connection_id, expires_at, ended_at FROM handoffs WHERE token_hash = ?'),
    countLiveHandoffs: db.prepare('SELECT count(*) AS live FROM handoffs WHERE connection_id = ? AND ended_at IS NULL AND expires_at > ?'),
    endHandoff: db.prepare('UPDATE handoffs SET ended_at = ? WHERE id = ? AND company_id = ? AND connection_id = ? AND ended_at IS NULL'),
    endHandoffsOf: db.prepare('UPDATE handoffs SET ended_at = ? WHERE connection_id = ? AND ended_at IS NULL'),
    forgetHandoffsBefore: db.prepare('DELETE FROM handoffs WHERE expires_at < ?'),
    countAttempts: db.prepare('SELECT count(*) AS count, min(at) AS oldest FROM attempts WHERE bucket = ? AND at > ?'),
    recordAttempt: db.prepare('INSERT INTO attempts (bucket, at) VALUES (?, ?)'),
    forgetAttemptsBefore: db.prepare('DELETE FROM attempts WHERE at < ?'),
    unlink: db.prepare("UPDATE connections SET status = 'Unlinked', updated = ? WHERE company_id = ? AND id = ?"),
    saveCredentials: db.prepare(
      'INSERT INTO credentials (connection_id, sealed, created) VALUES (?, ?, ?) ON CONFLICT(connection_id) DO UPDATE SET sealed = excluded.sealed',
    ),
    // The same length of zeros first: the delete alone would free the cell, not erase it, on every page copy.
    overwriteCredentials: db.prepare('UPDATE credentials SET sealed = zeroblob(length(sealed)) WHERE connection_id = ?'),
    deleteCredentials: db.prepare('DELETE FROM credentials WHERE connection_id = ?'),
    getCredentials: db.prepare('SELECT sealed FROM credentials WHERE connection_id = ?'),
    // Status 0 marks a claim whose work is still running.
    getIdempotent: db.prepare('SELECT request_hash, status, body FROM idempotency WHERE scope = ? AND created >= ? AND status <> 0'),
    readClaim: db.prepare('SELECT request_hash, status, body FROM idempotency WHERE scope = ?'),
    dropDeadClaim: db.prepare('DELETE FROM idempotency WHERE scope = ? AND (created < ? OR (status = 0 AND created < ?))'),
    claim: db.prepare(
      "INSERT INTO idempotency (scope, subject, request_hash, status, body, created) VALUES (?, ?, ?, 0, '', ?) ON CONFLICT(scope) DO NOTHING",
    ),
    saveIdempotent: db.prepare(
      `INSERT INTO idempotency (scope, subject, request_hash, status, body, created) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT(scope) DO UPDATE SET status = excluded.status, body = excluded.body, created = excluded.created WHERE idempotency.status = 0`,
    ),
    releaseClaim: db.prepare('DELETE FROM idempotency WHERE scope = ? AND status = 0'),
    forgetIdempotentFor: db.prepare('DELETE FROM idempotency WHERE subject = ?'),
    forgetIdempotentBefore: db.prepare('DELETE FROM idempotency WHERE created < ?'),
    forgetIdempotentBeyond: db.prepare(
      'DELETE FROM idempotency WHERE rowid IN (SELECT rowid FROM idempotency ORDER BY created DESC, rowid DESC LIMIT -1 OFFSET ?)',
    ),
  };

  const link = db.transaction((companyId: string, id: string, info: ConnectionInfo, sealed: string, at: string) => {
    const changed = statements.link.run(JSON.stringify(info), at, at, companyId, id).changes;
    if (changed === 1) statements.saveCredentials.run(id, sealed, at);
    return changed === 1;
  });

  // The old key is overwritten where it lies before the new one goes in, so neither file keeps it.
  const relink = db.transaction((companyId: string, id: string, info: ConnectionInfo, sealed: string, at: string) => {
    const changed = statements.relink.run(JSON.stringify(info), at, at, companyId, id).changes;
    if (changed === 1) {
      statements.overwriteCredentials.run(id);
      statements.saveCredentials.run(id, sealed, at);
    }
    return changed === 1;
  });

  const claim = db.transaction((scope: string, subject: string, requestHash: string, now: Date): Claim => {
    statements.dropDeadClaim.run(scope, keptSince(now), new Date(now.getTime() - STALE_CLAIM_MS).toISOString());
    if (statements.claim.run(scope, subject, requestHash, now.toISOString()).changes === 1) return { kind: 'claimed' };
    const row = statements.readClaim.get(scope) as { request_hash: string; status: number; body: string };
    return row.status === 0
      ? { kind: 'running', requestHash: row.request_hash }
      : { kind: 'final', response: { requestHash: row.request_hash, status: row.status, body: row.body } };
  });

  return {
    async upsertCompany(company: Company, at: Date) {
      statements.upsertCompany.run(company.id, company.name, at.toISOString());
    },
    async getCompany(id: string) {
      return (statements.getCompany.get(id) as Company | undefined) ?? null;
    },
    async saveSession(tokenHash: string, session: StoredSession) {
      statements.saveSession.run(tokenHash, session.companyId, session.expiresAt.toISOString());
    },
    async findSession(tokenHash: string) {
      const row = statements.findSession.get(tokenHash) as { company_id: string; expires_at: string } | undefined;
      return row ? { companyId: row.company_id, expiresAt: new Date(row.expires_at) } : null;
    },
    async deleteSessionsOf(companyId: string) {
      return statements.deleteSessionsOf.run(companyId).changes;
    },
    async insertConnection(companyId: string, c: Connection) {
      const info = JSON.stringify(c.connectionInfo);
      statements.insertConnection.run(c.id, c.integrationKey, c.platformName, c.sourceType, c.status, info, c.created, companyId, c.created);
    },
    async getConnection(companyId: string, id: string) {
      const row = statements.getConnection.get(companyId, id) as ConnectionRow | undefined;
      return row ? toConnection(row) : null;
    },
    async listConnections(companyId: string) {
      return (statements.listConnections.all(companyId) as ConnectionRow[]).map(toConnection);
    },
    async countCreatedSince(companyId: string, since: Date) {
      return (statements.countCreatedSince.get(companyId, since.toISOString()) as { pending: number }).pending;
    },
    async linkConnection(companyId: string, id: string, info: ConnectionInfo, sealed: string, at: Date) {
      try {
        return link(companyId, id, info, sealed, at.toISOString());
      } catch (error) {
        if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') return false;
        throw error;
      }
    },
    async replaceCredentials(companyId: string, id: string, info: ConnectionInfo, sealed: string, at: Date) {
      const replaced = relink(companyId, id, info, sealed, at.toISOString());
      db.pragma('wal_checkpoint(TRUNCATE)');
      return replaced;
    },
    async recordVerification(companyId: string, id: string, verdict: Verdict, at: Date) {
      const status = verdict.accepted ? 'Linked' : 'Deauthorized';
      const reason = verdict.accepted ? null : verdict.reason;
      statements.recordVerification.run(status, at.toISOString(), reason, at.toISOString(), companyId, id);
    },
    async dueForVerification(verifiedBefore: Date, limit: number) {
      return (statements.dueForVerification.all(verifiedBefore.toISOString(), limit) as (ConnectionRow & { company_id: string })[]).map((row) => ({
        companyId: row.company_id,
        connection: toConnection(row),
      }));
    },
    async saveHandoff(tokenHash: string, handoff: Omit<StoredHandoff, 'ended'>, at: Date) {
      statements.saveHandoff.run(handoff.id, tokenHash, handoff.companyId, handoff.connectionId, at.toISOString(), handoff.expiresAt.toISOString());
    },
    async findHandoff(tokenHash: string) {
      const row = statements.findHandoff.get(tokenHash) as HandoffRow | undefined;
      return row ? toHandoff(row) : null;
    },
    async countLiveHandoffs(connectionId: string, now: Date) {
      return (statements.countLiveHandoffs.get(connectionId, now.toISOString()) as { live: number }).live;
    },
    async endHandoff(companyId: string, connectionId: string, handoffId: string, at: Date) {
      return statements.endHandoff.run(at.toISOString(), handoffId, companyId, connectionId).changes === 1;
    },
    async endHandoffsOf(connectionId: string, at: Date) {
      statements.endHandoffsOf.run(at.toISOString(), connectionId);
    },
    async unlinkConnection(companyId: string, id: string, at: Date) {
      db.transaction(() => {
        statements.unlink.run(at.toISOString(), companyId, id);
        statements.overwriteCredentials.run(id);
        statements.deleteCredentials.run(id);
      })();
      // The write-ahead log still holds the page as it was when the key was stored:
      // copy the erased pages home and empty the log now, not at some later checkpoint.
      db.pragma('wal_checkpoint(TRUNCATE)');
    },
    async getSealedCredentials(connectionId: string) {
      return (statements.getCredentials.get(connectionId) as { sealed: string } | undefined)?.sealed ?? null;
    },
    async getIdempotent(scope: string, now: Date) {
      // Old answers are deleted only by the next purge, so the read must skip them itself.
      const row = statements.getIdempotent.get(scope, keptSince(now)) as { request_hash: string; status: number; body: string } | undefined;
      return row ? { requestHash: row.request_hash, status: row.status, body: row.body } : null;
    },
    async claimIdempotent(scope: string, subject: string, requestHash: string, now: Date) {
      return claim(scope, subject, requestHash, now);
    },
    async saveIdempotent(scope: string, subject: string, response: StoredResponse, at: Date) {
      statements.saveIdempotent.run(scope, subject, response.requestHash, response.status, response.body, at.toISOString());
    },
    async releaseIdempotent(scope: string) {
      statements.releaseClaim.run(scope);
    },
    async forgetIdempotentFor(subject: string) {
      statements.forgetIdempotentFor.run(subject);
    },
    async countAttempts(bucket: string, since: Date) {
      const row = statements.countAttempts.get(bucket, since.toISOString()) as { count: number; oldest: string | null };
      return { count: row.count, oldest: row.oldest ? new Date(row.oldest) : null };
    },
    async recordAttempt(bucket: string, at: Date) {
      statements.recordAttempt.run(bucket, at.toISOString());
    },
    async purge(now: Date) {
      statements.deleteExpired.run(now.toISOString());
      // No window is longer than a day.
      statements.forgetAttemptsBefore.run(keptSince(now));
      statements.forgetHandoffsBefore.run(keptSince(now));
      statements.forgetIdempotentBefore.run(keptSince(now));
      statements.forgetIdempotentBeyond.run(maxIdempotencyRecords);
    },
    async close() {
      db.close();
    },
  };
}
