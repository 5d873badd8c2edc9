import { ConduitError, codeForResponse } from './errors.js';
import { uuid } from './ids.js';
import { backoffDelay, parseRetryAfter, sleep } from './timing.js';
import type { ChargifyCredentials, Company, Connection, Integration, Region } from './types.js';
import { isSafeId, parseCompany, parseConnection, parseIntegration, parseResults } from './validate.js';

export interface BackendClientOptions {
  /** Base URL of the backend contract; check it with `checkBackendUrl` first. */
  baseUrl: string;
  companyId: string;
  sessionToken?: string;
  /** Called once when the backend answers 401, to get a fresh session token. */
  fetchSessionToken?: () => Promise<string>;
  /** Per-request timeout. */
  timeoutMs?: number;
  /** Automatic retries after the first attempt, for network errors, 429, 502, 503 and 504. */
  maxRetries?: number;
  retryBaseMs?: number;
  /** A longer `Retry-After` is handed to the user instead of being waited out. */
  maxAutoRetryAfterSeconds?: number;
}

interface CallOptions<T> {
  body?: unknown;
  signal?: AbortSignal;
  parse: (json: unknown) => T | null;
}

/** A response read in full, within the request's timeout. */
interface Reply {
  status: number;
  headers: Headers;
  text: string;
}

const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);
const TIMEOUT = Symbol('timeout');

/**
 * The client for the backend contract (DESIGN §6): bearer auth, idempotency
 * keys, correlation ids, timeouts, bounded retries and one token refresh.
 * Every failure is thrown as a {@link ConduitError}.
 */
export class BackendClient {
  sessionToken: string | undefined;
  fetchSessionToken: (() => Promise<string>) | undefined;
  private readonly baseUrl: string;
  private readonly companyPath: string;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly retryBaseMs: number;
  private readonly maxAutoRetryAfterSeconds: number;
  // Parallel 401s share one refresh, so the partner's token endpoint is called once.
  private refreshing: Promise<void> | null = null;

  constructor(options: BackendClientOptions) {
    // A URL parser collapses these path segments, which would aim calls at another resource.
    if (!isSafeId(options.companyId)) throw new ConduitError('invalid_config', 'company-id is missing or not a valid id.');
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.companyPath = `/companies/${encodeURIComponent(options.companyId)}`;
    this.sessionToken = options.sessionToken;
    this.fetchSessionToken = options.fetchSessionToken;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.maxRetries = options.maxRetries ?? 2;
    this.retryBaseMs = options.retryBaseMs ?? 500;
    this.maxAutoRetryAfterSeconds = options.maxAutoRetryAfterSeconds ?? 5;
  }

  listIntegrations(signal?: AbortSignal): Promise<Integration[]> {
    return this.call('GET', '/integrations', { signal, parse: (json) => parseResults(json, parseIntegration) });
  }

  getCompany(signal?: AbortSignal): Promise<Company> {
    return this.call('GET', this.companyPath, { signal, parse: parseCompany });
  }

  listConnections(signal?: AbortSignal): Promise<Connection[]> {
    return this.call('GET', `${this.companyPath}/connections`, {
      signal,
      parse: (json) => parseResults(json, parseConnection),
    });
  }

  createConnection(platformKey: string, signal?: AbortSignal): Promise<Connection> {
    return this.call('POST', `${this.companyPath}/connections`, { body: { platformKey }, signal, parse: parseConnection });
  }

  authorize(connectionId: string, credentials: ChargifyCredentials, signal?: AbortSignal): Promise<Connection> {
    const { apiKey, subdomain, region } = credentials;
    return this.call('PUT', `${this.connectionPath(connectionId)}/authorization`, {
      body: { apiKey, subdomain, region } satisfies { apiKey: string; subdomain: string; region: Region },
      signal,
      parse: parseConnection,
    });
  }

  getConnection(connectionId: string, signal?: AbortSignal): Promise<Connection> {
    return this.call('GET', this.connectionPath(connectionId), { signal, parse: parseConnection });
  }

  unlinkConnection(connectionId: string, signal?: AbortSignal): Promise<Connection> {
    return this.call('PATCH', this.connectionPath(connectionId), { body: { status: 'Unlinked' }, signal, parse: parseConnection });
  }

  private connectionPath(connectionId: string): string {
    return `${this.companyPath}/connections/${encodeURIComponent(connectionId)}`;
  }

