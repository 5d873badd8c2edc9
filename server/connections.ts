import { randomUUID } from 'node:crypto';
import type { Connection, ConnectionInfo } from '../src/backend/types.js';
import { readAuthorization, readConnectionUpdate, readNewConnection } from './bodies.js';
import { INTEGRATIONS } from './catalogue.js';
import type { ChargifyVerifier } from './chargify/types.js';
import { seal, type DerivedKeys } from './crypto.js';
import { ContractError, json } from './http.js';
import { takeAttempt, type SlidingWindow, type WindowLimit } from './limits.js';
import type { Logger } from './log.js';
import type { SessionCaller } from './sessions.js';
import type { Store } from './store/store.js';
import { tooManyAttempts, verdictError } from './verdicts.js';

/** The windows each key attempt is counted in. */
export interface AttemptWindows {
  perSession: SlidingWindow;
  perCompany: SlidingWindow;
  perAddress: SlidingWindow;
}

export interface ConnectionDeps {
  store: Store;
  chargify: ChargifyVerifier;
  keys: DerivedKeys;
  now: () => Date;
  log: Logger;
  attempts: AttemptWindows;
  pendingPerCompany: WindowLimit;
}

/** Who is asking: the session, and the address it came from when the server knows it. */
export interface Caller extends SessionCaller {
  clientAddress: string | undefined;
}

/** The resource idempotent answers about a connection are kept under, so an unlink can forget them. */
export function connectionSubject(companyId: string, id: string): string {
  return `/companies/${companyId}/connections/${id}`;
}

const alreadyLinked = () => new ContractError(409, 'A Chargify connection is already linked for this company.', { detailedErrorCode: 10009 });

async function existing(deps: ConnectionDeps, companyId: string, id: string): Promise<Connection> {
  const connection = await deps.store.getConnection(companyId, id);
  if (!connection) throw new ContractError(404, 'No such connection.');
  return connection;
}

export async function createConnection(deps: ConnectionDeps, companyId: string, bodyText: string): Promise<Response> {
  const offered = INTEGRATIONS.filter((candidate) => candidate.enabled);
  const { platformKey } = readNewConnection(bodyText, offered.map((candidate) => candidate.key));
  const integration = offered.find((candidate) => candidate.key === platformKey)!;
  // Pending connections cost a row each and are never verified: a company opens a few, not thousands.
  const { max, windowMs } = deps.pendingPerCompany;
  if ((await deps.store.countPendingSince(companyId, new Date(deps.now().getTime() - windowMs))) >= max) {
    throw tooManyAttempts(Math.ceil(windowMs / 1000));
  }
  const connection: Connection = {
    id: randomUUID(),
    integrationKey: integration.key,
    platformName: integration.name,
    sourceType: integration.sourceType,
    status: 'PendingAuth',
    created: deps.now().toISOString(),
    connectionInfo: {},
  };
  await deps.store.insertConnection(companyId, connection);
  return json(201, connection);
}

export async function getConnection(deps: ConnectionDeps, companyId: string, id: string): Promise<Response> {
  return json(200, await existing(deps, companyId, id));
}

export async function unlinkConnection(deps: ConnectionDeps, companyId: string, id: string, bodyText: string): Promise<Response> {
  readConnectionUpdate(bodyText);
  await existing(deps, companyId, id);
  await deps.store.unlinkConnection(companyId, id, deps.now());
  // A replayed authorization must not answer "Linked" for a connection that no longer is.
  await deps.store.forgetIdempotentFor(connectionSubject(companyId, id));
  return json(200, await existing(deps, companyId, id));
}

/** `PUT …/authorization`: verify the key with Chargify, then store it sealed and link. */
export async function authorize(deps: ConnectionDeps, caller: Caller, id: string, bodyText: string): Promise<Response> {
  const { companyId } = caller;
  const input = readAuthorization(bodyText);
  const connection = await existing(deps, companyId, id);
  if (connection.status === 'Unlinked') throw new ContractError(409, 'This connection was unlinked; start a new one.');
  const linked = (await deps.store.listConnections(companyId)).some(
    (other) => other.integrationKey === connection.integrationKey && other.status === 'Linked',
  );
  if (linked) throw alreadyLinked();

  // Every key tried is counted for the session, the company and the address, so
  // none of them can guess keys or map sites faster than a person would type.
  const { perSession, perCompany, perAddress } = deps.attempts;
  const wait = takeAttempt(
    [
      [perSession, caller.sessionId],
      [perCompany, companyId],
      [perAddress, caller.clientAddress],
    ],
    deps.now().getTime(),
  );
  if (wait !== null) {
    deps.log.warn('limit.attempts', { companyId, connectionId: id });
    throw tooManyAttempts(wait);
  }

  const verification = await deps.chargify.verify(input, companyId);
  deps.log.info('chargify.verify', { companyId, connectionId: id, outcome: verification.outcome });
  if (verification.outcome !== 'verified') throw verdictError(verification);

  const { site } = verification;
  const info: ConnectionInfo = {
    subdomain: site.subdomain,
    region: input.region,
    siteId: site.id,
    siteName: site.name,
    currency: site.currency,
    test: site.test,
  };
  const sealed = seal(deps.keys, JSON.stringify(input), id);
  // Two authorizations may race past the check above; the store lets one win.
  if (!(await deps.store.linkConnection(companyId, id, info, sealed, deps.now()))) throw alreadyLinked();
  return json(200, await existing(deps, companyId, id));
}
