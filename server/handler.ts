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

// A correlation id that is not one (too long, odd characters) is replaced, never echoed or logged.
const CORRELATION_ID = /^[A-Za-z0-9-]{8,64}$/;
// An Idempotency-Key is stored in every kept answer's scope: a longer or stranger one is refused, not cut and kept.
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,128}$/;
const MUTATING = new Set(['POST', 'PUT', 'PATCH']);
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
  const keys = deriveKeys(settings.secretKey);
  const idempotency = new Idempotency(store, keys.fingerprint);
  const limits = resolveLimits(settings.limits);
  const wrongSecrets = new SlidingWindow(limits.wrongSecretsPerAddress);
  const connectionDeps: ConnectionDeps = {
    store,
    chargify: deps.chargify,
    keys,
    now,
    log,
    attempts: {
      perSession: new SlidingWindow(limits.attemptsPerSession),
      perCompany: new SlidingWindow(limits.attemptsPerCompany),
      perAddress: new SlidingWindow(limits.attemptsPerAddress),
    },
    pendingPerCompany: limits.pendingPerCompany,
  };
  const basePath = (settings.basePath ?? '').replace(/\/+$/, '');

  async function route(request: Request, parts: string[], bodyText: string, correlationId: string, context: RequestContext): Promise<Response> {
    const { method } = request;
    const [first, companyId, collection, connectionId, action, ...rest] = parts;
    const gate = (): PartnerGate => ({ partnerSecret: settings.partnerSecret, wrongSecrets, clientAddress: context.clientAddress, now: now() });
    if (first === 'health' && parts.length === 1 && method === 'GET') return json(200, { status: 'ok' });
    if (first === 'sessions' && parts.length === 1 && method === 'POST') {
      const ttlSeconds = settings.sessionTtlSeconds ?? DEFAULT_SESSION_TTL_SECONDS;
      return json(201, await mintSession(request, bodyText, { store, gate: gate(), ttlSeconds }));
    }
    if (first === 'companies' && companyId && collection === 'sessions' && parts.length === 3 && method === 'DELETE') {
      await revokeSessions(request, companyId, { store, gate: gate() });
      return new Response(null, { status: 204, headers: { 'Cache-Control': 'no-store' } });
    }

    const session = await authenticate(request, store, now());
    if (first === 'integrations' && parts.length === 1 && method === 'GET') return json(200, { results: INTEGRATIONS });
    if (first !== 'companies' || !companyId || rest.length > 0) throw new ContractError(404, 'No such resource.');
    if (companyId !== session.companyId) throw new ContractError(403, 'The session token is not valid for this company.');
    const caller: Caller = { ...session, clientAddress: context.clientAddress };

    if (!collection && method === 'GET') {
      const company = await store.getCompany(companyId);
      if (!company) throw new ContractError(404, 'No such company.');
      return json(200, company);
    }
    if (collection !== 'connections') throw new ContractError(404, 'No such resource.');
    if (!connectionId) {
      if (method === 'GET') return json(200, { results: await store.listConnections(companyId) });
      if (method === 'POST') {
        return keep(request, parts, `/companies/${companyId}/connections`, bodyText, correlationId, () =>
          createConnection(connectionDeps, companyId, bodyText),
        );
      }
    } else if (!action) {
      if (method === 'GET') return getConnection(connectionDeps, companyId, connectionId);
      if (method === 'PATCH') {
        return keep(request, parts, connectionSubject(companyId, connectionId), bodyText, correlationId, () =>
          unlinkConnection(connectionDeps, companyId, connectionId, bodyText),
        );
      }
    } else if (action === 'authorization' && method === 'PUT') {
      return keep(request, parts, connectionSubject(companyId, connectionId), bodyText, correlationId, () =>
        authorize(connectionDeps, caller, connectionId, bodyText),
      );
    } else {
      throw new ContractError(404, 'No such resource.');
    }
    throw new ContractError(405, `${method} is not supported here.`);
  }

  // Runs mutating work under the request's Idempotency-Key, when it has one.
  async function keep(
    request: Request,
    parts: string[],
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
    const scope = `${request.method} /${parts.join('/')} ${key}`;
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
    const parts = pathParts(url.pathname, basePath);
    // Only the widget's calls are for browsers; sessions are managed server to server.
    const forBrowsers = parts?.[0] !== 'sessions' && parts?.[2] !== 'sessions';
    let response: Response;
    if (request.method === 'OPTIONS') {
      response = preflight(forBrowsers ? origin : null, settings.allowedOrigins);
    } else {
      try {
        if (!parts) throw new ContractError(404, 'No such resource.');
        const bodyText = MUTATING.has(request.method) ? await readBody(request) : '';
        response = await route(request, parts, bodyText, correlationId, context);
      } catch (error) {
        response = asResponse(error, correlationId, log);
      }
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

/** The decoded path segments under `basePath`; null when the path is not ours or not decodable. */
function pathParts(pathname: string, basePath: string): string[] | null {
  if (basePath && !pathname.startsWith(`${basePath}/`)) return null;
  try {
    return pathname.slice(basePath.length).split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    return null;
  }
}

// The limit is in bytes, not characters; a body the Node adapter cut short past it is over it too.
async function readBody(request: Request): Promise<string> {
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
