import type { Connection, DeauthorizedReason, Handoff, HandoffView } from '../src/backend/types.js';
import type { ConnectionDeps } from './connections.js';
import { hashToken, newToken, open } from './crypto.js';
import { ContractError, json } from './http.js';
import type { Verdict } from './store/store.js';
import { verdictError } from './verdicts.js';
import { randomUUID } from 'node:crypto';

// The life of a connection after its first day (DESIGN §6): its stored key checked
// again, and its credentials step handed to the colleague who holds the key.

// A day is long enough for a colleague to find the message, short enough to matter if it leaks.
export const HANDOFF_TTL_MS = 24 * 60 * 60 * 1000;
// A handful at once per connection: enough to resend, not enough to spray links.
const MAX_LIVE_HANDOFFS = 5;

const VERDICT_REASONS: ReadonlySet<string> = new Set<DeauthorizedReason>(['invalid_credentials', 'site_not_found', 'access_refused', 'account_blocked']);

async function existing(deps: ConnectionDeps, companyId: string, id: string): Promise<Connection> {
  const connection = await deps.store.getConnection(companyId, id);
  if (!connection) throw new ContractError(404, 'No such connection.');
  return connection;
}

/**
 * Asks Chargify about a connection's stored key again. A verdict on the key marks the
 * connection `Linked` or `Deauthorized` (with the verdict's code); a temporary failure
 * (throttled, down) changes nothing and is answered as the error it is.
 */
export async function checkConnection(deps: ConnectionDeps, companyId: string, id: string): Promise<Connection> {
  const connection = await existing(deps, companyId, id);
  if (connection.status !== 'Linked' && connection.status !== 'Deauthorized') {
    throw new ContractError(409, `A ${connection.status} connection has no key to check.`);
  }
  const sealed = await deps.store.getSealedCredentials(id);
  if (!sealed) throw new ContractError(409, 'This connection has no stored key to check.');
  const stored = JSON.parse(open(deps.keys, sealed, id)) as { apiKey: string; subdomain: string; region: 'US' | 'EU' };
  const verification = await deps.chargify.verify(stored, companyId);
  deps.log.info('chargify.reverify', { companyId, connectionId: id, outcome: verification.outcome });
  let verdict: Verdict;
  if (verification.outcome === 'verified') verdict = { accepted: true };
  else if (VERDICT_REASONS.has(verification.outcome)) verdict = { accepted: false, reason: verification.outcome as DeauthorizedReason };
  else throw verdictError(verification);
  await deps.store.recordVerification(companyId, id, verdict, deps.now());
  return existing(deps, companyId, id);
}

export async function verifyConnection(deps: ConnectionDeps, companyId: string, id: string): Promise<Response> {
  return json(200, await checkConnection(deps, companyId, id));
}

/** `POST …/handoffs`: a single-use, 24-hour capability to finish this connection's credentials step. */
export async function createHandoff(deps: ConnectionDeps, companyId: string, id: string): Promise<Response> {
  const connection = await existing(deps, companyId, id);
  if (connection.status === 'Unlinked') throw new ContractError(409, 'An unlinked connection cannot be handed off; start a new one.');
  const now = deps.now();
  if ((await deps.store.countLiveHandoffs(id, now)) >= MAX_LIVE_HANDOFFS) {
    throw new ContractError(409, `This connection already has ${MAX_LIVE_HANDOFFS} live hand-off links; revoke one first.`);
  }
  const token = newToken();
  const handoff: Handoff = { id: randomUUID(), token, expiresAt: new Date(now.getTime() + HANDOFF_TTL_MS).toISOString() };
  await deps.store.saveHandoff(hashToken(token), { id: handoff.id, companyId, connectionId: id, expiresAt: new Date(handoff.expiresAt) }, now);
  deps.log.info('handoff.created', { companyId, connectionId: id });
  return json(201, handoff);
}

/** `DELETE …/handoffs/{handoffId}`: the company takes the link back. */
export async function revokeHandoff(deps: ConnectionDeps, companyId: string, id: string, handoffId: string): Promise<Response> {
  await existing(deps, companyId, id);
  if (!(await deps.store.endHandoff(companyId, id, handoffId, deps.now()))) throw new ContractError(404, 'No such live hand-off.');
  return new Response(null, { status: 204, headers: { 'Cache-Control': 'no-store' } });
}

/** `GET /handoff`: what a hand-off token opens, so the colleague's page knows who asked and for what. */
export async function describeHandoff(deps: ConnectionDeps, companyId: string, connectionId: string, expiresAt: Date): Promise<Response> {
  const [company, connection] = await Promise.all([deps.store.getCompany(companyId), existing(deps, companyId, connectionId)]);
  const view: HandoffView = { companyId, companyName: company?.name ?? companyId, connection, expiresAt: expiresAt.toISOString() };
  return json(200, view);
}

export interface BackgroundCheck {
  /** Checks the connections that are due now; how many were checked. */
  runOnce(): Promise<number>;
  stop(): void;
}

/**
 * Re-checks linked connections in the background (`CONDUIT_VERIFY_INTERVAL`): each
 * tick takes the few longest unchecked ones, one after another, so the checks spread
 * over the interval and stay within Chargify's limits and ours.
 */
export function startBackgroundCheck(deps: ConnectionDeps, intervalMs: number, batch = 10): BackgroundCheck {
  const runOnce = async (): Promise<number> => {
    const due = await deps.store.dueForVerification(new Date(deps.now().getTime() - intervalMs), batch);
    for (const { companyId, connection } of due) {
      // A temporary failure leaves the connection as it was; it is due again at the next tick.
      await checkConnection(deps, companyId, connection.id).catch(() => deps.log.warn('reverify.failed', { companyId, connectionId: connection.id }));
    }
    return due.length;
  };
  // Often enough that a day's interval is covered in small batches; never more than once a minute.
  const tick = Math.max(60_000, Math.floor(intervalMs / 24));
  const timer = setInterval(() => void runOnce(), tick);
  timer.unref();
  return { runOnce, stop: () => clearInterval(timer) };
}
