import { hashToken, newToken, sameSecret } from './crypto.js';
import { readSessionRequest } from './bodies.js';
import { ContractError } from './http.js';
import type { SlidingWindow } from './limits.js';
import type { Store } from './store/store.js';
import { tooManyAttempts } from './verdicts.js';

export const DEFAULT_SESSION_TTL_SECONDS = 30 * 60;

export interface MintedSession {
  token: string;
  companyId: string;
  expiresAt: string;
}

/** The caller of a widget endpoint, as its bearer token says. */
export interface SessionCaller {
  companyId: string;
  /** The token's hash: names the session (or hand-off) in limits without holding the token. */
  sessionId: string;
  /** Set when the bearer is a hand-off token: it opens this one connection, and no more. */
  handoff?: { id: string; connectionId: string; expiresAt: Date };
}

/** What proves the partner's server, and how often an address may get it wrong. */
export interface PartnerGate {
  partnerSecret: string;
  wrongSecrets: SlidingWindow;
  clientAddress: string | undefined;
  now: Date;
}

/** The bearer token of a request; the scheme's name is case-insensitive (RFC 9110 §11.1). */
export function bearerToken(request: Request): string | undefined {
  return request.headers.get('Authorization')?.match(/^Bearer +(\S+)$/i)?.[1];
}

/**
 * Server-to-server calls prove themselves with the partner secret. An address
 * that got it wrong too often is refused before the secret is even compared.
 */
export async function requirePartner(request: Request, gate: PartnerGate): Promise<void> {
  const at = gate.now.getTime();
  const address = gate.clientAddress;
  const wait = address === undefined ? null : await gate.wrongSecrets.wait(address, at);
  if (wait !== null) throw tooManyAttempts(wait);
  const given = bearerToken(request) ?? '';
  if (!given || !sameSecret(given, gate.partnerSecret)) {
    if (address !== undefined) await gate.wrongSecrets.record(address, at);
    throw new ContractError(401, 'The partner secret is missing or wrong.');
  }
}

/**
 * `POST /sessions`, for the partner's server only: it proves itself with the
 * partner secret and gets a short-lived token scoped to one company, which it
 * hands to the widget. The token is stored only as a hash.
 */
export async function mintSession(
  request: Request,
  bodyText: string,
  deps: { store: Store; gate: PartnerGate; ttlSeconds: number },
): Promise<MintedSession> {
  await requirePartner(request, deps.gate);
  const { companyId, companyName } = readSessionRequest(bodyText);
  const now = deps.gate.now;
  await deps.store.upsertCompany({ id: companyId, name: companyName ?? companyId }, now);

  const token = newToken();
  const expiresAt = new Date(now.getTime() + deps.ttlSeconds * 1000);
  await deps.store.saveSession(hashToken(token), { companyId, expiresAt });
  return { token, companyId, expiresAt: expiresAt.toISOString() };
}

/** `DELETE /companies/{companyId}/sessions`: the partner's server ends every live session of a company. */
export async function revokeSessions(request: Request, companyId: string, deps: { store: Store; gate: PartnerGate }): Promise<void> {
  await requirePartner(request, deps.gate);
  await deps.store.deleteSessionsOf(companyId);
}

/**
 * Who a widget call's bearer token belongs to: a session of a company, or a
 * hand-off of one connection; 401 when there is no live token. A used, expired
 * or revoked hand-off is told apart in the message only: all three end it alike.
 */
export async function authenticate(request: Request, store: Store, now: Date): Promise<SessionCaller> {
  const token = bearerToken(request);
  if (!token) throw new ContractError(401, 'The session token is missing or expired.');
  const sessionId = hashToken(token);
  const session = await store.findSession(sessionId);
  if (session && session.expiresAt > now) return { companyId: session.companyId, sessionId };
  const handoff = session ? null : await store.findHandoff(sessionId);
  if (handoff && !handoff.ended && handoff.expiresAt > now) {
    return { companyId: handoff.companyId, sessionId, handoff: { id: handoff.id, connectionId: handoff.connectionId, expiresAt: handoff.expiresAt } };
  }
  if (handoff) throw new ContractError(401, 'This hand-off link was used, has expired or was revoked.');
  throw new ContractError(401, 'The session token is missing or expired.');
}
