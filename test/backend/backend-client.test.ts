// BackendClient and checkBackendUrl against DESIGN §6, in the real browser.
// MSW stands in for the partner's backend at the network edge: the client's
// own modules and `fetch` run for real, and every test asserts what the
// backend actually received.
//
// This file runs its own MSW worker on `/client-api` and does not import the
// harness (whose worker serves `/api`): Web Test Runner gives each test file
// its own page, so the two never meet.
import { expect, waitUntil } from '@open-wc/testing';
import { delay, http, HttpResponse } from 'msw';
import { setupWorker } from 'msw/browser';
import { BackendClient, type BackendClientOptions } from '../../src/backend/client.js';
import { getConnection, unlinkConnection } from '../../src/backend/lifecycle-calls.js';
import { ConduitError, type ConduitErrorCode } from '../../src/backend/errors.js';
import type { ChargifyCredentials, Connection, Integration } from '../../src/backend/types.js';
import { checkBackendUrl } from '../../src/backend/url.js';
import { codatError } from '../backend-errors.js';

const BASE = '/client-api';
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

// ---------------------------------------------------------------------------
// The mocked backend
// ---------------------------------------------------------------------------

/** One request as the backend received it. */
interface Received {
  method: string;
  /** The path as sent, percent-encoding kept. */
  path: string;
  headers: Record<string, string>;
  /** Parsed JSON; the raw text if it is not JSON; undefined when empty. */
  body: unknown;
  credentials: RequestCredentials;
  referrerPolicy: ReferrerPolicy;
  cache: RequestCache;
  /** performance.now() on arrival. */
  at: number;
}

type Reply = (request: Received, index: number) => Response | Promise<Response>;

const worker = setupWorker();

/** Answers every request under `base` with `reply` and records what arrived, in order. */
function backend(reply: Reply, base = BASE): Received[] {
  const received: Received[] = [];
  worker.use(
    http.all(`${base}/*`, async ({ request }) => {
      const text = await request.text();
      let body: unknown = undefined;
      if (text !== '') {
        try {
          body = JSON.parse(text);
        } catch {
          body = text;
        }
      }
      const entry: Received = {
        method: request.method,
        path: new URL(request.url).pathname,
        headers: Object.fromEntries(request.headers.entries()),
        body,
        credentials: request.credentials,
        referrerPolicy: request.referrerPolicy,
        cache: request.cache,
        at: performance.now(),
      };
      received.push(entry);
      // MSW's resolver type wants its own response type; a plain Response is what it accepts at runtime.
      return (await reply(entry, received.length - 1)) as never;
    }),
  );
  return received;
}

/** The n-th request gets the n-th reply; the last one repeats. */
function sequence(...replies: Array<() => Response | Promise<Response>>): Reply {
  return (_request, index) => replies[Math.min(index, replies.length - 1)]!();
}

/** Resolves once the backend has seen `count` requests. */
async function arrived(received: Received[], count: number): Promise<void> {
  await waitUntil(() => received.length >= count, `backend saw ${received.length} of ${count} requests`, { timeout: 3000 });
}

/** Streams a first chunk, then never finishes; closed again after each test. */
const openStreams: ReadableStreamDefaultController<Uint8Array>[] = [];
function stalledBody(firstChunk: string): Response {
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      openStreams.push(controller);
      controller.enqueue(new TextEncoder().encode(firstChunk));
    },
  });
  return new HttpResponse(stream, { status: 200, headers: { 'Content-Type': 'application/json' } });
}

/** Streams a first chunk, then fails: the connection broke mid-body. */
function brokenBody(firstChunk: string, status = 200): Response {
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      controller.enqueue(new TextEncoder().encode(firstChunk));
      await delay(50);
      controller.error(new Error('connection reset'));
    },
  });
  return new HttpResponse(stream, { status, headers: { 'Content-Type': 'application/json' } });
}

// ---------------------------------------------------------------------------
// Client and assertions
// ---------------------------------------------------------------------------

function client(options: Partial<BackendClientOptions> = {}): BackendClient {
  return new BackendClient({
    baseUrl: BASE,
    companyId: 'co_123',
    sessionToken: 'tok_old',
    retryBaseMs: 5,
    timeoutMs: 3000,
    ...options,
  });
}

/** The ConduitError a call rejects with; fails the test if it resolves or throws anything else. */
async function rejection(promise: Promise<unknown>): Promise<ConduitError> {
  let outcome: unknown;
  try {
    outcome = await promise;
  } catch (error) {
    expect(error, String(error)).to.be.instanceOf(ConduitError);
    expect((error as ConduitError).name).to.equal('ConduitError');
    return error as ConduitError;
  }
  throw new Error(`expected the call to fail, but it resolved with ${JSON.stringify(outcome)}`);
}

