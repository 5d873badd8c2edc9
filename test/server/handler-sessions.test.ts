import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ACME_ADMIN, expectError, newCompanyId, PARTNER_SECRET, startBackend, START, useSimulatedChargify, type TestBackend } from './support.js';

// POST /sessions and what a session token opens: the partner's server mints a
// short-lived token for one company; the widget may use it on that company only.

useSimulatedChargify();

let backend: TestBackend;
before(async () => {
  backend = await startBackend();
});
after(() => backend.close());

const mint = (authorization: string | undefined, json: unknown) =>
  backend.call('POST', '/sessions', { json, headers: authorization === undefined ? {} : { Authorization: authorization } });

describe('POST /sessions', () => {
  it('needs the partner secret: 401 without it, with a wrong one, or with another scheme', async () => {
    for (const authorization of [undefined, 'Bearer ', 'Bearer wrong-secret', `Bearer ${PARTNER_SECRET}x`, `Basic ${PARTNER_SECRET}`]) {
      const reply = await mint(authorization, { companyId: 'acme-co' });
      expectError(reply, { status: 401, detailedErrorCode: null });
    }
    assert.equal(await backend.store.getCompany('acme-co'), null, 'no company was created');
  });

  it('refuses a missing or malformed companyId with 400/10001 on companyId', async () => {
    for (const json of [{}, { companyId: '' }, { companyId: 42 }, { companyId: '../other' }, { companyId: 'a'.repeat(101) }, { companyId: '-lead' }]) {
      const body = expectError(await mint(`Bearer ${PARTNER_SECRET}`, json), { status: 400, detailedErrorCode: 10001 });
      assert.deepEqual(body.validation?.errors.map((item) => item.itemId), ['companyId'], JSON.stringify(json));
    }
  });

  it('mints a token of at least 128 random bits that expires 30 minutes from now', async () => {
    const reply = await mint(`Bearer ${PARTNER_SECRET}`, { companyId: 'bits-co' });
    assert.equal(reply.status, 201);
    const { token, companyId, expiresAt } = reply.body as { token: string; companyId: string; expiresAt: string };
    assert.equal(companyId, 'bits-co');
    assert.equal(expiresAt, new Date(START.getTime() + 30 * 60_000).toISOString());
    assert.match(token, /^[A-Za-z0-9_-]+$/, 'URL-safe, so it travels in a header unchanged');
    assert.ok(Buffer.from(token, 'base64url').length >= 16, 'at least 128 bits');
    const again = await mint(`Bearer ${PARTNER_SECRET}`, { companyId: 'bits-co' });
    assert.notEqual(again.body.token, token);
  });

  it('names the company as asked, or after its id, and renames it on a later mint', async () => {
    await backend.session('named-co', '  Contoso Ltd  ');
    assert.deepEqual(await backend.store.getCompany('named-co'), { id: 'named-co', name: 'Contoso Ltd' });
    await backend.session('named-co', 'Contoso Group');
    assert.deepEqual(await backend.store.getCompany('named-co'), { id: 'named-co', name: 'Contoso Group' });
    await backend.session('unnamed-co');
    assert.deepEqual(await backend.store.getCompany('unnamed-co'), { id: 'unnamed-co', name: 'unnamed-co' });
  });

  it('stores the token only hashed: its plain text is nowhere in the SQLite file', async () => {
    const token = await backend.session('hashed-co');
    const bytes = backend.databaseBytes();
    // The file does hold the session, so the search is looking in the right place.
    assert.ok(bytes.includes(Buffer.from(createHash('sha256').update(token).digest('hex'))), 'the hash is stored');
    assert.ok(!bytes.includes(Buffer.from(token)), 'the token is not');
    assert.ok(!bytes.includes(Buffer.from(PARTNER_SECRET)), 'nor is the partner secret');
  });

  it('logs neither tokens nor the partner secret', async () => {
    const token = await backend.session('quiet-co');
    await backend.call('GET', '/companies/quiet-co', { token });
    await backend.call('GET', '/companies/quiet-co', { token: `${token}x` });
    assert.ok(backend.logLines.length > 0);
    for (const line of backend.logLines) {
      assert.ok(!line.includes(token.slice(0, 16)), line);
      assert.ok(!line.includes(PARTNER_SECRET), line);
    }
  });
});

