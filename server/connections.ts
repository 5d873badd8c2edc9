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
  // A flow opened again resumes the company's pending connection rather than starting a second.
  const pending = (await deps.store.listConnections(companyId))
    .filter((connection) => connection.integrationKey === integration.key && connection.status === 'PendingAuth')
    .at(-1);
  if (pending) return json(200, pending);
  // Each costs a row and may never be verified: a company opens a few an hour (unlinking to
  // start over included), not thousands.
  const { max, windowMs } = deps.pendingPerCompany;
  if ((await deps.store.countCreatedSince(companyId, new Date(deps.now().getTime() - windowMs))) >= max) {
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

/**
 * `PUT …/authorization`: verify the key with Chargify, then store it sealed and link. On a
 * `Linked` or `Deauthorized` connection it replaces the key, for the same site only.
 */
export async function authorize(deps: ConnectionDeps, caller: Caller, id: string, bodyText: string): Promise<Response> {
  const { companyId } = caller;
  const input = readAuthorization(bodyText);
  const connection = await existing(deps, companyId, id);
  if (connection.status === 'Unlinked') throw new ContractError(409, 'This connection was unlinked; start a new one.');
  const replacing = connection.status === 'Linked' || connection.status === 'Deauthorized';
  const linkedElsewhere = (await deps.store.listConnections(companyId)).some(
    (other) => other.id !== id && other.integrationKey === connection.integrationKey && other.status === 'Linked',
  );
  if (linkedElsewhere) throw alreadyLinked();

  // Every key tried is counted for the session, the company and the address, so
  // none of them can guess keys or map sites faster than a person would type.
  const { perSession, perCompany, perAddress } = deps.attempts;
  const wait = await takeAttempt(
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
  // Our own comparison of ids (DESIGN §6): changing sites means disconnecting first.
  if (replacing && String(site.id) !== String(connection.connectionInfo.siteId)) {
    throw new ContractError(400, 'This key opens another Chargify site than the connected one; disconnect first to change sites.', {
      detailedErrorCode: 10006,
    });
  }
  const info: ConnectionInfo = {
    subdomain: site.subdomain,
    region: input.region,
    siteId: site.id,
    siteName: site.name,
    ...(site.currency === undefined ? {} : { currency: site.currency }),
    ...(site.test === undefined ? {} : { test: site.test }),
  };
  const sealed = seal(deps.keys, JSON.stringify(input), id);
  const at = deps.now();
  const stored = replacing
    ? await deps.store.replaceCredentials(companyId, id, info, sealed, at)
    : // Two authorizations may race past the check above; the store lets one win.
      await deps.store.linkConnection(companyId, id, info, sealed, at);
  if (!stored) throw alreadyLinked();
  // Whoever finished the step, every hand-off of it has done its job.
  await deps.store.endHandoffsOf(id, at);
  deps.log.info(replacing ? 'connection.key-replaced' : 'connection.linked', { companyId, connectionId: id });
  return json(200, await existing(deps, companyId, id));
}
