import { hashToken, newToken, sameSecret } from './crypto.js';
import { ContractError, invalidInput, parseJsonObject } from './http.js';
import type { Store } from './store/store.js';

const COMPANY_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export const DEFAULT_SESSION_TTL_SECONDS = 30 * 60;

export interface MintedSession {
  token: string;
  companyId: string;
  expiresAt: string;
}

/**
 * `POST /sessions`, for the partner's server only: it proves itself with the
 * partner secret and gets a short-lived token scoped to one company, which it
 * hands to the widget. The token is stored only as a hash.
 */
export async function mintSession(
  request: Request,
  bodyText: string,
  deps: { store: Store; now: Date; partnerSecret: string; ttlSeconds: number },
): Promise<MintedSession> {
  const given = request.headers.get('Authorization')?.match(/^Bearer (\S+)$/)?.[1] ?? '';
  if (!given || !sameSecret(given, deps.partnerSecret)) {
    throw new ContractError(401, 'The partner secret is missing or wrong.');
  }
  const body = parseJsonObject(bodyText);
  const { companyId, companyName } = body;
  if (typeof companyId !== 'string' || !COMPANY_ID.test(companyId)) {
    throw invalidInput('companyId is missing or malformed.', [
      { itemId: 'companyId', message: 'Letters, digits, dots, dashes and underscores, up to 100.' },
    ]);
  }
  const name = typeof companyName === 'string' && companyName.trim() ? companyName.trim().slice(0, 200) : companyId;
  await deps.store.upsertCompany({ id: companyId, name }, deps.now);
  await deps.store.deleteSessionsExpiredBy(deps.now);

  const token = newToken();
  const expiresAt = new Date(deps.now.getTime() + deps.ttlSeconds * 1000);
  await deps.store.saveSession(hashToken(token), { companyId, expiresAt });
  return { token, companyId, expiresAt: expiresAt.toISOString() };
}

/** The company a widget call's bearer token belongs to; 401 when there is no live token. */
export async function authenticate(request: Request, store: Store, now: Date): Promise<string> {
  const token = request.headers.get('Authorization')?.match(/^Bearer (\S+)$/)?.[1];
  const session = token ? await store.findSession(hashToken(token)) : null;
  if (!session || session.expiresAt <= now) throw new ContractError(401, 'The session token is missing or expired.');
  return session.companyId;
}
