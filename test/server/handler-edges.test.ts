import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ACME_ADMIN, expectError, newCompanyId, PARTNER_SECRET, startBackend, useSimulatedChargify, type TestBackend } from './support.js';

// The contract at its HTTP edges (issue 20; DESIGN §6): routing before any
// token, HEAD, the Bearer scheme's case, media types, field types, lengths in
// code points, no folding of look-alike letters, one spelling per path, and one
// error shape with `validation` null unless a field is wrong. Every exchange is
// also checked against server/openapi.yaml by the harness.

useSimulatedChargify();

let backend: TestBackend;
let companyId: string;
let token: string;
let connectionId: string;

before(async () => {
  backend = await startBackend();
  companyId = newCompanyId('edges');
  token = await backend.session(companyId, 'Edges Ltd');
  connectionId = (await backend.pending(token, companyId)).id;
});
after(() => backend.close());

const partner = { Authorization: `Bearer ${PARTNER_SECRET}` };

describe('routing comes first', () => {
  it('answers an unknown path 404 without a token, not 401', async () => {
    expectError(await backend.call('GET', '/no-such-path'), { status: 404, detailedErrorCode: null });
  });

  it('answers a known path with another method 405, with Allow listing its methods', async () => {
    const cases: [string, string, string][] = [
      ['DELETE', '/sessions', 'POST, OPTIONS'],
      ['POST', '/health', 'GET, HEAD, OPTIONS'],
      ['PUT', `/companies/${companyId}/connections`, 'GET, POST, HEAD, OPTIONS'],
      ['DELETE', `/companies/${companyId}/connections/${connectionId}`, 'GET, PATCH, HEAD, OPTIONS'],
      ['GET', `/companies/${companyId}/connections/${connectionId}/authorization`, 'PUT, OPTIONS'],
    ];
    for (const [method, path, allow] of cases) {
      const reply = await backend.call(method, path, method === 'GET' || method === 'DELETE' ? {} : { json: {} });
      expectError(reply, { status: 405, detailedErrorCode: null });
      assert.equal(reply.headers.get('Allow'), allow, `${method} ${path}`);
    }
  });

  it('answers a body over the limit on an unknown path 404, not 413', async () => {
    const reply = await backend.call('POST', '/no-such-path', { json: { padding: 'x'.repeat(20_000) } });
    expectError(reply, { status: 404, detailedErrorCode: null });
  });

  it('has one spelling per resource: empty segments and trailing slashes are 404, even with a valid token', async () => {
    for (const path of ['//integrations', '/integrations/', `//companies//${companyId}`, `/companies/${companyId}//connections`, `/companies/${companyId}/connections/`]) {
      expectError(await backend.call('GET', path, { token }), { status: 404, detailedErrorCode: null });
    }
    assert.equal((await backend.call('GET', '/integrations', { token })).status, 200);
  });
});

describe('HEAD', () => {
  it('answers as GET does, without a body, on every GET route: the public one and the token-guarded ones', async () => {
    const paths = ['/health', '/integrations', `/companies/${companyId}`, `/companies/${companyId}/connections`, `/companies/${companyId}/connections/${connectionId}`];
    for (const path of paths) {
      const get = await backend.call('GET', path, { token });
      const head = await backend.call('HEAD', path, { token });
      assert.equal(head.status, get.status, path);
      assert.equal(head.status, 200, path);
      assert.equal(head.text, '', path);
      assert.equal(head.headers.get('Content-Type'), get.headers.get('Content-Type'), path);
    }
    assert.equal((await backend.call('HEAD', '/integrations')).status, 401, 'a guarded route still needs its token');
  });
});

describe('the Bearer scheme', () => {
  it('is matched case-insensitively, for session tokens and the partner secret alike (RFC 9110 §11.1)', async () => {
    for (const scheme of ['bearer', 'BEARER', 'bEaReR']) {
      assert.equal((await backend.call('GET', '/integrations', { headers: { Authorization: `${scheme} ${token}` } })).status, 200, scheme);
      const minted = await backend.call('POST', '/sessions', { headers: { Authorization: `${scheme} ${PARTNER_SECRET}` }, json: { companyId } });
      assert.equal(minted.status, 201, scheme);
    }
  });
});

describe('media types', () => {
  it('refuses a body that is not application/json with 415, before it is parsed, so a CORS-simple request never reaches the logic', async () => {
    for (const contentType of ['text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonx']) {
      const reply = await backend.call('POST', `/companies/${companyId}/connections`, {
        token,
        raw: JSON.stringify({ platformKey: 'chargify' }),
        headers: { 'Content-Type': contentType },
      });
      expectError(reply, { status: 415, detailedErrorCode: null });
    }
    const withoutType = await backend.call('POST', '/sessions', { headers: { ...partner, 'Content-Type': '' }, raw: '{"companyId":"x"}' });
    expectError(withoutType, { status: 415, detailedErrorCode: null });
  });

  it('accepts application/json with a charset parameter, in any case', async () => {
    for (const contentType of ['application/json; charset=utf-8', 'Application/JSON;charset=UTF-8']) {
      const reply = await backend.call('POST', '/sessions', { headers: { ...partner, 'Content-Type': contentType }, raw: JSON.stringify({ companyId }) });
      assert.equal(reply.status, 201, contentType);
    }
  });
});