  private async call<T>(method: string, path: string, options: CallOptions<T>): Promise<T> {
    const { signal } = options;
    // One idempotency key and one correlation id per attempt, shared by its retries.
    const idempotencyKey = method === 'GET' ? null : uuid();
    const correlationId = uuid();
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    let retries = 0;
    let refreshed = false;

    for (;;) {
      if (signal?.aborted) throw new ConduitError('aborted', 'The request was cancelled.', { correlationId });
      if (isOffline()) throw new ConduitError('offline', 'The browser is offline.', { correlationId });

      const token = this.sessionToken;
      let reply: Reply;
      try {
        reply = await this.send(method, path, body, { token, idempotencyKey, correlationId }, signal);
      } catch (error) {
        if (signal?.aborted) throw new ConduitError('aborted', 'The request was cancelled.', { correlationId });
        if (error === TIMEOUT) {
          // Never retried: the backend may still be doing the work.
          throw new ConduitError('timeout', `No answer from the backend within ${this.timeoutMs} ms.`, { correlationId });
        }
        if (isOffline()) throw new ConduitError('offline', 'The browser went offline.', { correlationId });
        if (retries < this.maxRetries) {
          await this.wait(backoffDelay(retries++, this.retryBaseMs), signal, correlationId);
          continue;
        }
        throw new ConduitError('network', 'The backend could not be reached.', { correlationId });
      }

      if (reply.status === 401 && !refreshed && this.fetchSessionToken) {
        refreshed = true;
        // A parallel call may already have refreshed the token this one was sent with.
        if (this.sessionToken === token) await this.refreshToken(correlationId);
        continue;
      }
      if (RETRYABLE_STATUSES.has(reply.status) && retries < this.maxRetries) {
        const retryAfter = parseRetryAfter(reply.headers.get('Retry-After'));
        if (retryAfter === null || retryAfter <= this.maxAutoRetryAfterSeconds) {
          const delay = retryAfter === null ? backoffDelay(retries, this.retryBaseMs) : retryAfter * 1000;
          retries++;
          await this.wait(delay, signal, correlationId);
          continue;
        }
      }
      if (reply.status < 200 || reply.status > 299) throw errorFromReply(reply, correlationId);
      return parseBody(reply, options.parse, correlationId);
    }
  }

  private async send(
    method: string,
    path: string,
    body: string | undefined,
    ids: { token: string | undefined; idempotencyKey: string | null; correlationId: string },
    signal: AbortSignal | undefined,
  ): Promise<Reply> {
    const headers: Record<string, string> = { 'X-Correlation-Id': ids.correlationId };
    if (ids.token) headers.Authorization = `Bearer ${ids.token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (ids.idempotencyKey) headers['Idempotency-Key'] = ids.idempotencyKey;

    const controller = new AbortController();
    const onAbort = () => controller.abort(signal!.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => controller.abort(TIMEOUT), this.timeoutMs);
    try {
      const response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers,
        body,
        signal: controller.signal,
        credentials: 'omit',
        cache: 'no-store',
        referrerPolicy: 'no-referrer',
      });
      // The body is part of the answer: the timeout and the caller's abort cover it too.
      const text = await response.text();
      return { status: response.status, headers: response.headers, text };
    } catch (error) {
      throw controller.signal.reason === TIMEOUT ? TIMEOUT : error;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  private async wait(ms: number, signal: AbortSignal | undefined, correlationId: string): Promise<void> {
    try {
      await sleep(ms, signal);
    } catch {
      throw new ConduitError('aborted', 'The request was cancelled.', { correlationId });
    }
  }

  private refreshToken(correlationId: string): Promise<void> {
    this.refreshing ??= (async () => {
      try {
        const token = await this.fetchSessionToken!();
        if (typeof token !== 'string' || token === '') throw new Error('empty token');
        this.sessionToken = token;
      } finally {
        this.refreshing = null;
      }
    })();
    return this.refreshing.catch(() => {
      throw new ConduitError('session_expired', 'The session token could not be refreshed.', { status: 401, correlationId });
    });
  }
}

// A function, not an inline check: the answer changes while a request is in flight.
function isOffline(): boolean {
  return typeof navigator !== 'undefined' && navigator.onLine === false;
}

function readJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function parseBody<T>(reply: Reply, parse: (json: unknown) => T | null, sentId: string): T {
  const correlationId = reply.headers.get('X-Correlation-Id') ?? sentId;
  const result = parse(readJson(reply.text));
  if (result === null) {
    // The raw body is deliberately not kept: it may be a proxy's HTML page or worse.
    throw new ConduitError('bad_response', 'The backend answered with something other than the expected JSON.', {
      status: reply.status,
      correlationId,
    });
  }
  return result;
}

function errorFromReply(reply: Reply, sentId: string): ConduitError {
  const json = readJson(reply.text);
  const body = typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : {};
  const hint = body.hint as { region?: unknown } | undefined;
  const validation = (body.validation as { errors?: unknown } | null | undefined)?.errors;
  return new ConduitError(
    codeForResponse(reply.status, body.detailedErrorCode),
    typeof body.error === 'string' ? body.error : `The backend answered ${reply.status}.`,
    {
      status: reply.status,
      correlationId:
        (typeof body.correlationId === 'string' ? body.correlationId : null) ?? reply.headers.get('X-Correlation-Id') ?? sentId,
      retryAfter: parseRetryAfter(reply.headers.get('Retry-After')) ?? undefined,
      regionHint: hint?.region === 'US' || hint?.region === 'EU' ? hint.region : undefined,
      validation: Array.isArray(validation)
        ? validation.filter(
            (item): item is { itemId: string; message: string } =>
              typeof item?.itemId === 'string' && typeof item?.message === 'string',
          )
        : [],
    },
  );
}