/** Settles `promise`, or reports that it is still pending after `ms`. */
async function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const guard = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`the call was still pending after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, guard]);
  } finally {
    clearTimeout(timer);
  }
}

// ---------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------

const INTEGRATION_JSON = {
  key: 'chargify',
  name: 'Chargify',
  logoUrl: 'https://cdn.example/chargify.svg',
  enabled: true,
  sourceType: 'Commerce',
  isBeta: false,
};
const INTEGRATION: Integration = { ...INTEGRATION_JSON };

const CONNECTION_INFO = { subdomain: 'acme', region: 'US', siteId: 48213, siteName: 'Acme Inc', currency: 'USD', test: false } as const;
const CONNECTION_JSON = {
  id: 'conn_1',
  integrationKey: 'chargify',
  platformName: 'Chargify',
  sourceType: 'Commerce',
  status: 'Linked',
  created: '2025-01-02T03:04:05Z',
  connectionInfo: CONNECTION_INFO,
};
const CONNECTION: Connection = { ...CONNECTION_JSON, status: 'Linked', connectionInfo: { ...CONNECTION_INFO } };

const CREDENTIALS: ChargifyCredentials = { apiKey: 'chg_secret_key_123', subdomain: 'acme', region: 'US' };

const COMPANY_ID = 'co/1 ?#%é';
const COMPANY_ID_ENCODED = 'co%2F1%20%3F%23%25%C3%A9';
const CONNECTION_ID = 'conn/2?x=1#y';
const CONNECTION_ID_ENCODED = 'conn%2F2%3Fx%3D1%23y';

/** Every call of the client, what it must send and what it gets back. */
interface CallCase {
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH';
  path: string;
  body: unknown;
  reply: unknown;
  expected: unknown;
  run: (client: BackendClient, signal?: AbortSignal) => Promise<unknown>;
}

const CALLS: CallCase[] = [
  {
    name: 'listIntegrations',
    method: 'GET',
    path: `${BASE}/integrations`,
    body: undefined,
    reply: { results: [INTEGRATION_JSON] },
    expected: [INTEGRATION],
    run: (c, signal) => c.listIntegrations(signal),
  },
  {
    name: 'getCompany',
    method: 'GET',
    path: `${BASE}/companies/${COMPANY_ID_ENCODED}`,
    body: undefined,
    reply: { id: COMPANY_ID, name: 'Acme Holdings' },
    expected: { id: COMPANY_ID, name: 'Acme Holdings' },
    run: (c, signal) => c.getCompany(signal),
  },
  {
    name: 'listConnections',
    method: 'GET',
    path: `${BASE}/companies/${COMPANY_ID_ENCODED}/connections`,
    body: undefined,
    reply: { results: [CONNECTION_JSON] },
    expected: [CONNECTION],
    run: (c, signal) => c.listConnections(signal),
  },
  {
    name: 'createConnection',
    method: 'POST',
    path: `${BASE}/companies/${COMPANY_ID_ENCODED}/connections`,
    body: { platformKey: 'chargify' },
    reply: { ...CONNECTION_JSON, status: 'PendingAuth', connectionInfo: {} },
    expected: { ...CONNECTION, status: 'PendingAuth', connectionInfo: {} },
    run: (c, signal) => c.createConnection('chargify', signal),
  },
  {
    name: 'authorize',
    method: 'PUT',
    path: `${BASE}/companies/${COMPANY_ID_ENCODED}/connections/${CONNECTION_ID_ENCODED}/authorization`,
    body: { apiKey: 'chg_secret_key_123', subdomain: 'acme', region: 'US' },
    reply: CONNECTION_JSON,
    expected: CONNECTION,
    run: (c, signal) => c.authorize(CONNECTION_ID, CREDENTIALS, signal),
  },
  {
    name: 'getConnection',
    method: 'GET',
    path: `${BASE}/companies/${COMPANY_ID_ENCODED}/connections/${CONNECTION_ID_ENCODED}`,
    body: undefined,
    reply: CONNECTION_JSON,
    expected: CONNECTION,
    run: (c, signal) => getConnection(c, CONNECTION_ID, signal),
  },
  {
    name: 'unlinkConnection',
    method: 'PATCH',
    path: `${BASE}/companies/${COMPANY_ID_ENCODED}/connections/${CONNECTION_ID_ENCODED}`,
    body: { status: 'Unlinked' },
    reply: { ...CONNECTION_JSON, status: 'Unlinked' },
    expected: { ...CONNECTION, status: 'Unlinked' },
    run: (c, signal) => unlinkConnection(c, CONNECTION_ID, signal),
  },
];

const OK_CONNECTION = () => HttpResponse.json({ ...CONNECTION_JSON, status: 'PendingAuth', connectionInfo: {} });
const OK_INTEGRATIONS = () => HttpResponse.json({ results: [INTEGRATION_JSON] });

// ---------------------------------------------------------------------------

describe('BackendClient', () => {
  before(async () => {
    await worker.start({ quiet: true, onUnhandledRequest: 'bypass' });
  });

  afterEach(() => {
    worker.resetHandlers();
    for (const controller of openStreams.splice(0)) {
      try {
        controller.close();
      } catch {
        // already closed or cancelled
      }
    }
  });

  after(() => {
    worker.stop();
  });

  describe('requests: paths, bodies and parsed results', () => {
    for (const call of CALLS) {
      it(`${call.name} sends ${call.method} ${call.path.replace(BASE, '')} and returns the parsed answer`, async () => {
        const received = backend(() => HttpResponse.json(call.reply as Record<string, unknown>));
        const result = await call.run(client({ companyId: COMPANY_ID }));

        expect(received).to.have.length(1);
        expect(received[0]!.method).to.equal(call.method);
        expect(received[0]!.path).to.equal(call.path);
        expect(received[0]!.body).to.deep.equal(call.body);
        expect(result).to.deep.equal(call.expected);
      });
    }

    it('authorize sends exactly apiKey, subdomain and region, whatever else the credentials object holds', async () => {
      const received = backend(() => HttpResponse.json(CONNECTION_JSON));
      const credentials = { ...CREDENTIALS, password: 'hunter2', keyId: 'key_9' } as ChargifyCredentials;
      await client().authorize('conn_1', credentials);

      expect(received[0]!.body).to.deep.equal({ apiKey: 'chg_secret_key_123', subdomain: 'acme', region: 'US' });
    });

    it('joins a base URL with trailing slashes without doubling them', async () => {
      const received = backend(OK_INTEGRATIONS);
      await client({ baseUrl: `${BASE}//` }).listIntegrations();

      expect(received.map((r) => r.path)).to.deep.equal([`${BASE}/integrations`]);
    });

    it('works with an absolute base URL from checkBackendUrl', async () => {
      const received = backend(OK_INTEGRATIONS);
      const baseUrl = checkBackendUrl(`${BASE}/`, location.href);
      await client({ baseUrl }).listIntegrations();

      expect(baseUrl).to.equal(`${location.origin}${BASE}`);
      expect(received.map((r) => r.path)).to.deep.equal([`${BASE}/integrations`]);
    });
  });

  describe('headers', () => {
    for (const call of CALLS) {
      const mutating = call.method !== 'GET';
      it(`${call.name} sends bearer auth and a correlation id${mutating ? ', an idempotency key and a JSON content type' : ''}, nothing else`, async () => {
        const received = backend(() => HttpResponse.json(call.reply as Record<string, unknown>));
        await call.run(client());

        expect(received).to.have.length(1);
        const { headers } = received[0]!;
        const expected = ['accept', 'authorization', 'x-correlation-id'];
        if (mutating) expected.push('content-type', 'idempotency-key');
        // `accept: */*` is the browser's default; everything else is ours.
        expect(Object.keys(headers).sort()).to.deep.equal(expected.sort());
        expect(headers.accept).to.equal('*/*');
        expect(headers.authorization).to.equal('Bearer tok_old');
        expect(headers['x-correlation-id']).to.be.a('string').and.not.be.empty;
        if (mutating) {
          expect(headers['idempotency-key']).to.match(UUID_V4);
          expect(headers['content-type']).to.equal('application/json');
          expect(headers['idempotency-key']).to.not.equal(headers['x-correlation-id']);
        }
      });
    }

    it('sends no Authorization header when there is no session token', async () => {
      const received = backend(OK_INTEGRATIONS);
      await client({ sessionToken: undefined }).listIntegrations();

      expect(received[0]!.headers).to.not.have.property('authorization');
      expect(Object.keys(received[0]!.headers).sort()).to.deep.equal(['accept', 'x-correlation-id']);
    });

    it('uses a token set on the client after construction', async () => {
      const received = backend(OK_INTEGRATIONS);
      const backendClient = client();
      backendClient.sessionToken = 'tok_new';
      await backendClient.listIntegrations();

      expect(received[0]!.headers.authorization).to.equal('Bearer tok_new');
    });

    it('sends no cookies, no referrer and bypasses the HTTP cache', async () => {
      const received = backend(OK_INTEGRATIONS);
      await client().listIntegrations();

      expect(received[0]!.credentials).to.equal('omit');
      expect(received[0]!.referrerPolicy).to.equal('no-referrer');
      expect(received[0]!.cache).to.equal('no-store');
      expect(received[0]!.headers).to.not.have.property('referer');
    });

    it('gives every call its own correlation id and every mutating call its own idempotency key', async () => {
      const received = backend(OK_CONNECTION);
      const backendClient = client();
      await backendClient.createConnection('chargify');
      await backendClient.createConnection('chargify');

      expect(received).to.have.length(2);
      expect(received[0]!.headers['idempotency-key']).to.not.equal(received[1]!.headers['idempotency-key']);
      expect(received[0]!.headers['x-correlation-id']).to.not.equal(received[1]!.headers['x-correlation-id']);
    });
  });

  describe('retries', () => {
    const FAILURES: Array<{ name: string; reply: () => Response; code: ConduitErrorCode }> = [
      { name: 'a network error', reply: () => HttpResponse.error(), code: 'network' },
      { name: '502', reply: () => codatError(502), code: 'server_error' },
      { name: '503', reply: () => codatError(503), code: 'server_error' },
      { name: '504', reply: () => codatError(504), code: 'server_error' },
      { name: '429', reply: () => codatError(429), code: 'rate_limited' },
    ];

    for (const failure of FAILURES) {
      it(`retries ${failure.name} with the same idempotency key and correlation id, and succeeds`, async () => {
        const received = backend(sequence(failure.reply, failure.reply, OK_CONNECTION));
        const connection = await client().createConnection('chargify');

        expect(connection.status).to.equal('PendingAuth');
        expect(received).to.have.length(3);
        const keys = new Set(received.map((r) => r.headers['idempotency-key']));
        const ids = new Set(received.map((r) => r.headers['x-correlation-id']));
        expect(keys.size).to.equal(1);
        expect(ids.size).to.equal(1);
        expect([...keys][0]).to.match(UUID_V4);
        expect(received.map((r) => r.body)).to.deep.equal(Array(3).fill({ platformKey: 'chargify' }));
      });

      it(`gives up on ${failure.name} after maxRetries retries with code ${failure.code}`, async () => {
        const received = backend(failure.reply);
        const error = await rejection(client().createConnection('chargify'));

        expect(received).to.have.length(3); // the first attempt + maxRetries (2, the default)
        expect(error.code).to.equal(failure.code);
        expect(error.userRecoverable).to.equal(true);
        expect(error.correlationId).to.equal(received[0]!.headers['x-correlation-id']);
      });
    }

    it('retries a GET the same way (without an idempotency key)', async () => {
      const received = backend(sequence(() => codatError(503), OK_INTEGRATIONS));
      const integrations = await client().listIntegrations();

      expect(integrations).to.deep.equal([INTEGRATION]);
      expect(received).to.have.length(2);
      expect(received.every((r) => !('idempotency-key' in r.headers))).to.equal(true);
      expect(received[0]!.headers['x-correlation-id']).to.equal(received[1]!.headers['x-correlation-id']);
    });

    it('honours maxRetries: 0 (one attempt) and maxRetries: 4 (five attempts)', async () => {
      const none = backend(() => codatError(503));
      await rejection(client({ maxRetries: 0 }).listIntegrations());
      expect(none).to.have.length(1);

      worker.resetHandlers();
      const four = backend(() => HttpResponse.error());
      const error = await rejection(client({ maxRetries: 4 }).listIntegrations());
      expect(four).to.have.length(5);
      expect(error.code).to.equal('network');
    });

    it('a new call after a failed one gets a new idempotency key and correlation id', async () => {
      const received = backend(sequence(() => codatError(503), () => codatError(503), () => codatError(503), OK_CONNECTION));
      const backendClient = client();
      await rejection(backendClient.createConnection('chargify'));
      await backendClient.createConnection('chargify');

      expect(received).to.have.length(4);
      expect(received[3]!.headers['idempotency-key']).to.match(UUID_V4);
      expect(received[3]!.headers['idempotency-key']).to.not.equal(received[0]!.headers['idempotency-key']);
      expect(received[3]!.headers['x-correlation-id']).to.not.equal(received[0]!.headers['x-correlation-id']);
    });

    for (const status of [500, 400, 403, 404, 409, 422]) {
      it(`does not retry ${status}`, async () => {
        const received = backend(() => codatError(status));
        const error = await rejection(client().createConnection('chargify'));

        expect(received).to.have.length(1);
        expect(error.status).to.equal(status);
      });
    }

    it('backs off exponentially between attempts (retryBaseMs)', async () => {
      const received = backend(sequence(() => codatError(503), () => codatError(503), OK_INTEGRATIONS));
      await client({ retryBaseMs: 200 }).listIntegrations();

      expect(received).to.have.length(3);
      // Full jitter over the upper half: [base/2, base], then [base, 2·base]; a little slack for timers.
      const first = received[1]!.at - received[0]!.at;
      const second = received[2]!.at - received[1]!.at;
      expect(first).to.be.within(90, 1000);
      expect(second).to.be.within(190, 1500);
    });

    // A Retry-After the client may wait out (at most maxAutoRetryAfterSeconds, 5 s by default) replaces its own backoff.
    const WAITED: Array<{ name: string; reply: () => Response; options: Partial<BackendClientOptions>; gap: [number, number] }> = [
      { name: 'waits out a short Retry-After instead of its own backoff', reply: () => codatError(429, {}, { 'Retry-After': '1' }), options: {}, gap: [950, 3000] },
      { name: 'retries at once on Retry-After: 0', reply: () => codatError(503, {}, { 'Retry-After': '0' }), options: { retryBaseMs: 2000 }, gap: [0, 500] },
      {
        name: 'waits a Retry-After equal to maxAutoRetryAfterSeconds',
        reply: () => codatError(429, {}, { 'Retry-After': '1' }),
        options: { maxAutoRetryAfterSeconds: 1 },
        gap: [950, 3000],
      },
    ];
    for (const { name, reply, options, gap } of WAITED) {
      it(name, async () => {
        const received = backend(sequence(reply, OK_INTEGRATIONS));
        await client(options).listIntegrations();

        expect(received).to.have.length(2);
        expect(received[1]!.at - received[0]!.at).to.be.within(...gap);
      });
    }

    // A longer one, or one on the backend's own limit of key attempts (a retry the user did not ask
    // for would be one more attempt), goes to the caller at once, to count down.
    const HANDED_OVER: Array<{
      name: string;
      reply: () => Response;
      run: (c: BackendClient) => Promise<unknown>;
      options?: Partial<BackendClientOptions>;
      code: ConduitErrorCode;
      status: number;
      retryAfter: [number, number];
    }> = [
      {
        name: 'hands a Retry-After longer than maxAutoRetryAfterSeconds to the caller as rate_limited',
        reply: () => codatError(429, { detailedErrorCode: 10007, error: 'Chargify is throttling requests.' }, { 'Retry-After': '2' }),
        run: (c) => c.createConnection('chargify'),
        options: { maxAutoRetryAfterSeconds: 1 },
        code: 'rate_limited',
        status: 429,
        retryAfter: [2, 2],
      },
      {
        name: 'does not wait out a long Retry-After by default (60 s > 5 s)',
        reply: () => codatError(429, {}, { 'Retry-After': '60' }),
        run: (c) => c.listIntegrations(),
        code: 'rate_limited',
        status: 429,
        retryAfter: [60, 60],
      },
      {
        name: 'hands over a long Retry-After on 503 as upstream_unavailable',
        reply: () => codatError(503, { detailedErrorCode: 10008 }, { 'Retry-After': '120' }),
        run: (c) => c.listIntegrations(),
        code: 'upstream_unavailable',
        status: 503,
        retryAfter: [120, 120],
      },
      {
        name: 'reads Retry-After as an HTTP date',
        reply: () => codatError(429, {}, { 'Retry-After': new Date(Date.now() + 3600_000).toUTCString() }),
        run: (c) => c.listIntegrations(),
        code: 'rate_limited',
        status: 429,
        retryAfter: [3590, 3601],
      },
      {
        name: 'never retries too_many_attempts by itself, even with a Retry-After short enough to wait out',
        reply: () => codatError(429, { detailedErrorCode: 10011 }, { 'Retry-After': '1' }),
        run: (c) => c.authorize('conn_1', CREDENTIALS),
        code: 'too_many_attempts',
        status: 429,
        retryAfter: [1, 1],
      },
    ];
    for (const row of HANDED_OVER) {
      it(row.name, async () => {
        const received = backend(row.reply);
        const started = performance.now();
        const error = await rejection(row.run(client(row.options)));

        expect(performance.now() - started).to.be.below(800);
        expect(received).to.have.length(1);
        expect(error.code).to.equal(row.code);
        expect(error.retryAfter).to.be.within(...row.retryAfter);
        expect(error.status).to.equal(row.status);
        expect(error.userRecoverable).to.equal(true);
      });
    }

    it('keeps the last Retry-After on the error when the retries run out', async () => {
      const received = backend(() => codatError(429, {}, { 'Retry-After': '0' }));
      const error = await rejection(client({ maxRetries: 1 }).listIntegrations());

      expect(received).to.have.length(2);
      expect(error.code).to.equal('rate_limited');
      expect(error.retryAfter).to.equal(0);
    });
  });

  describe('401 and the session token refresh', () => {
    it('refreshes once and replays with the new token, the same idempotency key and correlation id', async () => {
      const received = backend(sequence(() => codatError(401), OK_CONNECTION));
      let refreshes = 0;
      const backendClient = client({
        fetchSessionToken: async () => {
          refreshes++;
          return 'tok_new';
        },
      });
      const connection = await backendClient.createConnection('chargify');

      expect(connection.status).to.equal('PendingAuth');
      expect(refreshes).to.equal(1);
      expect(received).to.have.length(2);
      expect(received.map((r) => r.headers.authorization)).to.deep.equal(['Bearer tok_old', 'Bearer tok_new']);
      expect(received[1]!.headers['idempotency-key']).to.equal(received[0]!.headers['idempotency-key']);
      expect(received[1]!.headers['x-correlation-id']).to.equal(received[0]!.headers['x-correlation-id']);
      expect(received[1]!.body).to.deep.equal({ platformKey: 'chargify' });
      expect(backendClient.sessionToken).to.equal('tok_new');
    });

    it('keeps using the refreshed token for later calls without refreshing again', async () => {
      const received = backend(sequence(() => codatError(401), OK_INTEGRATIONS));
      let refreshes = 0;
      const backendClient = client({ fetchSessionToken: async () => `tok_${++refreshes}` });
      await backendClient.listIntegrations();
      await backendClient.listIntegrations();

      expect(refreshes).to.equal(1);
      expect(received.map((r) => r.headers.authorization)).to.deep.equal(['Bearer tok_old', 'Bearer tok_1', 'Bearer tok_1']);
    });

    // No usable token after a 401: the session has ended; the user cannot fix that here.
    const EXPIRED: Array<{
      name: string;
      reply: Reply;
      fetchSessionToken?: () => Promise<string>;
      requests: number;
      correlationId?: 'corr-401' | 'sent';
    }> = [
      {
        name: 'a second 401 is session_expired, after exactly one refresh',
        reply: () => codatError(401, { correlationId: 'corr-401' }),
        fetchSessionToken: async () => 'tok_new',
        requests: 2,
        correlationId: 'corr-401',
      },
      { name: 'without fetchSessionToken a 401 is session_expired at once', reply: () => codatError(401), requests: 1 },
      {
        name: 'a rejecting fetchSessionToken is session_expired, with no replay',
        reply: sequence(() => codatError(401), OK_CONNECTION),
        fetchSessionToken: async () => {
          throw new Error('token endpoint down');
        },
        requests: 1,
        correlationId: 'sent',
      },
      {
        name: 'an empty token from fetchSessionToken is session_expired, with no replay',
        reply: sequence(() => codatError(401), OK_CONNECTION),
        fetchSessionToken: async () => '',
        requests: 1,
      },
    ];
    for (const row of EXPIRED) {
      it(row.name, async () => {
        const received = backend(row.reply);
        let refreshes = 0;
        const fetchSessionToken = row.fetchSessionToken && (() => (refreshes++, row.fetchSessionToken!()));
        const error = await rejection(client({ fetchSessionToken }).createConnection('chargify'));

        expect(refreshes).to.equal(row.fetchSessionToken ? 1 : 0);
        expect(received).to.have.length(row.requests);
        expect(error.code).to.equal('session_expired');
        expect(error.status).to.equal(401);
        expect(error.userRecoverable).to.equal(false);
        expect(error.message).to.not.include('token endpoint down');
        if (row.correlationId) {
          expect(error.correlationId).to.equal(row.correlationId === 'sent' ? received[0]!.headers['x-correlation-id'] : row.correlationId);
        }
      });
    }

    it('parallel calls that both get 401 share one refresh', async () => {
      const received = backend((request) =>
        request.headers.authorization === 'Bearer tok_new' ? OK_INTEGRATIONS() : codatError(401),
      );
      let refreshes = 0;
      let release!: (token: string) => void;
      const backendClient = client({
        fetchSessionToken: () => {
          refreshes++;
          return new Promise<string>((resolve) => (release = resolve));
        },
      });
      const calls = Promise.all([backendClient.listIntegrations(), backendClient.listIntegrations()]);
      await arrived(received, 2);
      await delay(50); // both 401s are in before the token endpoint answers
      release('tok_new');
      const results = await calls;

      expect(results).to.deep.equal([[INTEGRATION], [INTEGRATION]]);
      expect(refreshes).to.equal(1);
      expect(received).to.have.length(4);
      expect(received.slice(2).map((r) => r.headers.authorization)).to.deep.equal(['Bearer tok_new', 'Bearer tok_new']);
    });

    it('parallel calls share one refresh even when the second 401 arrives after the refresh finished', async () => {
      // Both requests go out with tok_old; the second 401 comes back 150 ms later,
      // when the first call has already refreshed. The new token is there: replay, do not refresh again.
      const received = backend(async (request, index) => {
        if (request.headers.authorization === 'Bearer tok_old') {
          if (index === 1) await delay(150);
          return codatError(401);
        }
        return OK_INTEGRATIONS();
      });
      let refreshes = 0;
      const backendClient = client({ fetchSessionToken: async () => `tok_${++refreshes}` });
      const results = await Promise.all([backendClient.listIntegrations(), backendClient.listIntegrations()]);

      expect(results).to.deep.equal([[INTEGRATION], [INTEGRATION]]);
      expect(refreshes, 'calls to fetchSessionToken').to.equal(1);
      expect(received.filter((r) => r.headers.authorization === 'Bearer tok_old')).to.have.length(2);
    });
  });

  describe('timeouts', () => {
    it('waits 40 s by default: longer than the 30 s the backend gives Chargify, so the backend’s verdict comes first', async () => {
      const received = backend(async () => {
        await delay('infinite');
        return OK_INTEGRATIONS();
      });
      // Time runs fast for this test: a timer of 20 s or more fires after 150 ms, as the other timeout tests' do.
      const realSetTimeout = window.setTimeout;
      window.setTimeout = ((handler: TimerHandler, ms?: number, ...args: unknown[]) =>
        realSetTimeout(handler, (ms ?? 0) >= 20_000 ? 150 : ms, ...args)) as typeof window.setTimeout;
      try {
        const error = await rejection(new BackendClient({ baseUrl: BASE, companyId: 'co_123', sessionToken: 'tok_old' }).listIntegrations());
        expect(error.code).to.equal('timeout');
        expect(error.message).to.equal('No answer from the backend within 40000 ms.');
        expect(received).to.have.length(1);
      } finally {
        window.setTimeout = realSetTimeout;
      }
    });

    const NEVER_ANSWERS: Reply = async () => {
      await delay('infinite');
      return OK_CONNECTION();
    };
    const NOT_RETRIED: Array<{ name: string; reply: Reply; run: (c: BackendClient) => Promise<unknown>; timeoutMs: number; requests: number }> = [
      {
        name: 'gives up on a backend that never answers with code timeout, and does not retry',
        reply: NEVER_ANSWERS,
        run: (c) => c.listIntegrations(),
        timeoutMs: 100,
        requests: 1,
      },
      {
        name: 'does not retry a timed-out mutation (the backend may still be doing it)',
        reply: NEVER_ANSWERS,
        run: (c) => c.authorize('conn_1', CREDENTIALS),
        timeoutMs: 100,
        requests: 1,
      },
      {
        name: 'times out a retry attempt that hangs, after the earlier attempt failed',
        reply: sequence(() => codatError(503), NEVER_ANSWERS as () => Promise<Response>),
        run: (c) => c.listIntegrations(),
        timeoutMs: 150,
        requests: 2,
      },
    ];
    for (const row of NOT_RETRIED) {
      it(row.name, async () => {
        const received = backend(row.reply);
        const started = performance.now();
        const error = await rejection(row.run(client({ timeoutMs: row.timeoutMs })));
        const elapsed = performance.now() - started;

        expect(error.code).to.equal('timeout');
        expect(error.userRecoverable).to.equal(true);
        expect(error.correlationId).to.equal(received[0]!.headers['x-correlation-id']);
        expect(elapsed).to.be.within(row.timeoutMs - 10, 1500);
        await delay(200); // no retry shows up later either
        expect(received).to.have.length(row.requests);
      });
    }

    it('applies the timeout per attempt, not to the whole call', async () => {
      const slow503 = async () => {
        await delay(250);
        return codatError(503);
      };
      const received = backend(sequence(slow503, slow503, OK_INTEGRATIONS));
      const integrations = await client({ timeoutMs: 600 }).listIntegrations();

      expect(integrations).to.deep.equal([INTEGRATION]);
      expect(received).to.have.length(3);
    });

    it('times out a response whose body never finishes', async () => {
      const received = backend(() => stalledBody('{"results": ['));
      const error = await within(2000, rejection(client({ timeoutMs: 100 }).listIntegrations()));

      expect(error.code).to.equal('timeout');
      expect(received).to.have.length(1);
    });
  });

  describe('abort', () => {
    it('aborting mid-request rejects with aborted and sends nothing more', async () => {
      const received = backend(async () => {
        await delay('infinite');
        return OK_CONNECTION();
      });
      const controller = new AbortController();
      const call = client().createConnection('chargify', controller.signal);
      await arrived(received, 1);
      controller.abort();
      const error = await within(1000, rejection(call));

      expect(error.code).to.equal('aborted');
      expect(error.userRecoverable).to.equal(false);
      expect(error.correlationId).to.equal(received[0]!.headers['x-correlation-id']);
      await delay(100);
      expect(received).to.have.length(1);
    });

    it('an already aborted signal sends no request at all', async () => {
      const received = backend(OK_INTEGRATIONS);
      const error = await rejection(client().listIntegrations(AbortSignal.abort()));

      expect(error.code).to.equal('aborted');
      expect(received).to.have.length(0);
    });

    const WAITS: Array<{ name: string; reply: () => Response; options: Partial<BackendClientOptions> }> = [
      // A backoff of at least 1 s.
      { name: 'a backoff wait', reply: () => codatError(503), options: { retryBaseMs: 2000 } },
      { name: 'a Retry-After wait', reply: () => codatError(429, {}, { 'Retry-After': '1' }), options: {} },
    ];
    for (const { name, reply, options } of WAITS) {
      it(`aborting during ${name} stops further requests`, async () => {
        const received = backend(reply);
        const controller = new AbortController();
        const started = performance.now();
        const call = client(options).listIntegrations(controller.signal);
        await arrived(received, 1);
        await delay(50);
        controller.abort();
        const error = await within(500, rejection(call));

        expect(error.code).to.equal('aborted');
        expect(performance.now() - started, 'did not sit out the wait').to.be.below(900);
        await delay(1200); // longer than the wait would have been
        expect(received).to.have.length(1);
      });
    }

    it('aborting while the response body is still arriving rejects with aborted', async () => {
      const received = backend(() => stalledBody('{"results": ['));
      const controller = new AbortController();
      const call = client().listIntegrations(controller.signal);
      await arrived(received, 1);
      await delay(100);
      controller.abort();
      const error = await within(1000, rejection(call));

      expect(error.code).to.equal('aborted');
    });
  });

  describe('a response body that breaks in transit', () => {
    it('a 200 whose body fails mid-stream is a ConduitError (network), not a raw TypeError', async () => {
      const received = backend(() => brokenBody('{"results": ['));
      const error = await within(2000, rejection(client({ maxRetries: 0 }).listIntegrations()));

      expect(error.code).to.equal('network');
      expect(received).to.have.length(1);
    });

    it('an error response whose body fails mid-stream is a network failure, retried with the same key', async () => {
      const received = backend(() => brokenBody('{"statusCode": 400, "detailedErrorCode": 10002', 400));
      const error = await within(2000, rejection(client().authorize('conn_1', CREDENTIALS)));

      // Half an answer is no verdict on the key: the attempt is retried like any broken connection.
      expect(error.code).to.equal('network');
      expect(received).to.have.length(3);
      expect(new Set(received.map((request) => request.headers['idempotency-key'])).size).to.equal(1);
    });
  });

  describe('offline (navigator.onLine emulated)', () => {
    // Chromium's own offline switch is not reachable from a test file; an own
    // `onLine` property on navigator shadows the real getter and is removed after.
    function setOnline(value: boolean): void {
      Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => value });
    }
    afterEach(() => {
      delete (navigator as unknown as Record<string, unknown>).onLine;
    });

    it('an offline browser gets code offline and sends nothing', async () => {
      const received = backend(OK_INTEGRATIONS);
      setOnline(false);
      const error = await rejection(client().listIntegrations());

      expect(error.code).to.equal('offline');
      expect(error.userRecoverable).to.equal(true);
      expect(received).to.have.length(0);
    });

    it('going offline mid-request gives offline, with no retry', async () => {
      const received = backend(() => {
        setOnline(false);
        return HttpResponse.error();
      });
      const error = await rejection(client().listIntegrations());

      expect(error.code).to.equal('offline');
      expect(received).to.have.length(1);
    });
  });

  describe('response validation', () => {
    const SECRET_MARKER = 'leaked-body-marker-7f3a';
    const BAD_BODIES: Array<{ name: string; reply: () => Response; run: (c: BackendClient) => Promise<unknown> }> = [
      {
        name: 'an HTML page',
        reply: () => HttpResponse.html(`<!doctype html><title>Proxy</title><p>${SECRET_MARKER}</p>`),
        run: (c) => c.listIntegrations(),
      },
      {
        name: 'invalid JSON',
        reply: () => new HttpResponse(`{"results": [{"key": "${SECRET_MARKER}"`, { headers: { 'Content-Type': 'application/json' } }),
        run: (c) => c.listIntegrations(),
      },
      { name: 'an empty body', reply: () => new HttpResponse(null, { status: 200 }), run: (c) => c.getCompany() },
      { name: '{results: "x"}', reply: () => HttpResponse.json({ results: SECRET_MARKER }), run: (c) => c.listIntegrations() },
      { name: 'a bare array', reply: () => HttpResponse.json([INTEGRATION_JSON]), run: (c) => c.listIntegrations() },
      {
        name: 'an integration without a name',
        reply: () => HttpResponse.json({ results: [INTEGRATION_JSON, { key: SECRET_MARKER, logoUrl: '' }] }),
        run: (c) => c.listIntegrations(),
      },
      {
        name: 'a connection without a status',
        reply: () => HttpResponse.json({ results: [{ ...CONNECTION_JSON, id: SECRET_MARKER, status: undefined }] }),
        run: (c) => c.listConnections(),
      },
      {
        name: 'a connection with an unknown status',
        reply: () => HttpResponse.json({ ...CONNECTION_JSON, status: SECRET_MARKER }),
        run: (c) => getConnection(c, 'conn_1'),
      },
      {
        name: 'a connection without an id',
        reply: () => HttpResponse.json({ ...CONNECTION_JSON, id: 42, platformName: SECRET_MARKER }),
        run: (c) => c.createConnection('chargify'),
      },
      { name: 'a company without a name', reply: () => HttpResponse.json({ id: SECRET_MARKER }), run: (c) => c.getCompany() },
      { name: 'null', reply: () => HttpResponse.json(null), run: (c) => getConnection(c, 'conn_1') },
    ];

    for (const bad of BAD_BODIES) {
      it(`a 200 with ${bad.name} is bad_response, without the raw body`, async () => {
        const received = backend(bad.reply);
        const error = await rejection(bad.run(client()));

        expect(error.code).to.equal('bad_response');
        expect(error.status).to.equal(200);
        // A garbled answer may be a passing fault: the user may try again.
        expect(error.userRecoverable).to.equal(true);
        expect(error.message).to.not.include(SECRET_MARKER);
        expect(String(error)).to.not.include(SECRET_MARKER);
        expect(JSON.stringify(error)).to.not.include(SECRET_MARKER);
        expect(received).to.have.length(1);
      });
    }

    it('bad_response carries the correlation id from the response header, else the one sent', async () => {
      backend(() => HttpResponse.html('<p>nope</p>', { headers: { 'X-Correlation-Id': 'corr-from-header' } }));
      const fromHeader = await rejection(client().listIntegrations());
      expect(fromHeader.correlationId).to.equal('corr-from-header');

      worker.resetHandlers();
      const received = backend(() => HttpResponse.html('<p>nope</p>'));
      const fromRequest = await rejection(client().listIntegrations());
      expect(fromRequest.correlationId).to.equal(received[0]!.headers['x-correlation-id']);
    });

    it('drops fields the backend should not have sent', async () => {
      backend(() =>
        HttpResponse.json({
          ...CONNECTION_JSON,
          internalNote: 'x',
          credentials: { password: 'hunter2' },
          connectionInfo: { ...CONNECTION_INFO, password: 'hunter2', region: 'Mars' },
        }),
      );
      const connection = await client().authorize('conn_1', CREDENTIALS);

      const { region: _region, ...infoWithoutRegion } = CONNECTION_INFO;
      expect(connection).to.deep.equal({ ...CONNECTION, connectionInfo: infoWithoutRegion });
      expect(JSON.stringify(connection)).to.not.include('hunter2');
    });

    it('drops unknown fields from integrations and companies', async () => {
      backend(({ path }) =>
        path.endsWith('/integrations')
          ? HttpResponse.json({ results: [{ ...INTEGRATION_JSON, internalNote: 'x', apiKey: 'k' }], next: 'page2' })
          : HttpResponse.json({ id: 'co_123', name: 'Acme', billingEmail: 'ceo@acme.example' }),
      );
      const backendClient = client();

      expect(await backendClient.listIntegrations()).to.deep.equal([INTEGRATION]);
      expect(await backendClient.getCompany()).to.deep.equal({ id: 'co_123', name: 'Acme' });
    });

    it('keeps a logo only from an https address or the page itself', async () => {
      const logos = ['https://cdn.example/a.svg', '/logos/b.svg', 'http://cdn.example/c.svg', 'javascript:alert(1)', 'data:image/svg+xml,<svg/>'];
      backend(() => HttpResponse.json({ results: logos.map((logoUrl, i) => ({ key: `k${i}`, name: `N${i}`, logoUrl })) }));
      const kept = (await client().listIntegrations()).map((integration) => integration.logoUrl);

      expect(kept).to.deep.equal(['https://cdn.example/a.svg', '/logos/b.svg', '', '', '']);
    });

    it('fills optional fields with safe defaults', async () => {
      backend(({ path }) =>
        path.endsWith('/integrations')
          ? HttpResponse.json({ results: [{ key: 'chargify', name: 'Chargify' }] })
          : HttpResponse.json({ id: 'conn_1', integrationKey: 'chargify', status: 'PendingAuth' }),
      );
      const backendClient = client();

      expect(await backendClient.listIntegrations()).to.deep.equal([
        { key: 'chargify', name: 'Chargify', logoUrl: '', enabled: true, sourceType: '', isBeta: false },
      ]);
      expect(await getConnection(backendClient, 'conn_1')).to.deep.equal({
        id: 'conn_1',
        integrationKey: 'chargify',
        platformName: '',
        sourceType: '',
        status: 'PendingAuth',
        created: '',
        connectionInfo: {},
      });
    });

    it('accepts an empty results list', async () => {
      backend(() => HttpResponse.json({ results: [] }));
      expect(await client().listConnections()).to.deep.equal([]);
    });
  });

  describe('error normalisation (DESIGN §6 error table)', () => {
    const TABLE: Array<{ status: number; detailedErrorCode?: number; code: ConduitErrorCode; userRecoverable: boolean }> = [
      { status: 400, detailedErrorCode: 10001, code: 'invalid_input', userRecoverable: true },
      { status: 400, detailedErrorCode: 10002, code: 'invalid_credentials', userRecoverable: true },
      { status: 400, detailedErrorCode: 10003, code: 'site_not_found', userRecoverable: true },
      { status: 400, detailedErrorCode: 10004, code: 'access_refused', userRecoverable: false },
      { status: 400, detailedErrorCode: 10005, code: 'account_blocked', userRecoverable: false },
      { status: 400, detailedErrorCode: 10006, code: 'site_mismatch', userRecoverable: true },
      { status: 429, detailedErrorCode: 10007, code: 'rate_limited', userRecoverable: true },
      { status: 503, detailedErrorCode: 10008, code: 'upstream_unavailable', userRecoverable: true },
      { status: 409, detailedErrorCode: 10009, code: 'conflict', userRecoverable: false },
      { status: 503, detailedErrorCode: 10010, code: 'upstream_unavailable', userRecoverable: true },
      { status: 429, detailedErrorCode: 10011, code: 'too_many_attempts', userRecoverable: true },
      { status: 401, code: 'session_expired', userRecoverable: false },
      { status: 404, code: 'not_found', userRecoverable: false },
    ];

    for (const row of TABLE) {
      const label = row.detailedErrorCode ? `${row.status} / ${row.detailedErrorCode}` : `${row.status}`;
      const correlationId = `corr-${row.status}-${row.detailedErrorCode ?? 'none'}`;
      it(`${label} → ${row.code} (user can fix it: ${row.userRecoverable})`, async () => {
        const received = backend(() =>
          codatError(row.status, {
            detailedErrorCode: row.detailedErrorCode,
            error: `Server says ${row.code}.`,
            correlationId,
          }),
        );
        // No retries and no refresh, so each row is one request and one verdict.
        const error = await rejection(client({ maxRetries: 0 }).authorize('conn_1', CREDENTIALS));

        expect(received).to.have.length(1);
        expect(error.code).to.equal(row.code);
        expect(error.userRecoverable).to.equal(row.userRecoverable);
        expect(error.status).to.equal(row.status);
        expect(error.correlationId).to.equal(correlationId);
        expect(error.message).to.equal(`Server says ${row.code}.`);
        expect(error.regionHint).to.equal(null);
        expect(error.validation).to.deep.equal([]);
        // Kept, so that failures sharing a code (10008 and 10010) can be told apart.
        expect(error.detailedErrorCode).to.equal(row.detailedErrorCode ?? null);
      });
    }

    it('the detailed code wins over the status', async () => {
      backend(() => codatError(503, { detailedErrorCode: 10003 }));
      const error = await rejection(client({ maxRetries: 0 }).listIntegrations());
      expect(error.code).to.equal('site_not_found');
      expect(error.status).to.equal(503);
    });

    const BY_STATUS: Array<[number, ConduitErrorCode]> = [
      [400, 'invalid_input'],
      [413, 'invalid_input'],
      [422, 'invalid_input'],
      [403, 'session_expired'],
      [409, 'conflict'],
      [500, 'server_error'],
    ];
    for (const [status, code] of BY_STATUS) {
      it(`falls back to the status without a known detailed code: ${status} → ${code}`, async () => {
        backend(() => codatError(status, { detailedErrorCode: 99999 }));
        const error = await rejection(client().listIntegrations());
        expect(error.code).to.equal(code);
        expect(error.status).to.equal(status);
      });
    }

    const CORRELATION: Array<{ name: string; body: Record<string, unknown>; header?: string; expected: string | 'sent' }> = [
      { name: 'takes the correlation id from the body first', body: { correlationId: 'corr-body' }, header: 'corr-header', expected: 'corr-body' },
      { name: 'then from the X-Correlation-Id header', body: {}, header: 'corr-header', expected: 'corr-header' },
      { name: 'else the one it sent', body: { correlationId: 42 }, expected: 'sent' },
    ];
    for (const row of CORRELATION) {
      it(row.name, async () => {
        const received = backend(() => codatError(404, row.body, row.header ? { 'X-Correlation-Id': row.header } : {}));
        const error = await rejection(getConnection(client(), 'conn_1'));
        expect(error.correlationId).to.equal(row.expected === 'sent' ? received[0]!.headers['x-correlation-id'] : row.expected);
      });
    }

    for (const [region, regionHint] of [
      ['EU', 'EU'],
      ['US', 'US'],
      ['APAC', null],
    ] as const) {
      it(`site_not_found ${regionHint ? `carries hint.region ${region} as regionHint` : `ignores a hint.region that is not US or EU (${region})`}`, async () => {
        backend(() => codatError(400, { detailedErrorCode: 10003, hint: { region } }));
        const error = await rejection(client().authorize('conn_1', CREDENTIALS));
        expect(error.code).to.equal('site_not_found');
        expect(error.regionHint).to.equal(regionHint);
      });
    }

    it('keeps well-formed validation errors and drops the rest', async () => {
      backend(() =>
        codatError(400, {
          detailedErrorCode: 10001,
          validation: {
            errors: [
              { itemId: 'subdomain', message: 'Subdomain is required.' },
              { itemId: 'apiKey' },
              null,
              'oops',
              { itemId: 'region', message: 'Region must be US or EU.', extra: true },
            ],
            warnings: [{ itemId: 'w', message: 'a warning' }],
          },
        }),
      );
      const error = await rejection(client().authorize('conn_1', CREDENTIALS));

      expect(error.code).to.equal('invalid_input');
      expect(error.validation.map((item) => ({ itemId: item.itemId, message: item.message }))).to.deep.equal([
        { itemId: 'subdomain', message: 'Subdomain is required.' },
        { itemId: 'region', message: 'Region must be US or EU.' },
      ]);
    });

    it('treats a malformed validation block as no validation', async () => {
      backend(() => codatError(400, { detailedErrorCode: 10001, validation: { errors: 'subdomain' } }));
      const error = await rejection(client().authorize('conn_1', CREDENTIALS));
      expect(error.validation).to.deep.equal([]);
    });

    it('cuts a very long server message to 200 characters', async () => {
      const long = 'A'.repeat(150) + 'B'.repeat(5000);
      backend(() => codatError(400, { detailedErrorCode: 10001, error: long }));
      const error = await rejection(client().authorize('conn_1', CREDENTIALS));

      expect(error.message).to.have.length(200);
      expect(error.message).to.equal(long.slice(0, 200));
    });

    it('a non-JSON error body gets a generic message, never the raw body', async () => {
      const received = backend(() => new HttpResponse('HTTP Basic: Access denied. leaked-error-body', { status: 400 }));
      const error = await rejection(client().authorize('conn_1', CREDENTIALS));

      expect(error.code).to.equal('invalid_input');
      expect(error.status).to.equal(400);
      expect(error.message).to.equal('The backend answered 400.');
      expect(error.correlationId).to.equal(received[0]!.headers['x-correlation-id']);
    });

    it('a proxy error page after the retries gets a generic message', async () => {
      backend(() => HttpResponse.html('<html><body>502 Bad Gateway leaked-proxy-page</body></html>', { status: 502 }));
      const error = await rejection(client().listIntegrations());

      expect(error.code).to.equal('server_error');
      expect(error.status).to.equal(502);
      expect(error.message).to.not.include('leaked-proxy-page');
    });

    it('never puts the API key it sent into the error', async () => {
      backend(() => codatError(400, { detailedErrorCode: 10002, error: 'Chargify rejected the API key.' }));
      const error = await rejection(client().authorize('conn_1', CREDENTIALS));

      expect(error.code).to.equal('invalid_credentials');
      expect(JSON.stringify(error)).to.not.include(CREDENTIALS.apiKey);
      expect(String(error)).to.not.include(CREDENTIALS.apiKey);
    });
  });
  describe('redirects', () => {
    // Another place under the same origin stands in for wherever a redirect points.
    const ELSEWHERE = '/client-api-elsewhere';

    function redirectTo(status: number, path: string): () => Response {
      return () => new HttpResponse(null, { status, headers: { Location: `${ELSEWHERE}${path}` } });
    }

    for (const status of [301, 302, 303, 307, 308]) {
      it(`authorize: a ${status} is bad_response after one request, and the key never reaches where it points`, async () => {
        const received = backend(redirectTo(status, '/authorization'));
        const reached = backend(() => HttpResponse.json(CONNECTION_JSON), ELSEWHERE);
        const error = await rejection(client().authorize('conn_1', CREDENTIALS));

        expect(reached, 'requests that followed the redirect').to.deep.equal([]);
        expect(received).to.have.length(1);
        expect(error.code).to.equal('bad_response');
        expect(error.message).to.include('backend-url');
        expect(error.message).to.include('final URL');
        expect(error.message).to.not.include(CREDENTIALS.apiKey);
        expect(error.correlationId).to.equal(received[0]!.headers['x-correlation-id']);
      });
    }

    it('a redirected GET is not followed or retried either', async () => {
      const received = backend(redirectTo(302, '/integrations'));
      const reached = backend(OK_INTEGRATIONS, ELSEWHERE);
      const error = await rejection(client().listIntegrations());

      expect(reached).to.deep.equal([]);
      expect(received).to.have.length(1);
      expect(error.code).to.equal('bad_response');
    });
  });

  describe('correlation ids from the backend', () => {
    // The reference backend's rule for an id: 8 to 64 letters, digits and dashes.
    const ACCEPTED = ['abcd1234', 'b1946ac9-2f5c-4d0e-9c1a-7e3c1d2f4a55', 'A'.repeat(64)];
    const REFUSED: Array<[string, string]> = [
      ['too short', 'abc1234'],
      ['too long', 'a'.repeat(65)],
      ['with a space', 'corr 1234'],
      ['with markup', '<img src=x onerror=alert(1)>'],
      ['with an underscore', 'corr_12345'],
      ['with a look-alike letter (Cyrillic а)', 'corr-1234\u0430'],
      ['with a line break', 'corr-1234\nCall 555-0100'],
      ['empty', ''],
    ];

    for (const id of ACCEPTED) {
      it(`accepts ${id.length > 20 ? `${id.slice(0, 12)}… (${id.length} characters)` : id} from the error body and the header`, async () => {
        backend(() => codatError(404, { correlationId: id }));
        expect((await rejection(getConnection(client(), 'conn_1'))).correlationId).to.equal(id);

        worker.resetHandlers();
        backend(() => codatError(404, {}, { 'X-Correlation-Id': id }));
        expect((await rejection(getConnection(client(), 'conn_1'))).correlationId).to.equal(id);
      });
    }

    for (const [what, id] of REFUSED) {
      it(`refuses one ${what} in the error body, and uses its own`, async () => {
        const received = backend(() => codatError(404, { correlationId: id }));
        const error = await rejection(getConnection(client(), 'conn_1'));
        expect(error.correlationId).to.equal(received[0]!.headers['x-correlation-id']);
      });
    }

    // Header values cannot carry a line break or a letter outside Latin-1.
    for (const [what, id] of REFUSED.filter(([, value]) => /^[\x20-\x7e]*$/.test(value))) {
      it(`refuses one ${what} in the X-Correlation-Id header, of an error and of an unreadable answer`, async () => {
        const received = backend(() => codatError(404, {}, { 'X-Correlation-Id': id }));
        const error = await rejection(getConnection(client(), 'conn_1'));
        expect(error.correlationId).to.equal(received[0]!.headers['x-correlation-id']);

        worker.resetHandlers();
        const unreadable = backend(() => HttpResponse.html('<p>nope</p>', { headers: { 'X-Correlation-Id': id } }));
        const badResponse = await rejection(client().listIntegrations());
        expect(badResponse.code).to.equal('bad_response');
        expect(badResponse.correlationId).to.equal(unreadable[0]!.headers['x-correlation-id']);
      });
    }

    it('takes a valid header id when the body id is not one', async () => {
      backend(() => codatError(404, { correlationId: '<b>x</b>' }, { 'X-Correlation-Id': 'corr-header' }));
      const error = await rejection(getConnection(client(), 'conn_1'));
      expect(error.correlationId).to.equal('corr-header');
    });
  });

  describe('the key echoed back', () => {
    const KEY = CREDENTIALS.apiKey;
    const json = (value: unknown) => () => HttpResponse.json(value as Record<string, unknown>);
    const ECHOES: Array<[string, () => Response]> = [
      ['in a field of its own', json({ ...CONNECTION_JSON, apiKey: KEY })],
      ['inside the site name', json({ ...CONNECTION_JSON, connectionInfo: { ...CONNECTION_INFO, siteName: `Acme (${KEY})` } })],
      ['deep in an array', json({ ...CONNECTION_JSON, audit: [{ sent: [null, KEY] }] })],
      ['as a property name', json({ ...CONNECTION_JSON, [KEY]: true })],
      [
        'JSON-escaped, so the raw text does not hold it',
        () =>
          new HttpResponse(JSON.stringify({ ...CONNECTION_JSON, note: KEY }).replace(KEY, `\\u0063${KEY.slice(1)}`), {
            headers: { 'Content-Type': 'application/json' },
          }),
      ],
      [
        'in raw text after the JSON',
        () => new HttpResponse(`${JSON.stringify(CONNECTION_JSON)}\n${KEY}`, { headers: { 'Content-Type': 'application/json' } }),
      ],
    ];

    for (const [where, reply] of ECHOES) {
      it(`authorize: a success answer that holds the key ${where} is bad_response, and none of it is kept`, async () => {
        const received = backend(reply);
        const error = await rejection(client().authorize('conn_1', CREDENTIALS));

        expect(received).to.have.length(1);
        expect(error.code).to.equal('bad_response');
        expect(error.status).to.equal(200);
        expect(error.message).to.include('echoed the API key');
        expect(String(error)).to.not.include(KEY);
        expect(JSON.stringify(error)).to.not.include(KEY);
      });
    }

    it('an error answer that repeats the key keeps none of it: message, validation messages, correlation id', async () => {
      // A key that also passes for a correlation id.
      const key = 'k3yk3yk3y0123456789';
      const received = backend(() =>
        codatError(
          400,
          {
            detailedErrorCode: 10002,
            error: `Chargify rejected the key ${key}.`,
            correlationId: key,
            validation: {
              errors: [
                { itemId: 'apiKey', message: `${key} is not a key` },
                { itemId: 'subdomain', message: 'Subdomain looks fine.' },
              ],
            },
          },
          { 'X-Correlation-Id': key },
        ),
      );
      const error = await rejection(client().authorize('conn_1', { ...CREDENTIALS, apiKey: key }));

      expect(error.code).to.equal('invalid_credentials');
      expect(error.message).to.equal('The backend answered 400.');
      expect(error.correlationId).to.equal(received[0]!.headers['x-correlation-id']);
      expect(error.validation.map((item) => item.itemId), 'which fields were refused is kept').to.deep.equal(['apiKey', 'subdomain']);
      expect(error.validation[1]!.message).to.equal('Subdomain looks fine.');
      expect(JSON.stringify(error)).to.not.include(key);
      expect(String(error)).to.not.include(key);
    });
  });

  describe('lengths of names', () => {
    // Counted in code points, as the backend contract counts lengths.
    const MAX = 100;
    const HUGE = 'N'.repeat(10_000);
    const HUGE_CUT = `${'N'.repeat(MAX)}…`;
    // The 100th code point is an emoji: a cut after 100 UTF-16 units would split it in half.
    const EMOJI = `${'a'.repeat(MAX - 1)}${'😀'.repeat(10)}`;
    const EMOJI_CUT = `${'a'.repeat(MAX - 1)}😀…`;
    const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

    // A failed comparison of 10,000-character strings would bury the report.
    function summary(text: string | undefined): string {
      const points = [...(text ?? '')];
      return `${points.length} code points: ${points.slice(0, 3).join('')}…${points.slice(-3).join('')}`;
    }

    const FIELDS: Array<{ name: string; reply: (value: string) => unknown; read: (c: BackendClient) => Promise<string | undefined> }> = [
      {
        name: 'integration name',
        reply: (value) => ({ results: [{ ...INTEGRATION_JSON, name: value }] }),
        read: async (c) => (await c.listIntegrations())[0]!.name,
      },
      {
        name: 'connection platformName',
        reply: (value) => ({ ...CONNECTION_JSON, platformName: value }),
        read: async (c) => (await getConnection(c, 'conn_1')).platformName,
      },
      {
        name: 'connectionInfo.siteName',
        reply: (value) => ({ ...CONNECTION_JSON, connectionInfo: { ...CONNECTION_INFO, siteName: value } }),
        read: async (c) => (await getConnection(c, 'conn_1')).connectionInfo.siteName,
      },
      {
        name: 'connectionInfo.subdomain',
        reply: (value) => ({ ...CONNECTION_JSON, connectionInfo: { ...CONNECTION_INFO, subdomain: value } }),
        read: async (c) => (await getConnection(c, 'conn_1')).connectionInfo.subdomain,
      },
      {
        name: 'company name',
        reply: (value) => ({ id: 'co_123', name: value }),
        read: async (c) => (await c.getCompany()).name,
      },
    ];

    for (const field of FIELDS) {
      it(`cuts a 10,000-character ${field.name} to ${MAX} characters and an ellipsis`, async () => {
        backend(() => HttpResponse.json(field.reply(HUGE) as Record<string, unknown>));
        const cut = await field.read(client());
        expect(summary(cut)).to.equal(summary(HUGE_CUT));
        expect(cut === HUGE_CUT, 'the first 100 characters, then an ellipsis').to.equal(true);
      });

      it(`cuts a ${field.name} by code points, never inside an emoji`, async () => {
        backend(() => HttpResponse.json(field.reply(EMOJI) as Record<string, unknown>));
        const cut = await field.read(client());
        expect(cut).to.equal(EMOJI_CUT);
        expect(LONE_SURROGATE.test(cut!), 'half an emoji is left').to.equal(false);
      });

      it(`keeps a ${field.name} of exactly ${MAX} code points (${MAX} emoji) whole`, async () => {
        const emoji = '😀'.repeat(MAX);
        backend(() => HttpResponse.json(field.reply(emoji) as Record<string, unknown>));
        expect(await field.read(client())).to.equal(emoji);
      });
    }
  });
});