describe('field types and lengths', () => {
  const authorizationPath = () => `/companies/${companyId}/connections/${connectionId}/authorization`;
  const wrongTypes: [string, () => string, Record<string, unknown>, { token?: boolean }, string][] = [
    ['POST /sessions companyId', () => '/sessions', { companyId: 5 }, {}, 'companyId'],
    ['POST /sessions companyName', () => '/sessions', { companyId: 'typed-co', companyName: 5 }, {}, 'companyName'],
    ['POST /sessions companyName as an object', () => '/sessions', { companyId: 'typed-co', companyName: { first: 'A' } }, {}, 'companyName'],
    ['POST …/connections platformKey', () => `/companies/${companyId}/connections`, { platformKey: ['chargify'] }, { token: true }, 'platformKey'],
    ['PATCH …/{id} status', () => `/companies/${companyId}/connections/${connectionId}`, { status: true }, { token: true }, 'status'],
    ['PUT …/authorization apiKey', authorizationPath, { ...ACME_ADMIN, apiKey: 12345 }, { token: true }, 'apiKey'],
    ['PUT …/authorization subdomain', authorizationPath, { ...ACME_ADMIN, subdomain: null }, { token: true }, 'subdomain'],
    ['PUT …/authorization region', authorizationPath, { ...ACME_ADMIN, region: 1 }, { token: true }, 'region'],
  ];
  for (const [name, path, json, options, field] of wrongTypes) {
    it(`answers a wrong type for ${name} with 400 naming ${field}`, async () => {
      const method = name.split(' ')[0]!;
      const reply = await backend.call(method, path(), { json, ...(options.token ? { token } : { headers: partner }) });
      const body = expectError(reply, { status: 400, detailedErrorCode: 10001 });
      assert.deepEqual(body.validation?.errors.map((item) => item.itemId), [field]);
    });
  }

  it('counts a name’s length in code points and never cuts inside one: a 200-character name ending in an emoji is kept whole', async () => {
    const name = `${'a'.repeat(199)}😀`;
    const id = newCompanyId('emoji');
    const minted = await backend.call('POST', '/sessions', { headers: partner, json: { companyId: id, companyName: name } });
    assert.equal(minted.status, 201);
    const company = await backend.call('GET', `/companies/${id}`, { token: minted.body.token });
    assert.equal(company.body.name, name);
    assert.ok(!company.text.includes('\\ufffd') && !company.body.name.includes('\uFFFD'));
  });

  it('cuts a longer name at 200 code points, after a whole emoji', async () => {
    const id = newCompanyId('emoji');
    const minted = await backend.call('POST', '/sessions', { headers: partner, json: { companyId: id, companyName: '😀'.repeat(250) } });
    const company = await backend.call('GET', `/companies/${id}`, { token: minted.body.token });
    assert.equal(company.body.name, '😀'.repeat(200));
  });

  it('counts an API key’s 200-character limit in code points', async () => {
    const connection = await backend.pending(token, companyId);
    const fits = await backend.authorize(token, companyId, connection.id, { ...ACME_ADMIN, apiKey: '🔑'.repeat(200) });
    expectError(fits, { status: 400, detailedErrorCode: 10002 });
    const over = await backend.authorize(token, companyId, connection.id, { ...ACME_ADMIN, apiKey: '🔑'.repeat(201) });
    const body = expectError(over, { status: 400, detailedErrorCode: 10001 });
    assert.deepEqual(body.validation?.errors.map((item) => item.itemId), ['apiKey']);
  });

  it('checks a subdomain as it was sent: a look-alike letter (U+212A KELVIN SIGN) is refused, not folded into "k"', async () => {
    const connection = await backend.pending(token, companyId);
    for (const subdomain of ['\u212Aacme', 'ac\u0131me', 'ａcme']) {
      const reply = await backend.authorize(token, companyId, connection.id, { ...ACME_ADMIN, subdomain });
      const body = expectError(reply, { status: 400, detailedErrorCode: 10001 });
      assert.deepEqual(body.validation?.errors.map((item) => item.itemId), ['subdomain'], subdomain);
    }
  });
});

describe('one error shape', () => {
  it('has validation null when no field is wrong, and {errors, warnings} when one is, for the same operation', async () => {
    for (const raw of ['[1]', 'null', 'not json', '']) {
      const reply = await backend.call('POST', `/companies/${companyId}/connections`, { token, raw });
      assert.equal(expectError(reply, { status: 400, detailedErrorCode: 10001 }).validation, null, raw);
    }
    const named = await backend.call('POST', `/companies/${companyId}/connections`, { token, json: { platformKey: 'xero' } });
    const body = expectError(named, { status: 400, detailedErrorCode: 10001 });
    assert.deepEqual(Object.keys(body.validation ?? {}).sort(), ['errors', 'warnings']);
  });
});
