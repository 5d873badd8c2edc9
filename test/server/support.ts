import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before } from 'node:test';
import { setupServer, type SetupServer } from 'msw/node';
import { chargifyHandlers } from '../../mocks/chargify.js';
import { createChargifyVerifier } from '../../server/chargify/client.js';
import { createHandler, type Clock, type Handler, type Settings } from '../../server/handler.js';
import type { Limits } from '../../server/limits.js';
import { createLogger } from '../../server/log.js';
import { openSqliteStore } from '../../server/store/sqlite.js';
import type { Store } from '../../server/store/store.js';
import type { ChargifyCredentials, Connection } from '../../src/backend/types.js';
import { contract } from './openapi-conformance.js';

// The handler as a partner would run it — real SQLite file, real Chargify client,
// simulated Chargify behind MSW — with a clock the tests move and a log they read.
// Every answer a test receives is checked against server/openapi.yaml on the way.

export const PARTNER_SECRET = 'partner-secret-for-tests-0f3c9a-5e1b7d24c8';
export const ALLOWED_ORIGIN = 'https://app.partner.example';
export const START = new Date('2031-05-04T10:00:00.000Z');

/** Simulated Chargify for the whole file; unknown hosts fail the test rather than reach the network. */
export function useSimulatedChargify(): SetupServer {
  const server = setupServer(...chargifyHandlers);
  before(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  after(() => server.close());
  return server;
}

export class TestClock implements Clock {
  private at = START.getTime();

  now(): Date {
    return new Date(this.at);
  }

  advance(ms: number): void {
    this.at += ms;
  }
}

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed JSON body; undefined when there is none. Its shape is what the conformance check vouched for. */
  body: any;
}

export interface CallOptions {
  /** Bearer token; none when omitted. */
  token?: string;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as is, for bodies that are not well-formed JSON; labelled `application/json` unless `headers` say otherwise. */
  raw?: string;
  idempotencyKey?: string;
  origin?: string;
  /** A sane one is made up when omitted, as the widget always sends one; null sends none. */
  correlationId?: string | null;
  headers?: Record<string, string>;
  /** The client's address, as the Node adapter would pass it; unknown when omitted. */
  clientAddress?: string;
}

export interface BackendOptions {
  /** The Chargify client's per-request timeout. */
  chargifyTimeoutMs?: number;
  limits?: Partial<Limits>;
  /** Another store than the SQLite file (Postgres); reopened on `restart()`. */
  openStore?: () => Promise<Store>;
}