describe('checkBackendUrl', () => {
  const PAGE = 'https://partner.example/app/settings';

  function refusal(value: string | undefined, base = PAGE): ConduitError {
    try {
      const accepted = checkBackendUrl(value, base);
      throw new Error(`expected ${String(value)} to be refused, but got ${accepted}`);
    } catch (error) {
      expect(error, String(error)).to.be.instanceOf(ConduitError);
      const conduitError = error as ConduitError;
      expect(conduitError.code).to.equal('invalid_config');
      expect(conduitError.userRecoverable).to.equal(false);
      return conduitError;
    }
  }

  const ACCEPTED: Array<[string, string, string]> = [
    ['https://api.partner.example/conduit', PAGE, 'https://api.partner.example/conduit'],
    ['https://api.partner.example/conduit/', PAGE, 'https://api.partner.example/conduit'],
    ['https://api.partner.example', PAGE, 'https://api.partner.example'],
    ['http://localhost:8080/api', PAGE, 'http://localhost:8080/api'],
    ['http://127.0.0.1/api', PAGE, 'http://127.0.0.1/api'],
    ['http://[::1]:3000/api', PAGE, 'http://[::1]:3000/api'],
    ['http://conduit.localhost/api', PAGE, 'http://conduit.localhost/api'],
    ['/api/conduit', PAGE, 'https://partner.example/api/conduit'],
    ['conduit', 'https://partner.example/app/', 'https://partner.example/app/conduit'],
    ['/api', 'http://localhost:8000/demo/', 'http://localhost:8000/api'],
  ];
  for (const [value, base, expected] of ACCEPTED) {
    it(`accepts ${value} (base ${base}) as ${expected}`, () => {
      expect(checkBackendUrl(value, base)).to.equal(expected);
    });
  }

  const REFUSED: Array<[string, string | undefined, string?]> = [
    ['plain http off localhost', 'http://api.partner.example/conduit'],
    ['http on a host that only starts with localhost', 'http://localhost.evil.example/api'],
    ['a relative URL on a plain-http page', '/api', 'http://partner.example/app/'],
    ['credentials (user and password)', 'https://user:s3cret-pass@api.partner.example/'],
    ['credentials (user only)', 'https://user@api.partner.example/'],
    ['credentials (password only)', 'https://:s3cret-pass@api.partner.example/'],
    ['credentials even on localhost', 'http://user:s3cret-pass@localhost:8080/'],
    ['javascript:', 'javascript:alert(1)'],
    ['data:', 'data:text/plain,hello'],
    ['ftp:', 'ftp://files.partner.example/'],
    ['ws:', 'ws://localhost:8080/'],
    ['an empty string', ''],
    ['undefined', undefined],
    ['a URL without a host', 'https://'],
    ['a port out of range', 'https://api.partner.example:99999/'],
    ['a forbidden character in the host', 'https://api<partner.example/'],
    ['an unclosed IPv6 host', 'https://[::1/api'],
  ];
  for (const [name, value, base] of REFUSED) {
    it(`refuses ${name} with invalid_config`, () => {
      refusal(value, base);
    });
  }

  it('refuses garbage when there is no usable base', () => {
    refusal('not a url', 'also not a url');
  });

  it('does not repeat the password in its message', () => {
    const error = refusal('https://user:s3cret-pass@api.partner.example/');
    expect(error.message).to.not.include('s3cret-pass');
  });
});
