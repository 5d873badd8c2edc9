import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { deriveKeys, open, seal } from '../../server/crypto.js';
import {
  ACME_ADMIN,
  ALLOWED_ORIGIN,
  expectError,
  newCompanyId,
  PARTNER_SECRET,
  startBackend,
  useSimulatedChargify,
  type TestBackend,
} from './support.js';

// Deleted means gone, and everything is bounded (issue 13, items 5 and 6): an
// unlinked key leaves no byte in the database or its log; pending connections,
// idempotency keys and correlation ids have limits; a replay after an unlink
// does not answer "Linked"; and the partner's server can end a company's sessions.

useSimulatedChargify();

const MINUTE = 60_000;
const partner = { Authorization: `Bearer ${PARTNER_SECRET}` };

let backend: TestBackend;
before(async () => {
  backend = await startBackend();
});
after(() => backend.close());

async function linked(companyId: string, token: string, idempotencyKey?: string) {
  const connection = await backend.pending(token, companyId);
  const reply = await backend.authorize(token, companyId, connection.id, ACME_ADMIN, { idempotencyKey });
  assert.equal(reply.status, 200, reply.text);
  return connection.id;
}

const unlink = (token: string, companyId: string, id: string) =>
  backend.call('PATCH', `/companies/${companyId}/connections/${id}`, { token, json: { status: 'Unlinked' } });

describe('an unlinked key is gone', () => {
  it('leaves no trace of the sealed value in the database file or its write-ahead log', async () => {
    const companyId = newCompanyId('wipe');
    const token = await backend.session(companyId);
    const id = await linked(companyId, token);
    const sealed = (await backend.store.getSealedCredentials(id))!;
    const [, iv, tag, ciphertext] = sealed.split(':') as [string, string, string, string];
    const traces = [sealed, ciphertext, iv + ':' + tag, Buffer.from(ciphertext, 'base64').toString('latin1')];
    assert.ok(traces.some((trace) => backend.databaseBytes().toString('latin1').includes(trace)), 'the sealed value is stored while linked');

    assert.equal((await unlink(token, companyId, id)).status, 200);
    const bytes = backend.databaseBytes().toString('latin1');
    for (const trace of traces) assert.ok(!bytes.includes(trace), 'no part of the sealed value survives the unlink');
  });

  it('seals with a key derived for sealing alone: neither the configured secret nor the fingerprint key opens it', () => {
    const secret = randomBytes(32);
    const keys = deriveKeys(secret);
    assert.equal(new Set([keys.sealing.toString('hex'), keys.fingerprint.toString('hex'), secret.toString('hex')]).size, 3);
    const sealed = seal(keys, 'chg_key', 'connection-1');
    assert.equal(open(keys, sealed, 'connection-1'), 'chg_key');
    assert.throws(() => open({ ...keys, sealing: secret }, sealed, 'connection-1'));
    assert.throws(() => open({ ...keys, sealing: keys.fingerprint }, sealed, 'connection-1'));
  });
});

