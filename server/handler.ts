import { randomUUID } from 'node:crypto';
import { INTEGRATIONS } from './catalogue.js';
import type { ChargifyVerifier } from './chargify/types.js';
import {
  authorize,
  connectionSubject,
  createConnection,
  getConnection,
  unlinkConnection,
  type Caller,
  type ConnectionDeps,
} from './connections.js';
import { corsHeaders, isAllowedOrigin, preflight } from './cors.js';
import { deriveKeys, isLowEntropy } from './crypto.js';
import { Idempotency } from './idempotency.js';
import { ContractError, invalidInput, json, MAX_BODY } from './http.js';
import { resolveLimits, SlidingWindow, type Limits } from './limits.js';
import { createHandoff, describeHandoff, revokeHandoff, verifyConnection } from './lifecycle.js';
import { allowedMethods, BODY_OPERATIONS, HANDOFF_OPERATIONS, matchPath, operationFor, PARTNER_OPERATIONS, type OperationId, type PathMatch } from './routes.js';
import { createLogger, type Logger } from './log.js';
import { authenticate, DEFAULT_SESSION_TTL_SECONDS, mintSession, revokeSessions, type PartnerGate } from './sessions.js';
import type { Store } from './store/store.js';

export interface Clock {
  now(): Date;
}

export interface Settings {
  /** Proves the partner's server on `POST /sessions`. */
  partnerSecret: string;
  /** AES-256-GCM key for credentials at rest (32 bytes). */
  secretKey: Buffer;
  /** Origins whose pages may call the widget endpoints. */
  allowedOrigins: readonly string[];
  sessionTtlSeconds?: number;
  /** Where the contract is mounted, e.g. `/conduit`; empty for the root. */
  basePath?: string;
  /** Attempt limits; the defaults are in `DEFAULT_LIMITS`. */
  limits?: Partial<Limits>;
}

/** What the server knows of a request beyond the request itself. */
export interface RequestContext {
  /** The client's address, as the adapter determined it; unknown means not limited by address. */
  clientAddress?: string;
}

export interface HandlerDeps {
  store: Store;
  chargify: ChargifyVerifier;
  clock: Clock;
  settings: Settings;
  log?: Logger;
}

export type Handler = (request: Request, context?: RequestContext) => Promise<Response>;

/** What the handler's connection logic needs; the background check shares it. */
export function connectionDepsFor(deps: HandlerDeps): ConnectionDeps {
  const limits = resolveLimits(deps.settings.limits);
  return {
    store: deps.store,
    chargify: deps.chargify,
    keys: deriveKeys(deps.settings.secretKey),
    now: () => deps.clock.now(),
    log: deps.log ?? createLogger(),
    attempts: {
      perSession: new SlidingWindow(deps.store, 'session', limits.attemptsPerSession),
      perCompany: new SlidingWindow(deps.store, 'company', limits.attemptsPerCompany),
      perAddress: new SlidingWindow(deps.store, 'address', limits.attemptsPerAddress),
    },
    pendingPerCompany: limits.pendingPerCompany,
  };
}

// A correlation id that is not one (too long, odd characters) is replaced, never echoed or logged.
const CORRELATION_ID = /^[A-Za-z0-9-]{8,64}$/;
// An Idempotency-Key is stored in every kept answer's scope: a longer or stranger one is refused, not cut and kept.
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,128}$/;
const MIN_PARTNER_SECRET_BYTES = 32;
// Secrets this repository once published as defaults: long enough, and known to everyone.
const PUBLISHED_SECRETS = new Set(['demo-partner-secret-not-for-production']);

/** Refuses secrets anyone could guess, whatever configured them. */
export function checkSecrets(settings: Pick<Settings, 'partnerSecret' | 'secretKey'>): void {
  const partner = Buffer.from(settings.partnerSecret, 'utf8');
  if (partner.length < MIN_PARTNER_SECRET_BYTES || isLowEntropy(partner) || PUBLISHED_SECRETS.has(settings.partnerSecret)) {
    throw new Error(
      `The partner secret must be at least ${MIN_PARTNER_SECRET_BYTES} bytes of random characters, and never one published anywhere: generate one with \`openssl rand -base64 32\`.`,
    );
  }
  if (settings.secretKey.length !== 32 || isLowEntropy(settings.secretKey)) {
    throw new Error('The secret key must be 32 random bytes: generate one with `openssl rand -hex 32`.');
  }
}

