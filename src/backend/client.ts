import { ConduitError } from './errors.js';
import { uuid } from './ids.js';
import { errorFromReply, parseBody, redirectError, type Reply } from './replies.js';
import { backoffDelay, sleep } from './timing.js';
import type { ChargifyCredentials, Company, Connection, Integration, Region } from './types.js';
import { isSafeId, parseCompany, parseConnection, parseIntegration, parseResults } from './validate.js';

export interface BackendClientOptions {
  /** Base URL of the backend contract; check it with `checkBackendUrl` first. */
  baseUrl: string;
  /** Required, unless `handoff` is set: a hand-off client learns it from `describeHandoff()` (lifecycle-calls.ts). */
  companyId?: string;
  /**
   * A colleague's page: the hand-off token is the bearer (no session token, no
   * refresh), and the company id comes from `GET /handoff`.
   */
  handoff?: boolean;
  sessionToken?: string;
  /** Called once when the backend answers 401, to get a fresh session token. */
  fetchSessionToken?: () => Promise<string>;
  /**
   * Per-request timeout, 40 000 ms by default: longer than the 30 s the
   * backend gives Chargify, so the backend's own verdict arrives first.
   */
  timeoutMs?: number;
  /** Automatic retries after the first attempt, for network errors, 429, 502, 503 and 504. */
  maxRetries?: number;
  retryBaseMs?: number;
  /** A longer `Retry-After` is handed to the user instead of being waited out. */
  maxAutoRetryAfterSeconds?: number;
}

export interface CallOptions<T> {
  body?: unknown;
  signal?: AbortSignal;
  parse: (json: unknown) => T | null;
  /** The API key the call sends: no string of an answer that repeats it is used. */
  secret?: string;
}

