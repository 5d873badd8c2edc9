import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { after, afterEach, before, describe, it } from 'node:test';
import { serve } from '../../server/node.js';
import { contract, type Exchange } from './openapi-conformance.js';
import { ALLOWED_ORIGIN, PARTNER_SECRET, startBackend, type TestBackend } from './support.js';

// The handler behind Node's http module (server/node.ts), as `npm run backend`
// serves it: the adapter must hand requests and answers through unchanged.
// No call here reaches Chargify, so no simulation is needed.

let backend: TestBackend;
let server: Server;
let base: string;

before(async () => {
  backend = await startBackend();
  server = await serve(backend.handler, 0);
  const address = server.address();
  assert.ok(address && typeof address === 'object');
  base = `http://127.0.0.1:${address.port}`;
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
