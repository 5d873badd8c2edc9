import type { Company, Connection, ConnectionInfo } from '../../src/backend/types.js';

// The backend's storage, behind an interface so that a deployment that
// outgrows one machine can add a Postgres store; hence every call is async.

export interface StoredSession {
  companyId: string;
  expiresAt: Date;
}

/** A final answer kept for replays of the same `Idempotency-Key`. */
export interface StoredResponse {
  requestHash: string;
  status: number;
  body: string;
}

export interface Store {
  upsertCompany(company: Company, at: Date): Promise<void>;
  getCompany(id: string): Promise<Company | null>;

  saveSession(tokenHash: string, session: StoredSession): Promise<void>;
  findSession(tokenHash: string): Promise<StoredSession | null>;
  /** Ends every session of the company; how many there were. */
  deleteSessionsOf(companyId: string): Promise<number>;

  insertConnection(companyId: string, connection: Connection): Promise<void>;
  getConnection(companyId: string, id: string): Promise<Connection | null>;
  listConnections(companyId: string): Promise<Connection[]>;
  /** `PendingAuth` connections of the company created after `since`. */
  countPendingSince(companyId: string, since: Date): Promise<number>;
  /**
   * Marks the connection Linked and stores its sealed credentials, atomically.
   * False when the company already has a Linked connection to that integration.
   */
  linkConnection(companyId: string, id: string, info: ConnectionInfo, sealedCredentials: string, at: Date): Promise<boolean>;
  /**
   * Marks the connection Unlinked and destroys its credentials: overwritten, then
   * deleted, with nothing left in the database file or its journal.
   */
  unlinkConnection(companyId: string, id: string, at: Date): Promise<void>;
  /** The sealed credentials of a connection, for the partner's data sync. */
  getSealedCredentials(connectionId: string): Promise<string | null>;

  /** The answer kept for `scope`, unless it is more than a day older than `now`. */
  getIdempotent(scope: string, now: Date): Promise<StoredResponse | null>;
  /** Keeps `response` for replays of `scope`; `subject` is the resource it acted on. */
  saveIdempotent(scope: string, subject: string, response: StoredResponse, at: Date): Promise<void>;
  /** Forgets the answers kept for a resource whose state they no longer describe. */
  forgetIdempotentFor(subject: string): Promise<void>;

  /** Deletes expired sessions and answers too old or too many to keep; run on a timer, not per request. */
  purge(now: Date): Promise<void>;

  close(): Promise<void>;
}
