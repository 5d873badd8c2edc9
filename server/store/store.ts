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
  deleteSessionsExpiredBy(now: Date): Promise<void>;

  insertConnection(companyId: string, connection: Connection): Promise<void>;
  getConnection(companyId: string, id: string): Promise<Connection | null>;
  listConnections(companyId: string): Promise<Connection[]>;
  /**
   * Marks the connection Linked and stores its sealed credentials, atomically.
   * False when the company already has a Linked connection to that integration.
   */
  linkConnection(companyId: string, id: string, info: ConnectionInfo, sealedCredentials: string, at: Date): Promise<boolean>;
  /** Marks the connection Unlinked and forgets its credentials. */
  unlinkConnection(companyId: string, id: string, at: Date): Promise<void>;
  /** The sealed credentials of a connection, for the partner's data sync. */
  getSealedCredentials(connectionId: string): Promise<string | null>;

  /** The answer kept for `scope`, unless it is more than a day older than `now`. */
  getIdempotent(scope: string, now: Date): Promise<StoredResponse | null>;
  /** Keeps `response` for replays; answers older than a day are forgotten. */
  saveIdempotent(scope: string, response: StoredResponse, at: Date): Promise<void>;

  close(): Promise<void>;
}
