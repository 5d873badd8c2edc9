import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEMO_SUBDOMAINS } from '../../mocks/chargify.js';
import { ACME_ADMIN, ALLOWED_ORIGIN, expectError, PARTNER_SECRET, startBackend, useSimulatedChargify, type TestBackend } from './support.js';

// CORS (DESIGN §6): only the partner's configured origins may call the widget's
// endpoints from a browser, with exactly the headers the widget sends; /sessions
// is server to server and never readable from a page.

useSimulatedChargify();

const OTHER_ORIGIN = 'https://attacker.example';
let backend: TestBackend;
let token: string;

before(async () => {
  backend = await startBackend();
  token = await backend.session('cors-co');
});
after(() => backend.close());

function list(header: string | null): string[] {
  return (header ?? '')
    .split(',')
    .map((item) => item.trim().toLowerCase())
    .filter(Boolean)
    .sort();
}

const preflight = (path: string, origin: string, method = 'PUT') =>
  backend.call('OPTIONS', path, {
    origin,
    correlationId: null,
    headers: {
      'Access-Control-Request-Method': method,
      'Access-Control-Request-Headers': 'authorization, content-type, idempotency-key, x-correlation-id',
    },
  });

describe('CORS preflight', () => {
  it('lets an allowed origin send exactly the widget’s headers and read Retry-After and X-Correlation-Id', async () => {
    const reply = await preflight('/companies/cors-co/connections/some-id/authorization', ALLOWED_ORIGIN);
    assert.ok(reply.status === 204 || reply.status === 200, `status ${reply.status}`);
    assert.equal(reply.headers.get('Access-Control-Allow-Origin'), ALLOWED_ORIGIN);
    assert.deepEqual(list(reply.headers.get('Access-Control-Allow-Headers')), [
      'authorization',
      'content-type',
      'idempotency-key',
      'x-correlation-id',
    ]);
    assert.deepEqual(list(reply.headers.get('Access-Control-Expose-Headers')), ['retry-after', 'x-correlation-id']);
    for (const method of ['GET', 'POST', 'PUT', 'PATCH']) {
      assert.ok(list(reply.headers.get('Access-Control-Allow-Methods')).includes(method.toLowerCase()), method);
    }
    assert.equal(reply.headers.get('Access-Control-Allow-Credentials'), null, 'the token travels in a header, not a cookie');
    assert.match(reply.headers.get('Vary') ?? '', /\bOrigin\b/);
  });

  it('refuses any other origin with 403 and no allow headers', async () => {
    for (const origin of [OTHER_ORIGIN, `${ALLOWED_ORIGIN}.attacker.example`, 'null', ALLOWED_ORIGIN.replace('https', 'http')]) {
      const reply = await preflight('/companies/cors-co/connections', origin, 'POST');
      assert.equal(reply.status, 403, origin);
      assert.equal(reply.headers.get('Access-Control-Allow-Origin'), null, origin);
      assert.equal(reply.headers.get('Access-Control-Allow-Headers'), null, origin);
    }
  });
});

describe('CORS on answers', () => {
  it('an allowed origin can read successes and errors, Retry-After included', async () => {
    const ok = await backend.call('GET', '/integrations', { token, origin: ALLOWED_ORIGIN });
    assert.equal(ok.status, 200);
    const unauthorized = await backend.call('GET', '/integrations', { origin: ALLOWED_ORIGIN });
    expectError(unauthorized, { status: 401, detailedErrorCode: null });
    const connection = await backend.pending(token, 'cors-co');
    const throttled = await backend.authorize(token, 'cors-co', connection.id, { ...ACME_ADMIN, subdomain: DEMO_SUBDOMAINS.busy }, { origin: ALLOWED_ORIGIN });
    expectError(throttled, { status: 429, detailedErrorCode: 10007 });
    for (const reply of [ok, unauthorized, throttled]) {
      assert.equal(reply.headers.get('Access-Control-Allow-Origin'), ALLOWED_ORIGIN);
      assert.deepEqual(list(reply.headers.get('Access-Control-Expose-Headers')), ['retry-after', 'x-correlation-id']);
      assert.match(reply.headers.get('Vary') ?? '', /\bOrigin\b/);
    }
  });

  it('another origin gets no Access-Control-Allow-Origin, so its page cannot read the answer', async () => {
    for (const reply of [
      await backend.call('GET', '/integrations', { token, origin: OTHER_ORIGIN }),
      await backend.call('GET', '/companies/cors-co/connections', { token, origin: OTHER_ORIGIN }),
      await backend.call('GET', '/integrations', { origin: OTHER_ORIGIN }),
    ]) {
      assert.equal(reply.headers.get('Access-Control-Allow-Origin'), null);
      assert.equal(reply.headers.get('Access-Control-Expose-Headers'), null);
    }
  });

  it('a call without an Origin, from a server, gets no CORS headers', async () => {
    const reply = await backend.call('GET', '/integrations', { token });
    assert.equal(reply.headers.get('Access-Control-Allow-Origin'), null);
  });
});

describe('CORS and /sessions', () => {
  const mint = (path: string) =>
    backend.call('POST', path, { origin: ALLOWED_ORIGIN, headers: { Authorization: `Bearer ${PARTNER_SECRET}` }, json: { companyId: 'cors-co' } });

  it('POST /sessions never carries CORS headers, even for an allowed origin', async () => {
    const reply = await mint('/sessions');
    assert.equal(reply.status, 201);
    assert.equal(reply.headers.get('Access-Control-Allow-Origin'), null);
    const refused = await backend.call('POST', '/sessions', { origin: ALLOWED_ORIGIN, json: { companyId: 'cors-co' } });
    expectError(refused, { status: 401, detailedErrorCode: null });
    assert.equal(refused.headers.get('Access-Control-Allow-Origin'), null);
  });

  it('nor does /sessions/, which is no path of the contract (one spelling per resource)', async () => {
    const reply = await mint('/sessions/');
    assert.equal(reply.status, 404);
    assert.equal(reply.body.token, undefined, 'no token minted');
  });

  it('a preflight for /sessions is not allowed, even from an allowed origin', async () => {
    const reply = await preflight('/sessions', ALLOWED_ORIGIN, 'POST');
    assert.equal(reply.headers.get('Access-Control-Allow-Origin'), null);
    assert.equal(reply.headers.get('Access-Control-Allow-Headers'), null);
  });
});