describe('bounds', () => {
  it('caps the connections a company opens at 5 an hour, unlinking to start over included: the 6th is 429/10011 with Retry-After', async () => {
    const companyId = newCompanyId('pending');
    const token = await backend.session(companyId);
    const open = () => backend.call('POST', `/companies/${companyId}/connections`, { token, json: { platformKey: 'chargify' } });
    for (let count = 0; count < 5; count++) {
      const opened = await open();
      assert.equal(opened.status, 201, opened.text);
      assert.equal((await unlink(token, companyId, opened.body.id)).status, 200);
    }
    const refused = await open();
    expectError(refused, { status: 429, detailedErrorCode: 10011 });
    assert.equal(refused.headers.get('Retry-After'), '3600');
    assert.equal((await backend.call('GET', `/companies/${companyId}/connections`, { token })).body.results.length, 5);
    backend.clock.advance(60 * MINUTE);
    await backend.pending(await backend.session(companyId), companyId);
  });

  it('resumes the company’s pending connection instead of opening a second: 200 with the same connection', async () => {
    const companyId = newCompanyId('resume');
    const token = await backend.session(companyId);
    const first = await backend.call('POST', `/companies/${companyId}/connections`, { token, json: { platformKey: 'chargify' } });
    const again = await backend.call('POST', `/companies/${companyId}/connections`, { token, json: { platformKey: 'chargify' } });
    assert.equal(first.status, 201);
    assert.equal(again.status, 200);
    assert.deepEqual(again.body, first.body);
    assert.equal((await backend.call('GET', `/companies/${companyId}/connections`, { token })).body.results.length, 1);
  });

  it('refuses an Idempotency-Key over 128 characters, or with spaces or control characters, and stores none of it', async () => {
    const companyId = newCompanyId('keys');
    const token = await backend.session(companyId);
    const oversized = `k${'x'.repeat(128)}`;
    for (const idempotencyKey of [oversized, 'has space', 'tab\there']) {
      const reply = await backend.call('POST', `/companies/${companyId}/connections`, { token, json: { platformKey: 'chargify' }, idempotencyKey });
      const body = expectError(reply, { status: 400, detailedErrorCode: 10001 });
      assert.deepEqual(body.validation?.errors.map((item) => item.itemId), ['Idempotency-Key']);
    }
    assert.ok(!backend.databaseBytes().toString('latin1').includes(oversized));
    assert.equal((await backend.call('GET', `/companies/${companyId}/connections`, { token })).body.results.length, 0, 'nothing was created');
    const longest = 'k'.repeat(128);
    assert.equal((await backend.call('POST', `/companies/${companyId}/connections`, { token, json: { platformKey: 'chargify' }, idempotencyKey: longest })).status, 201);
  });

  it('neither echoes nor logs an oversized X-Correlation-Id', async () => {
    const oversized = `corr-${'a'.repeat(200)}`;
    const before = backend.logLines.length;
    const reply = await backend.call('GET', '/health', { correlationId: oversized });
    assert.equal(reply.status, 200);
    assert.notEqual(reply.headers.get('X-Correlation-Id'), oversized);
    assert.ok(!backend.logLines.slice(before).join('\n').includes(oversized));
  });

  it('does not replay "Linked" for an authorization after the connection was unlinked; the replay is refused as unlinked', async () => {
    const companyId = newCompanyId('replay');
    const token = await backend.session(companyId);
    const key = 'attempt-before-unlink-0001';
    const connection = await backend.pending(token, companyId);
    const first = await backend.authorize(token, companyId, connection.id, ACME_ADMIN, { idempotencyKey: key });
    assert.equal(first.body.status, 'Linked');
    assert.equal((await unlink(token, companyId, connection.id)).status, 200);

    const replay = await backend.authorize(token, companyId, connection.id, ACME_ADMIN, { idempotencyKey: key });
    expectError(replay, { status: 409, detailedErrorCode: null });
    const stored = await backend.call('GET', `/companies/${companyId}/connections/${connection.id}`, { token });
    assert.equal(stored.body.status, 'Unlinked', 'and it was not linked again');
    assert.equal(await backend.store.getSealedCredentials(connection.id), null);
  });
});

describe('DELETE /companies/{companyId}/sessions', () => {
  it('ends every live session of the company with the partner secret, and no other company’s', async () => {
    const companyId = newCompanyId('revoked');
    const otherId = newCompanyId('untouched');
    const tokens = [await backend.session(companyId), await backend.session(companyId)];
    const other = await backend.session(otherId);

    const reply = await backend.call('DELETE', `/companies/${companyId}/sessions`, { headers: partner, origin: ALLOWED_ORIGIN });
    assert.equal(reply.status, 204);
    assert.equal(reply.text, '');
    assert.equal(reply.headers.get('Access-Control-Allow-Origin'), null, 'server to server: no CORS');

    for (const token of tokens) {
      expectError(await backend.call('GET', `/companies/${companyId}/connections`, { token }), { status: 401, detailedErrorCode: null });
    }
    assert.equal((await backend.call('GET', `/companies/${otherId}/connections`, { token: other })).status, 200);
    // A leaked token can no longer unlink or link anything.
    expectError(await backend.call('POST', `/companies/${companyId}/connections`, { token: tokens[0], json: { platformKey: 'chargify' } }), {
      status: 401,
      detailedErrorCode: null,
    });
  });

  it('refuses a session token or a wrong secret in place of the partner secret', async () => {
    const companyId = newCompanyId('kept');
    const token = await backend.session(companyId);
    for (const bearer of [token, 'not-the-partner-secret']) {
      const reply = await backend.call('DELETE', `/companies/${companyId}/sessions`, { token: bearer });
      expectError(reply, { status: 401, detailedErrorCode: null });
    }
    assert.equal((await backend.call('GET', `/companies/${companyId}/connections`, { token })).status, 200);
  });

  it('has no preflight: a browser can never call it', async () => {
    const reply = await backend.call('OPTIONS', `/companies/any/sessions`, {
      origin: ALLOWED_ORIGIN,
      headers: { 'Access-Control-Request-Method': 'DELETE' },
    });
    assert.equal(reply.status, 403);
  });
});