/** The default per-request timeout: the backend gives up on Chargify after 30 s, and says so. */
export const DEFAULT_TIMEOUT_MS = 40_000;
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
  readonly #baseUrl: string;
  #companyPath: string;
  readonly #timeoutMs: number;
  readonly #maxRetries: number;
  readonly #retryBaseMs: number;
  readonly #maxAutoRetryAfterSeconds: number;
  // Parallel 401s share one refresh, so the partner's token endpoint is called once.
  #refreshing: Promise<void> | null = null;

  constructor(options: BackendClientOptions) {
    // A URL parser collapses these path segments, which would aim calls at another resource.
    const companyId = options.companyId ?? '';
    if (!options.handoff && !isSafeId(companyId)) throw new ConduitError('invalid_config', 'company-id is missing or not a valid id.');
    this.#baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#companyPath = isSafeId(companyId) ? `/companies/${encodeURIComponent(companyId)}` : '';
    this.sessionToken = options.sessionToken;
    this.fetchSessionToken = options.fetchSessionToken;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#maxRetries = options.maxRetries ?? 2;
    this.#retryBaseMs = options.retryBaseMs ?? 500;
    this.#maxAutoRetryAfterSeconds = options.maxAutoRetryAfterSeconds ?? 5;
  }

  listIntegrations(signal?: AbortSignal): Promise<Integration[]> {
    return this.call('GET', '/integrations', { signal, parse: (json) => parseResults(json, parseIntegration) });
  }

  getCompany(signal?: AbortSignal): Promise<Company> {
    return this.call('GET', this.#companyPath, { signal, parse: parseCompany });
  }

  listConnections(signal?: AbortSignal): Promise<Connection[]> {
    return this.call('GET', `${this.#companyPath}/connections`, {
      signal,
      parse: (json) => parseResults(json, parseConnection),
    });
  }

  createConnection(platformKey: string, signal?: AbortSignal): Promise<Connection> {
    return this.call('POST', `${this.#companyPath}/connections`, { body: { platformKey }, signal, parse: parseConnection });
  }

  authorize(connectionId: string, credentials: ChargifyCredentials, signal?: AbortSignal): Promise<Connection> {
    const { apiKey, subdomain, region } = credentials;
    return this.call('PUT', `${this.connectionPath(connectionId)}/authorization`, {
      body: { apiKey, subdomain, region } satisfies { apiKey: string; subdomain: string; region: Region },
      signal,
      parse: parseConnection,
      secret: apiKey,
    });
  }

  /**
   * @internal The company this client speaks for, learnt from a hand-off (see
   * `describeHandoff` in lifecycle-calls.ts).
   */
  speakFor(companyId: string): void {
    this.#companyPath = `/companies/${encodeURIComponent(companyId)}`;
  }

  /** @internal The path of one of the company's connections. */
  connectionPath(connectionId: string): string {
    if (!this.#companyPath) throw new ConduitError('invalid_config', 'No company id yet: read the hand-off first.');
    return `${this.#companyPath}/connections/${encodeURIComponent(connectionId)}`;
  }

  /** @internal One call of the contract, with everything the class comment promises. */
  async call<T>(method: string, path: string, options: CallOptions<T>): Promise<T> {
    const { signal, secret } = options;
    // One idempotency key and one correlation id per attempt, shared by its retries.
    const idempotencyKey = method === 'GET' ? null : uuid();
    const correlationId = uuid();
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    let retries = 0;
    let refreshed = false;

    for (;;) {
      if (signal?.aborted) throw new ConduitError('aborted', 'The request was cancelled.', { correlationId });
      if (isOffline()) throw new ConduitError('offline', 'The browser is offline.', { correlationId });

      // With only a way to get a token, get one first: a call without one would only earn a 401.
      if (!this.sessionToken && this.fetchSessionToken && !refreshed) {
        refreshed = true;
        await this.#refreshToken(correlationId);
      }
      const token = this.sessionToken;
      let reply: Reply;
      try {
        reply = await this.#send(method, path, body, { token, idempotencyKey, correlationId }, signal);
      } catch (error) {
        if (signal?.aborted) throw new ConduitError('aborted', 'The request was cancelled.', { correlationId });
        if (error === TIMEOUT) {
          // Never retried: the backend may still be doing the work.
          throw new ConduitError('timeout', `No answer from the backend within ${this.#timeoutMs} ms.`, { correlationId });
        }
        if (isOffline()) throw new ConduitError('offline', 'The browser went offline.', { correlationId });
        if (retries < this.#maxRetries) {
          await this.#wait(backoffDelay(retries++, this.#retryBaseMs), signal, correlationId);
          continue;
        }
        throw new ConduitError('network', 'The backend could not be reached.', { correlationId });
      }

      if (reply.redirect) throw redirectError(method, path, correlationId);
      if (reply.status === 401 && !refreshed && this.fetchSessionToken) {
        refreshed = true;
        // A parallel call may already have refreshed the token this one was sent with.
        if (this.sessionToken === token) await this.#refreshToken(correlationId);
        continue;
      }
      if (reply.status < 200 || reply.status > 299) {
        const failure = errorFromReply(reply, correlationId, secret);
        const delay = this.#retryDelay(failure, retries);
        if (delay === null) throw failure;
        retries++;
        await this.#wait(delay, signal, correlationId);
        continue;
      }
      return parseBody(reply, options.parse, correlationId, secret);
    }
  }

  /** How long to wait before trying a failed call again by itself; null hands the failure to the caller. */
  #retryDelay(failure: ConduitError, retries: number): number | null {
    // The backend's limit on key attempts: a retry the user did not ask for would count as one more.
    if (failure.code === 'too_many_attempts') return null;
    if (failure.status === null || !RETRYABLE_STATUSES.has(failure.status) || retries >= this.#maxRetries) return null;
    const { retryAfter } = failure;
    if (retryAfter === null) return backoffDelay(retries, this.#retryBaseMs);
    return retryAfter <= this.#maxAutoRetryAfterSeconds ? retryAfter * 1000 : null;
  }

  async #send(
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
    const timer = setTimeout(() => controller.abort(TIMEOUT), this.#timeoutMs);
    try {
      const response = await fetch(`${this.#baseUrl}${path}`, {
        method,
        headers,
        body,
        signal: controller.signal,
        credentials: 'omit',
        cache: 'no-store',
        referrerPolicy: 'no-referrer',
        // Following a redirect would send the request again, the API key in its body
        // included, to wherever it points. 'error' would refuse it too, but as a
        // TypeError no different from a network failure (retried, and explained as
        // one); 'manual' hands back an opaque redirect we can name to the partner.
        redirect: 'manual',
      });
      // The body is part of the answer: the timeout and the caller's abort cover it too.
      const text = await response.text();
      return { status: response.status, headers: response.headers, text, redirect: response.type === 'opaqueredirect' };
    } catch (error) {
      throw controller.signal.reason === TIMEOUT ? TIMEOUT : error;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  async #wait(ms: number, signal: AbortSignal | undefined, correlationId: string): Promise<void> {
    try {
      await sleep(ms, signal);
    } catch {
      throw new ConduitError('aborted', 'The request was cancelled.', { correlationId });
    }
  }

  #refreshToken(correlationId: string): Promise<void> {
    this.#refreshing ??= (async () => {
      try {
        const token = await this.fetchSessionToken!();
        if (typeof token !== 'string' || token === '') throw new Error('empty token');
        this.sessionToken = token;
      } finally {
        this.#refreshing = null;
      }
    })();
    return this.#refreshing.catch(() => {
      throw new ConduitError('session_expired', 'The session token could not be refreshed.', { status: 401, correlationId });
    });
  }
}

// A function, not an inline check: the answer changes while a request is in flight.
function isOffline(): boolean {
  return typeof navigator !== 'undefined' && navigator.onLine === false;
}