/**
 * The backend contract (DESIGN §6) as a web-standard handler, so it mounts
 * in Node, workers or any framework with a Request → Response adapter.
 */
export function createHandler(deps: HandlerDeps): Handler {
  const { store, clock, settings } = deps;
  checkSecrets(settings);
  const log = deps.log ?? createLogger();
  const now = () => clock.now();
  const connectionDeps = connectionDepsFor({ ...deps, log });
  const idempotency = new Idempotency(store, connectionDeps.keys.fingerprint);
  const wrongSecrets = new SlidingWindow(store, 'partner-secret', resolveLimits(settings.limits).wrongSecretsPerAddress);
  const basePath = (settings.basePath ?? '').replace(/\/+$/, '');

  const partnerGate = (context: RequestContext): PartnerGate => ({
    partnerSecret: settings.partnerSecret,
    wrongSecrets,
    clientAddress: context.clientAddress,
    now: now(),
  });

  async function dispatch(
    operation: OperationId,
    params: PathMatch['params'],
    request: Request,
    bodyText: string,
    correlationId: string,
    context: RequestContext,
  ): Promise<Response> {
    switch (operation) {
      case 'health':
        return json(200, { status: 'ok' });
      case 'createSession': {
        const ttlSeconds = settings.sessionTtlSeconds ?? DEFAULT_SESSION_TTL_SECONDS;
        return json(201, await mintSession(request, bodyText, { store, gate: partnerGate(context), ttlSeconds }));
      }
      case 'revokeSessions':
        await revokeSessions(request, params.companyId!, { store, gate: partnerGate(context) });
        return new Response(null, { status: 204, headers: { 'Cache-Control': 'no-store' } });
      default:
        break;
    }

    const session = await authenticate(request, store, now());
    if (session.handoff) {
      const opened = session.handoff;
      const itsOwn = params.companyId === session.companyId && params.connectionId === opened.connectionId;
      if (!HANDOFF_OPERATIONS.has(operation) || (operation !== 'describeHandoff' && !itsOwn)) {
        throw new ContractError(403, 'A hand-off link opens only its own connection’s status and credentials step.');
      }
      if (operation === 'describeHandoff') return describeHandoff(connectionDeps, session.companyId, opened.connectionId, opened.expiresAt);
    } else if (operation === 'describeHandoff') {
      throw new ContractError(403, 'Only a hand-off token opens this.');
    }
    if (operation === 'listIntegrations') return json(200, { results: INTEGRATIONS });
    const companyId = params.companyId!;
    if (companyId !== session.companyId) throw new ContractError(403, 'The session token is not valid for this company.');
    const connectionId = params.connectionId!;
    const caller: Caller = { ...session, clientAddress: context.clientAddress };
    const keep = (subject: string, work: () => Promise<Response>) => kept(request, subject, bodyText, correlationId, work);

    switch (operation) {
      case 'getCompany': {
        const company = await store.getCompany(companyId);
        if (!company) throw new ContractError(404, 'No such company.');
        return json(200, company);
      }
      case 'listConnections':
        return json(200, { results: await store.listConnections(companyId) });
      case 'createConnection':
        return keep(`/companies/${companyId}/connections`, () => createConnection(connectionDeps, companyId, bodyText));
      case 'getConnection':
        return getConnection(connectionDeps, companyId, connectionId);
      case 'unlinkConnection':
        return keep(connectionSubject(companyId, connectionId), () => unlinkConnection(connectionDeps, companyId, connectionId, bodyText));
      case 'authorizeConnection':
        return keep(connectionSubject(companyId, connectionId), () => authorize(connectionDeps, caller, connectionId, bodyText));
      // Safe to repeat, so not kept: a kept answer would be a stale verdict, or a hand-off token stored in the clear.
      case 'verifyConnection':
        return verifyConnection(connectionDeps, companyId, connectionId);
      case 'createHandoff':
        return createHandoff(connectionDeps, companyId, connectionId);
      case 'revokeHandoff':
        return revokeHandoff(connectionDeps, companyId, connectionId, params.handoffId!);
      default:
        throw new ContractError(404, 'No such resource.');
    }
  }

  // Runs mutating work under the request's Idempotency-Key, when it has one.
  async function kept(
    request: Request,
    subject: string,
    bodyText: string,
    correlationId: string,
    work: () => Promise<Response>,
  ): Promise<Response> {
    const key = request.headers.get('Idempotency-Key');
    const answer = () => work().catch((error: unknown) => asResponse(error, correlationId, log));
    if (key === null) return answer();
    if (!IDEMPOTENCY_KEY.test(key)) {
      throw invalidInput('Idempotency-Key must be 1 to 128 visible ASCII characters.', [
        { itemId: 'Idempotency-Key', message: 'A UUID, as the widget sends.' },
      ]);
    }
    const scope = `${request.method} ${new URL(request.url).pathname} ${key}`;
    const { response, replayed } = await idempotency.run(scope, subject, bodyText, now, answer);
    if (replayed) log.info('idempotent.replay', { correlationId });
    return response;
  }

  return async function handle(request: Request, context: RequestContext = {}): Promise<Response> {
    const started = performance.now();
    const url = new URL(request.url);
    const given = request.headers.get('X-Correlation-Id');
    const correlationId = given && CORRELATION_ID.test(given) ? given : randomUUID();
    const origin = request.headers.get('Origin');
    const match = matchPath(url.pathname, basePath);
    const operation = match && operationFor(match.route, request.method);
    // Only the widget's calls are for browsers; sessions are managed server to server.
    const forBrowsers = !match || !Object.values(match.route.methods).some((id) => PARTNER_OPERATIONS.has(id!));
    let response: Response;
    if (request.method === 'OPTIONS') {
      response = preflight(forBrowsers ? origin : null, settings.allowedOrigins);
    } else {
      try {
        // HTTP's own questions first, before any token or body is looked at.
        if (!match) throw new ContractError(404, 'No such resource.');
        if (!operation) {
          throw new ContractError(405, `${request.method} is not supported on this path.`, { allow: allowedMethods(match.route) });
        }
        const bodyText = BODY_OPERATIONS.has(operation) ? await readJsonBody(request) : '';
        response = await dispatch(operation, match.params, request, bodyText, correlationId, context);
      } catch (error) {
        response = asResponse(error, correlationId, log);
      }
      // HEAD answers as GET does, without the body.
      if (request.method === 'HEAD') response = new Response(null, { status: response.status, headers: response.headers });
      if (forBrowsers && isAllowedOrigin(origin, settings.allowedOrigins)) {
        for (const [name, value] of Object.entries(corsHeaders(origin))) response.headers.set(name, value);
      }
    }
    response.headers.set('X-Correlation-Id', correlationId);
    log.info('request', {
      method: request.method,
      path: url.pathname,
      status: response.status,
      durationMs: Math.round(performance.now() - started),
      correlationId,
    });
    return response;
  };
}

// JSON only: a body of another type (a CORS-simple text/plain, a form) never reaches the logic.
const JSON_MEDIA_TYPE = /^application\/json\s*(;|$)/i;

// The limit is in bytes, not characters; a body the Node adapter cut short past it is over it too.
async function readJsonBody(request: Request): Promise<string> {
  if (!JSON_MEDIA_TYPE.test(request.headers.get('Content-Type') ?? '')) {
    throw new ContractError(415, 'The body must be application/json.');
  }
  const bytes = await request.arrayBuffer();
  if (bytes.byteLength > MAX_BODY) throw new ContractError(413, 'The request body is too large.', { detailedErrorCode: 10001 });
  return new TextDecoder().decode(bytes);
}

function asResponse(error: unknown, correlationId: string, log: Logger): Response {
  if (error instanceof ContractError) return error.toResponse(correlationId);
  // Only the error's class, never its message or the error itself: either may carry a request, and so a key.
  log.error('unexpected', { correlationId, outcome: error instanceof Error ? error.name : typeof error });
  return new ContractError(500, 'Something went wrong on our side.').toResponse(correlationId);
}