export interface TestBackend {
  readonly handler: Handler;
  readonly store: Store;
  readonly clock: TestClock;
  readonly settings: Settings;
  /** Every line the handler logged, across restarts. */
  readonly logLines: string[];
  /** Every response body received, across restarts. */
  readonly bodies: string[];
  readonly databasePath: string;
  call(method: string, path: string, options?: CallOptions): Promise<Reply>;
  /** Mints a session through `POST /sessions`, as the partner's server does. */
  session(companyId: string, companyName?: string): Promise<string>;
  /** Creates a pending Chargify connection, or resumes the company's pending one, and returns it. */
  pending(token: string, companyId: string): Promise<Connection>;
  authorize(token: string, companyId: string, connectionId: string, credentials: ChargifyCredentials, options?: CallOptions): Promise<Reply>;
  /** The SQLite file and its write-ahead log, where recent writes live until a checkpoint. */
  databaseBytes(): Buffer;
  /** Closes the store and opens the same file with a new handler, as a process restart would. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

const SANE_CORRELATION_ID = /^[A-Za-z0-9-]{8,64}$/;

export async function startBackend(options: BackendOptions = {}): Promise<TestBackend> {
  const directory = mkdtempSync(join(tmpdir(), 'conduit-handler-'));
  const databasePath = join(directory, 'conduit.sqlite');
  const clock = new TestClock();
  const logLines: string[] = [];
  const bodies: string[] = [];
  const settings: Settings = {
    partnerSecret: PARTNER_SECRET,
    secretKey: randomBytes(32),
    allowedOrigins: [ALLOWED_ORIGIN],
    limits: options.limits,
  };

  const open = async () => {
    const store = options.openStore ? await options.openStore() : openSqliteStore(databasePath);
    const handler = createHandler({
      store,
      chargify: createChargifyVerifier({ timeoutMs: options.chargifyTimeoutMs ?? 2_000 }),
      clock,
      settings,
      log: createLogger((line) => logLines.push(line)),
    });
    return { store, handler };
  };
  let current = await open();

  const backend: TestBackend = {
    get handler() {
      return current.handler;
    },
    get store() {
      return current.store;
    },
    clock,
    settings,
    logLines,
    bodies,
    databasePath,

    async call(method, path, callOptions = {}) {
      const headers = new Headers(callOptions.headers);
      if (callOptions.token !== undefined) headers.set('Authorization', `Bearer ${callOptions.token}`);
      if (callOptions.idempotencyKey !== undefined) headers.set('Idempotency-Key', callOptions.idempotencyKey);
      if (callOptions.origin !== undefined) headers.set('Origin', callOptions.origin);
      const correlationId = callOptions.correlationId === undefined ? `test-${randomUUID()}` : callOptions.correlationId;
      if (correlationId !== null) headers.set('X-Correlation-Id', correlationId);
      let requestBody = '';
      if (callOptions.json !== undefined) {
        requestBody = JSON.stringify(callOptions.json);
        headers.set('Content-Type', 'application/json');
      } else if (callOptions.raw !== undefined) {
        requestBody = callOptions.raw;
        // Labelled JSON unless the test says otherwise, so that it meets the body, not the 415.
        if (!headers.has('Content-Type')) headers.set('Content-Type', 'application/json');
      }
      const hasBody = method !== 'GET' && method !== 'HEAD';
      const request = new Request(`http://backend.test${path}`, { method, headers, body: hasBody ? requestBody : undefined });

      const response = await current.handler(request, { clientAddress: callOptions.clientAddress });
      const text = await response.text();
      bodies.push(text);
      const reply: Reply = { status: response.status, headers: response.headers, text, body: text ? JSON.parse(text) : undefined };

      const echoed = response.headers.get('X-Correlation-Id');
      if (correlationId !== null && SANE_CORRELATION_ID.test(correlationId)) {
        assert.equal(echoed, correlationId, `${method} ${path}: X-Correlation-Id must echo the request's`);
      }
      if (method !== 'OPTIONS') {
        contract().check({ method, pathname: new URL(request.url).pathname, requestBody, status: response.status, headers: response.headers, body: text });
      }
      return reply;
    },

    async session(companyId, companyName) {
      const reply = await backend.call('POST', '/sessions', {
        headers: { Authorization: `Bearer ${PARTNER_SECRET}` },
        json: companyName === undefined ? { companyId } : { companyId, companyName },
      });
      assert.equal(reply.status, 201, reply.text);
      return reply.body.token as string;
    },

    async pending(token, companyId) {
      const reply = await backend.call('POST', `/companies/${companyId}/connections`, { token, json: { platformKey: 'chargify' } });
      // 200: the company's pending connection, resumed rather than duplicated.
      assert.ok(reply.status === 201 || reply.status === 200, reply.text);
      return reply.body as Connection;
    },

    authorize(token, companyId, connectionId, credentials, callOptions = {}) {
      return backend.call('PUT', `/companies/${companyId}/connections/${connectionId}/authorization`, {
        ...callOptions,
        token,
        json: credentials,
      });
    },

    databaseBytes() {
      const files = [databasePath, `${databasePath}-wal`].filter((file) => existsSync(file));
      return Buffer.concat(files.map((file) => readFileSync(file)));
    },

    async restart() {
      await current.store.close();
      current = await open();
    },

    async close() {
      await current.store.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
  return backend;
}

export interface ExpectedError {
  status: number;
  detailedErrorCode: number | null;
}

/**
 * Asserts Codat's error shape (DESIGN §6) exactly, and the headers that go with it;
 * returns the body for further checks.
 */
export function expectError(reply: Reply, expected: ExpectedError) {
  assert.equal(reply.status, expected.status, reply.text);
  const body = reply.body as Record<string, unknown>;
  const keys = ['statusCode', 'service', 'error', 'correlationId', 'validation', 'canBeRetried', 'detailedErrorCode'];
  assert.deepEqual(Object.keys(body).filter((key) => key !== 'hint').sort(), [...keys].sort(), 'Codat error shape');
  assert.equal(body.statusCode, expected.status);
  assert.equal(body.detailedErrorCode, expected.detailedErrorCode);
  assert.equal(typeof body.service, 'string');
  assert.ok(typeof body.error === 'string' && body.error.length > 0, 'error says what went wrong');
  const retryable = expected.status === 429 || expected.status >= 500;
  assert.equal(body.canBeRetried, retryable ? 'True' : 'False');
  if (reply.headers.get('Idempotent-Replayed') === null) {
    assert.equal(body.correlationId, reply.headers.get('X-Correlation-Id'), 'the body names the response’s correlation id');
  }
  if (expected.status === 429 || expected.status === 503) {
    assert.match(reply.headers.get('Retry-After') ?? '', /^[1-9]\d*$/, 'Retry-After in whole seconds');
  } else {
    assert.equal(reply.headers.get('Retry-After'), null);
  }
  return body as {
    error: string;
    correlationId: string;
    validation: { errors: { itemId: string; message: string }[]; warnings: unknown[] } | null;
    hint?: { region: string };
  };
}

/** The credentials of the demo site that connects (mocks/chargify.ts). */
export const ACME_ADMIN: ChargifyCredentials = { apiKey: 'chg_demo_acme_admin', subdomain: 'acme', region: 'US' };

/** A company id no other test in the process uses, so tests stay independent on one backend. */
export function newCompanyId(label = 'co'): string {
  return `${label}-${randomUUID().slice(0, 8)}`;
}