describe('session tokens', () => {
  it('work for 30 minutes, and not a moment after', async () => {
    const companyId = newCompanyId();
    const token = await backend.session(companyId);
    const path = `/companies/${companyId}`;
    assert.equal((await backend.call('GET', path, { token })).status, 200);
    backend.clock.advance(30 * 60_000 - 1_000);
    assert.equal((await backend.call('GET', path, { token })).status, 200);
    backend.clock.advance(1_000);
    expectError(await backend.call('GET', path, { token }), { status: 401, detailedErrorCode: null });
    expectError(await backend.call('GET', '/integrations', { token }), { status: 401, detailedErrorCode: null });
    // A new token from the partner's server opens the same company again.
    const fresh = await backend.session(companyId);
    assert.equal((await backend.call('GET', path, { token: fresh })).status, 200);
  });

  it('401 in Codat’s shape when the token is missing, malformed or unknown, on every widget call', async () => {
    const companyId = newCompanyId();
    const token = await backend.session(companyId);
    const connection = await backend.pending(token, companyId);
    const calls: [string, string, unknown][] = [
      ['GET', '/integrations', undefined],
      ['GET', `/companies/${companyId}`, undefined],
      ['GET', `/companies/${companyId}/connections`, undefined],
      ['POST', `/companies/${companyId}/connections`, { platformKey: 'chargify' }],
      ['GET', `/companies/${companyId}/connections/${connection.id}`, undefined],
      ['PATCH', `/companies/${companyId}/connections/${connection.id}`, { status: 'Unlinked' }],
      ['PUT', `/companies/${companyId}/connections/${connection.id}/authorization`, ACME_ADMIN],
    ];
    const wrongs: Record<string, string>[] = [
      {},
      { Authorization: token },
      { Authorization: `Token ${token}` },
      { Authorization: `Bearer ${token} extra` },
      { Authorization: 'Bearer 0000000000000000000000000000000000000000000' },
      { Authorization: `Bearer ${PARTNER_SECRET}` },
    ];
    for (const [method, path, json] of calls) {
      for (const headers of wrongs) {
        const reply = await backend.call(method, path, { headers, ...(json === undefined ? {} : { json }) });
        expectError(reply, { status: 401, detailedErrorCode: null });
      }
    }
    const still = await backend.call('GET', `/companies/${companyId}/connections`, { token });
    assert.deepEqual(
      still.body.results.map((c: { status: string }) => c.status),
      ['PendingAuth'],
      'nothing was created, linked or unlinked',
    );
  });

  it('open only their own company: 403 on every path of another', async () => {
    const a = newCompanyId('a');
    const b = newCompanyId('b');
    const tokenA = await backend.session(a);
    const tokenB = await backend.session(b);
    const theirs = await backend.pending(tokenB, b);
    const calls: [string, string, unknown][] = [
      ['GET', `/companies/${b}`, undefined],
      ['GET', `/companies/${b}/connections`, undefined],
      ['POST', `/companies/${b}/connections`, { platformKey: 'chargify' }],
      ['GET', `/companies/${b}/connections/${theirs.id}`, undefined],
      ['PATCH', `/companies/${b}/connections/${theirs.id}`, { status: 'Unlinked' }],
      ['PUT', `/companies/${b}/connections/${theirs.id}/authorization`, ACME_ADMIN],
      // A company that does not exist is no different: the answer must not tell which ids exist.
      ['GET', '/companies/no-such-company', undefined],
    ];
    for (const [method, path, json] of calls) {
      const reply = await backend.call(method, path, { token: tokenA, ...(json === undefined ? {} : { json }) });
      expectError(reply, { status: 403, detailedErrorCode: null });
    }
    const list = await backend.call('GET', `/companies/${b}/connections`, { token: tokenB });
    assert.deepEqual(list.body.results, [theirs], 'company B is untouched');
  });
});
