import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { connect } from 'node:net';
import { after, afterEach, before, describe, it } from 'node:test';
import { createLogger } from '../../server/log.js';
import { serve } from '../../server/node.js';
import { contract, type Exchange } from './openapi-conformance.js';
import { ALLOWED_ORIGIN, PARTNER_SECRET, startBackend, type TestBackend } from './support.js';

// The handler behind Node's http module (server/node.ts), as `npm run backend`
// serves it: the adapter must hand requests and answers through unchanged.
// No call here reaches Chargify, so no simulation is needed.

let backend: TestBackend;
let server: Server;
let base: string;
let port: number;
const adapterLog: string[] = [];

before(async () => {
  backend = await startBackend();
  server = await serve(backend.handler, 0, { log: createLogger((line) => adapterLog.push(line)) });
  const address = server.address();
  assert.ok(address && typeof address === 'object');
  port = address.port;
  base = `http://127.0.0.1:${port}`;
});
after(async () => {
  await new Promise((resolve) => server.close(resolve));
  await backend.close();
});

// Checked against the document after each test, so that a test's own assertion reports first.
let exchanges: Exchange[] = [];
afterEach(() => {
  const checked = exchanges;
  exchanges = [];
  for (const exchange of checked) contract().check(exchange);
});

/** A body given as chunks goes out in that many writes, the way a slow client's arrives. */
async function send(method: string, path: string, init: { headers?: Record<string, string>; body?: string | string[] } = {}) {
  const body = Array.isArray(init.body) ? { body: inChunks(init.body), duplex: 'half' as const } : { body: init.body };
  const response = await fetch(`${base}${path}`, { method, headers: init.headers, ...body });
  const text = await response.text();
  const requestBody = Array.isArray(init.body) ? init.body.join('') : (init.body ?? '');
  exchanges.push({ method, pathname: path, requestBody, status: response.status, headers: response.headers, body: text });
  return { status: response.status, headers: response.headers, text };
}

function inChunks(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const rest = chunks.values();
  return new ReadableStream({
    async pull(controller) {
      const next = rest.next();
      if (next.done) return controller.close();
      // A pause between writes, so that the adapter reads them one by one.
      await new Promise((resolve) => setTimeout(resolve, 1));
      controller.enqueue(encoder.encode(next.value));
    },
  });
}

const partner = { Authorization: `Bearer ${PARTNER_SECRET}`, 'Content-Type': 'application/json' };

describe('Node adapter', () => {
  it('passes method, headers and body through, and the answer’s status, headers and body back', async () => {
    const minted = await send('POST', '/sessions', {
      headers: { ...partner, 'X-Correlation-Id': 'over-http-0001' },
      body: JSON.stringify({ companyId: 'node-co', companyName: 'Node Co' }),
    });
    assert.equal(minted.status, 201, minted.text);
    assert.equal(minted.headers.get('X-Correlation-Id'), 'over-http-0001');
    const { token } = JSON.parse(minted.text) as { token: string };

    const company = await send('GET', '/companies/node-co', { headers: { Authorization: `Bearer ${token}`, Origin: ALLOWED_ORIGIN } });
    assert.equal(company.status, 200);
    assert.deepEqual(JSON.parse(company.text), { id: 'node-co', name: 'Node Co' });
    assert.equal(company.headers.get('Access-Control-Allow-Origin'), ALLOWED_ORIGIN);
  });

  it('answers a CORS preflight', async () => {
    const response = await fetch(`${base}/integrations`, {
      method: 'OPTIONS',
      headers: { Origin: ALLOWED_ORIGIN, 'Access-Control-Request-Method': 'GET' },
    });
    assert.equal(response.status, 204);
    assert.equal(response.headers.get('Access-Control-Allow-Origin'), ALLOWED_ORIGIN);
  });

  // The limit is in bytes: a '€' is three of them, so 12 000 make 36 KB in fewer than 16 Ki characters.
  const tooLarge: [string, string | string[]][] = [
    ['17 KiB', JSON.stringify({ companyId: 'big-co', companyName: 'x'.repeat(17 * 1024) })],
    ['200 KiB', JSON.stringify({ companyId: 'big-co', companyName: 'x'.repeat(200 * 1024) })],
    ['36 KB multibyte', JSON.stringify({ companyId: 'big-co', companyName: '€'.repeat(12_000) })],
    // Cut off past the limit, possibly inside a character: still too large, not malformed.
    ['30 KB multibyte in 1 KB chunks', ['{"companyId":"big-co","companyName":"', ...Array<string>(30).fill('€'.repeat(333)), '"}']],
  ];
  for (const [name, body] of tooLarge) {
    it(`answers a ${name} body with 413/10001, as the handler does`, async () => {
      const reply = await send('POST', '/sessions', { headers: partner, body });
      assert.equal(reply.status, 413, reply.text.slice(0, 200));
      assert.equal(JSON.parse(reply.text).detailedErrorCode, 10001);
      // The rest of the body was left unread, so the connection cannot carry another request.
      assert.equal(reply.headers.get('Connection'), 'close');
    });
  }
});

