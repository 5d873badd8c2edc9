import type { Company, Connection, ConnectionInfo, DeauthorizedReason } from '../../src/backend/types.js';
import type { AttemptLog } from '../limits.js';

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

/** Who does the work of an Idempotency-Key (see `Store.claimIdempotent`). */
export type Claim = { kind: 'claimed' } | { kind: 'final'; response: StoredResponse } | { kind: 'running'; requestHash: string };

/** An Idempotency-Key's work not finished after this long is taken to have died with its process. */
export const STALE_CLAIM_MS = 5 * 60 * 1000;

/** A hand-off of one connection's credentials step; the token itself is never stored. */
export interface StoredHandoff {
  id: string;
  companyId: string;
  connectionId: string;
  expiresAt: Date;
  /** Used, revoked, or ended by the connection being linked. */
  ended: boolean;
}

/** What Chargify said of a stored key when it was checked again. */
export type Verdict = { accepted: true } | { accepted: false; reason: DeauthorizedReason };

export interface Store extends AttemptLog {
  upsertCompany(company: Company, at: Date): Promise<void>;
  getCompany(id: string): Promise<Company | null>;

  saveSession(tokenHash: string, session: StoredSession): Promise<void>;
  findSession(tokenHash: string): Promise<StoredSession | null>;
  /** Ends every session of the company; how many there were. */
  deleteSessionsOf(companyId: string): Promise<number>;

  insertConnection(companyId: string, connection: Connection): Promise<void>;
  getConnection(companyId: string, id: string): Promise<Connection | null>;
  listConnections(companyId: string): Promise<Connection[]>;
  /** Connections the company opened after `since`, in any status now. */
  countCreatedSince(companyId: string, since: Date): Promise<number>;
  /**
   * Marks the connection Linked and stores its sealed credentials, atomically.
   * False when the company already has a Linked connection to that integration, or this one is no longer pending.
   */
  linkConnection(companyId: string, id: string, info: ConnectionInfo, sealedCredentials: string, at: Date): Promise<boolean>;
  /**
   * Replaces the key of a `Linked` or `Deauthorized` connection (same id), overwriting
   * the old one; the connection is `Linked` again. False when it is in neither status.
   */
  replaceCredentials(companyId: string, id: string, info: ConnectionInfo, sealedCredentials: string, at: Date): Promise<boolean>;
  /** Records a re-check of a `Linked` or `Deauthorized` connection's key. */
  recordVerification(companyId: string, id: string, verdict: Verdict, at: Date): Promise<void>;
  /** `Linked` connections last checked before `verifiedBefore` (or never), the longest unchecked first. */
  dueForVerification(verifiedBefore: Date, limit: number): Promise<{ companyId: string; connection: Connection }[]>;

  saveHandoff(tokenHash: string, handoff: Omit<StoredHandoff, 'ended'>, at: Date): Promise<void>;
  findHandoff(tokenHash: string): Promise<StoredHandoff | null>;
  /** Hand-offs of the connection that are neither ended nor expired at `now`. */
  countLiveHandoffs(connectionId: string, now: Date): Promise<number>;
  /** Ends one hand-off; false when there was no live one of that id on that connection. */
  endHandoff(companyId: string, connectionId: string, handoffId: string, at: Date): Promise<boolean>;
  /** Ends every live hand-off of a connection (it was linked, or its key replaced). */
  endHandoffsOf(connectionId: string, at: Date): Promise<void>;

  /**
   * Marks the connection Unlinked and destroys its credentials: overwritten, then
   * deleted, with nothing left in the database file or its journal.
   */
  unlinkConnection(companyId: string, id: string, at: Date): Promise<void>;
  /** The sealed credentials of a connection, for the partner's data sync. */
  getSealedCredentials(connectionId: string): Promise<string | null>;

  /** The final answer kept for `scope`, unless it is more than a day older than `now`. */
  getIdempotent(scope: string, now: Date): Promise<StoredResponse | null>;
  /**
   * Claims `scope` for this request, so that one process in a deployment does the work:
   * `claimed` (do it), `final` (replay this), or `running` (another request is doing it).
   * A claim left by a process that died is taken over after a few minutes.
   */
  claimIdempotent(scope: string, subject: string, requestHash: string, now: Date): Promise<Claim>;
  /** Keeps `response` for replays of `scope` (completing its claim); `subject` is the resource it acted on. */
  saveIdempotent(scope: string, subject: string, response: StoredResponse, at: Date): Promise<void>;
  /** Gives a claim up: the answer was not final, so a retry must do the work again. */
  releaseIdempotent(scope: string): Promise<void>;
  /** Forgets the answers kept for a resource whose state they no longer describe. */
  forgetIdempotentFor(subject: string): Promise<void>;

  /** Deletes expired sessions, attempts older than any window, and answers too old or too many to keep; run on a timer, not per request. */
  purge(now: Date): Promise<void>;

  close(): Promise<void>;
}