interface RawReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Sends `head` (and `body`) byte for byte, as a hostile client would, and reads the one answer. */
function raw(head: string, body = '', target = port): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const socket = connect(target, '127.0.0.1', () => socket.end(`${head}\r\n\r\n${body}`));
    let received = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk) => (received += chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const [top = '', ...rest] = received.split('\r\n\r\n');
      const [statusLine = '', ...headerLines] = top.split('\r\n');
      const headers = Object.fromEntries(
        headerLines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
      );
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') });
    });
  });
}

/** The contract's error shape (DESIGN §6), with its own correlation id. */
function assertContractError(reply: RawReply, status: number) {
  assert.equal(reply.status, status, reply.body);
  assert.match(reply.headers['content-type'] ?? '', /^application\/json/);
  const body = JSON.parse(reply.body) as Record<string, unknown>;
  assert.equal(body.statusCode, status);
  assert.equal(body.validation, null);
  assert.equal(body.correlationId, reply.headers['x-correlation-id']);
  return body;
}

const sessionBody = JSON.stringify({ companyId: 'forged-co' });
const partnerHeaders = `Authorization: Bearer ${PARTNER_SECRET}\r\nContent-Type: application/json\r\nContent-Length: ${sessionBody.length}`;

describe('Node adapter: the request target alone decides the route', () => {
  it('never lets Host steer the route: a Host that carries a path is a 400, and a plain forged one changes nothing', async () => {
    // On 0.1 this minted a session: the URL was built as http://x/sessions#/integrations.
    const forged = await raw(`POST /integrations HTTP/1.1\r\nHost: x/sessions#\r\n${partnerHeaders}`, sessionBody);
    assertContractError(forged, 400);

    const before = backend.logLines.length;
    const elsewhere = await raw(`POST /integrations HTTP/1.1\r\nHost: sessions.evil.example\r\n${partnerHeaders}`, sessionBody);
    assert.notEqual(elsewhere.status, 201, 'no session was minted');
    const logged = backend.logLines.slice(before).map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.deepEqual(
      logged.filter((line) => line.event === 'request').map((line) => line.path),
      ['/integrations'],
      'the log records the path that was routed',
    );
    assert.equal(await backend.store.getCompany('forged-co'), null);
  });

  const refused: [string, string, number][] = [
    ['an absolute-form target', `POST http://localhost/sessions HTTP/1.1\r\nHost: localhost\r\n${partnerHeaders}`, 400],
    ['a target with a fragment', `GET /health#x HTTP/1.1\r\nHost: localhost`, 400],
    ['a missing Host', `GET /health HTTP/1.1`, 400],
    ['a Host with a space', `GET /health HTTP/1.1\r\nHost: a b`, 400],
    ['TRACE', `TRACE /health HTTP/1.1\r\nHost: localhost`, 405],
    ['CONNECT', `CONNECT localhost:443 HTTP/1.1\r\nHost: localhost:443`, 405],
    ['a method HTTP does not know', `BREW /health HTTP/1.1\r\nHost: localhost`, 400],
    ['headers over Node’s limit', `GET /health HTTP/1.1\r\nHost: localhost\r\nX-Padding: ${'p'.repeat(20_000)}`, 431],
  ];
  for (const [name, head, status] of refused) {
    it(`answers ${name} with a logged ${status} in the contract’s shape, never an empty 500`, async () => {
      const before = adapterLog.length;
      const reply = await raw(head, head.startsWith('POST') ? sessionBody : '');
      assertContractError(reply, status);
      if (status === 405) assert.equal(reply.headers.allow, 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS');
      const logged = adapterLog.slice(before).map((line) => JSON.parse(line) as Record<string, unknown>);
      assert.equal(logged.length, 1, 'one log line');
      assert.equal(logged[0]!.status, status);
      assert.equal(logged[0]!.correlationId, reply.headers['x-correlation-id']);
    });
  }

  it('answers OPTIONS * with what the server supports', async () => {
    const reply = await raw('OPTIONS * HTTP/1.1\r\nHost: localhost');
    assert.equal(reply.status, 204);
    assert.equal(reply.headers.allow, 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS');
  });
});

describe('Node adapter: the client’s address', () => {
  async function addressSeen(trustProxy: number, forwardedFor?: string): Promise<string | undefined> {
    let seen: string | undefined;
    const echo = await serve(
      async (_request, context) => {
        seen = context?.clientAddress;
        return new Response(null, { status: 204 });
      },
      0,
      { trustProxy, log: createLogger(() => {}) },
    );
    try {
      const address = echo.address();
      assert.ok(address && typeof address === 'object');
      const forwarded = forwardedFor === undefined ? '' : `\r\nX-Forwarded-For: ${forwardedFor}`;
      await raw(`GET /health HTTP/1.1\r\nHost: localhost${forwarded}`, '', address.port);
      return seen;
    } finally {
      await new Promise((resolve) => echo.close(resolve));
    }
  }

  it('is the socket’s peer unless proxies are trusted: a client cannot name itself another address', async () => {
    assert.equal(await addressSeen(0, '203.0.113.5'), '127.0.0.1');
  });

  it('behind one trusted proxy is the entry that proxy added, whatever the client wrote before it', async () => {
    assert.equal(await addressSeen(1, '198.51.100.1, 203.0.113.5'), '203.0.113.5');
    assert.equal(await addressSeen(2, '198.51.100.1, 203.0.113.5'), '198.51.100.1');
    assert.equal(await addressSeen(1), '127.0.0.1', 'no header: the peer');
  });
});
