import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { http, HttpResponse } from 'msw';
import {
  ACME_SITE,
  DEMO_KEYS,
  DEMO_SUBDOMAINS,
  recordChargifyRequests,
  TRIAL_ENDED_MESSAGE,
  type ChargifyRecording,
} from '../../mocks/chargify.js';
import type { ChargifyCredentials } from '../../src/backend/types.js';
import { ACME_ADMIN, expectError, newCompanyId, startBackend, useSimulatedChargify, type Reply, type TestBackend } from './support.js';

// The contract of DESIGN §6 from the widget's side: each row of the error
// table produced by the simulated Chargify behaviour that causes it, the
// region hint, and the connection lifecycle.

const chargify = useSimulatedChargify();

const TIMEOUT_MS = 300;
let backend: TestBackend;
let recording: ChargifyRecording;

before(async () => {
  backend = await startBackend({ chargifyTimeoutMs: TIMEOUT_MS });
});
after(() => backend.close());
beforeEach(() => {
  recording = recordChargifyRequests();
});
afterEach(() => recording.stop());

/** A fresh company with a session and a pending connection, then one authorization attempt. */
async function attempt(credentials: ChargifyCredentials): Promise<Reply> {
  const companyId = newCompanyId();
  const token = await backend.session(companyId);
  const connection = await backend.pending(token, companyId);
  return backend.authorize(token, companyId, connection.id, credentials);
}

function hostsAsked(): string[] {
  return recording.requests.map((request) => request.host);
}

describe('authorization: Chargify’s verdicts (DESIGN §6 error table)', () => {
  it('links with the admin key: 200 Linked, connectionInfo from the site, never the key', async () => {
    const companyId = newCompanyId();
    const token = await backend.session(companyId);
    const connection = await backend.pending(token, companyId);
    const reply = await backend.authorize(token, companyId, connection.id, ACME_ADMIN);

    assert.equal(reply.status, 200, reply.text);
    assert.equal(reply.body.id, connection.id);
    assert.equal(reply.body.status, 'Linked');
    assert.deepEqual(reply.body.connectionInfo, {
      subdomain: 'acme',
      region: 'US',
      siteId: ACME_SITE.id,
      siteName: ACME_SITE.name,
      currency: ACME_SITE.currency,
      test: ACME_SITE.test,
    });
    assert.ok(!reply.text.includes(ACME_ADMIN.apiKey));
    assert.deepEqual(hostsAsked(), ['acme.chargify.com']);
  });

  it('400/10002 when Chargify does not take the key, in either region', async () => {
    const body = expectError(await attempt({ ...ACME_ADMIN, apiKey: 'chg_not_a_real_key' }), { status: 400, detailedErrorCode: 10002 });
    assert.equal(body.validation, null);
    assert.equal(body.hint, undefined);
    // A 401 may also be what an unknown site answers, so the other region is asked before any verdict.
    assert.deepEqual(hostsAsked(), ['acme.chargify.com', 'acme.ebilling.maxio.com']);
  });

  it('400/10003 when no site has the subdomain in either region, without a hint', async () => {
    const body = expectError(await attempt({ ...ACME_ADMIN, subdomain: 'nosuchsite' }), { status: 400, detailedErrorCode: 10003 });
    assert.equal(body.hint, undefined);
    assert.deepEqual(hostsAsked(), ['nosuchsite.chargify.com', 'nosuchsite.ebilling.maxio.com']);
  });

  it('400/10004 when Chargify refuses access with an unexpected 403, naming the status and no cause', async () => {
    chargify.use(http.get('https://acme.chargify.com/site.json', () => HttpResponse.text('Forbidden', { status: 403 })));
    const body = expectError(await attempt(ACME_ADMIN), { status: 400, detailedErrorCode: 10004 });
    assert.equal(body.error, 'Chargify refused access to this site (HTTP 403).');
  });

  it('400/10005 with Chargify’s own sentence when the account is blocked', async () => {
    const reply = await attempt({ ...ACME_ADMIN, subdomain: DEMO_SUBDOMAINS.trialEnded });
    const body = expectError(reply, { status: 400, detailedErrorCode: 10005 });
    assert.ok(body.error.includes(TRIAL_ENDED_MESSAGE), body.error);
  });

  it('429/10007 with a wait of 3 minutes when Chargify throttles without a Retry-After, as it does', async () => {
    const reply = await attempt({ ...ACME_ADMIN, subdomain: DEMO_SUBDOMAINS.busy });
    expectError(reply, { status: 429, detailedErrorCode: 10007 });
    assert.equal(reply.headers.get('Retry-After'), '180');
  });

  it('503/10010 with a Retry-After while Chargify clears the site’s data: temporary, not a block', async () => {
    const reply = await attempt({ ...ACME_ADMIN, subdomain: DEMO_SUBDOMAINS.clearing });
    expectError(reply, { status: 503, detailedErrorCode: 10010 });
    assert.equal(reply.headers.get('Retry-After'), '60');
  });

  it('503/10008 with a Retry-After when Chargify is down', async () => {
    expectError(await attempt({ ...ACME_ADMIN, subdomain: DEMO_SUBDOMAINS.outage }), { status: 503, detailedErrorCode: 10008 });
  });

  it('503/10008 when Chargify never answers, once the client’s timeout is up and not much later', async () => {
    const companyId = newCompanyId();
    const token = await backend.session(companyId);
    const connection = await backend.pending(token, companyId);
    const started = performance.now();
    const reply = await backend.authorize(token, companyId, connection.id, { ...ACME_ADMIN, subdomain: DEMO_SUBDOMAINS.slow });
    const elapsed = performance.now() - started;

    expectError(reply, { status: 503, detailedErrorCode: 10008 });
    assert.ok(elapsed >= TIMEOUT_MS - 20, `gave up after ${Math.round(elapsed)} ms, before the timeout`);
    assert.ok(elapsed < TIMEOUT_MS + 1_500, `gave up after ${Math.round(elapsed)} ms`);
    assert.deepEqual(hostsAsked(), ['slow.chargify.com']);
  });

  it('leaves the connection pending after a refusal, so the user can try again', async () => {
    const companyId = newCompanyId();
    const token = await backend.session(companyId);
    const connection = await backend.pending(token, companyId);
    expectError(await backend.authorize(token, companyId, connection.id, { ...ACME_ADMIN, apiKey: 'wrong' }), {
      status: 400,
      detailedErrorCode: 10002,
    });
    const reply = await backend.call('GET', `/companies/${companyId}/connections/${connection.id}`, { token });
    assert.equal(reply.body.status, 'PendingAuth');
    assert.deepEqual(reply.body.connectionInfo, {});
    assert.equal((await backend.authorize(token, companyId, connection.id, ACME_ADMIN)).status, 200);
  });
});

describe('authorization: the region hint', () => {
  it('a EU site typed as US: 400/10003, hint EU, and a message that says the site is in the EU region', async () => {
    const reply = await attempt({ apiKey: DEMO_KEYS.euroShopAdmin, subdomain: DEMO_SUBDOMAINS.euroShop, region: 'US' });
    const body = expectError(reply, { status: 400, detailedErrorCode: 10003 });
    assert.deepEqual(body.hint, { region: 'EU' });
    assert.match(body.error, /opens this site in the EU region/);
    assert.deepEqual(hostsAsked(), ['euro-shop.chargify.com', 'euro-shop.ebilling.maxio.com']);
  });

  it('a US site typed as EU: 400/10003, hint US', async () => {
    const body = expectError(await attempt({ ...ACME_ADMIN, region: 'EU' }), { status: 400, detailedErrorCode: 10003 });
    assert.deepEqual(body.hint, { region: 'US' });
    assert.match(body.error, /opens this site in the US region/);
    assert.deepEqual(hostsAsked(), ['acme.ebilling.maxio.com', 'acme.chargify.com']);
  });

  it('the EU site typed as EU links', async () => {
    const reply = await attempt({ apiKey: DEMO_KEYS.euroShopAdmin, subdomain: DEMO_SUBDOMAINS.euroShop, region: 'EU' });
    assert.equal(reply.status, 200, reply.text);
    assert.deepEqual(reply.body.connectionInfo, {
      subdomain: 'euro-shop',
      region: 'EU',
      siteId: 51877,
      siteName: 'Euro Shop GmbH',
      currency: 'EUR',
      test: true,
    });
  });
});

describe('authorization: malformed input, 400/10001, before Chargify is asked', () => {
  let companyId: string;
  let token: string;
  let connectionId: string;

  before(async () => {
    companyId = newCompanyId();
    token = await backend.session(companyId);
    connectionId = (await backend.pending(token, companyId)).id;
  });

  const put = (options: { json?: unknown; raw?: string }) =>
    backend.call('PUT', `/companies/${companyId}/connections/${connectionId}/authorization`, { token, ...options });

  const cases: [string, unknown, string[]][] = [
    ['every field missing', {}, ['apiKey', 'subdomain', 'region']],
    ['a blank key', { ...ACME_ADMIN, apiKey: '   ' }, ['apiKey']],
    ['a key longer than any Chargify key', { ...ACME_ADMIN, apiKey: 'k'.repeat(201) }, ['apiKey']],
    ['a key that is not a string', { ...ACME_ADMIN, apiKey: 42 }, ['apiKey']],
    ['a whole URL as subdomain', { ...ACME_ADMIN, subdomain: 'https://acme.chargify.com' }, ['subdomain']],
    ['a subdomain ending in a dash', { ...ACME_ADMIN, subdomain: 'acme-' }, ['subdomain']],
    ['a host name that would steer the key elsewhere', { ...ACME_ADMIN, subdomain: 'evil.example#' }, ['subdomain']],
    ['an unknown region', { ...ACME_ADMIN, region: 'APAC' }, ['region']],
  ];
  for (const [name, json, itemIds] of cases) {
    it(`names the fields: ${name}`, async () => {
      const body = expectError(await put({ json }), { status: 400, detailedErrorCode: 10001 });
      assert.deepEqual(
        body.validation?.errors.map((item) => item.itemId),
        itemIds,
      );
      assert.ok(body.validation?.errors.every((item) => item.message.length > 0));
      assert.deepEqual(recording.requests, []);
    });
  }

  for (const [name, raw] of [
    ['not JSON', '{"apiKey": '],
    ['a JSON array', '[]'],
    ['JSON null', 'null'],
    ['empty', ''],
  ]) {
    it(`refuses a body that is ${name}`, async () => {
      expectError(await put({ raw }), { status: 400, detailedErrorCode: 10001 });
      assert.deepEqual(recording.requests, []);
    });
  }

  // The limit is in bytes: 6000 '€' are 18 000 bytes of UTF-8 but only 6000 characters.
  for (const [name, padding] of [
    ['ASCII', 'x'.repeat(17 * 1024)],
    ['multibyte', '€'.repeat(6000)],
  ]) {
    it(`refuses a body over 16 KiB with 413/10001: ${name}`, async () => {
      expectError(await put({ json: { ...ACME_ADMIN, padding } }), { status: 413, detailedErrorCode: 10001 });
      assert.deepEqual(recording.requests, []);
    });
  }

  it('accepts the subdomain in capitals and the key with spaces around it, as users type them', async () => {
    const reply = await put({ json: { apiKey: ` ${ACME_ADMIN.apiKey} `, subdomain: 'ACME', region: 'US' } });
    assert.equal(reply.status, 200, reply.text);
    assert.equal(reply.body.connectionInfo.subdomain, 'acme');
  });
});

describe('authorization: conflicts', () => {
  it('409/10009 on authorizing another connection once the company is linked, without asking Chargify', async () => {
    const companyId = newCompanyId();
    const token = await backend.session(companyId);
    const first = await backend.pending(token, companyId);
    assert.equal((await backend.authorize(token, companyId, first.id, ACME_ADMIN)).status, 200);
    // Later, so that the list (oldest first) has a known order.
    backend.clock.advance(1_000);
    const second = await backend.pending(token, companyId);
    recording.stop();
    recording = recordChargifyRequests();

    // The linked one itself takes a new key (a replacement); another may not link beside it.
    expectError(await backend.authorize(token, companyId, second.id, ACME_ADMIN), { status: 409, detailedErrorCode: 10009 });
    assert.deepEqual(recording.requests, []);
    const list = await backend.call('GET', `/companies/${companyId}/connections`, { token });
    assert.deepEqual(
      list.body.results.map((connection: { status: string }) => connection.status),
      ['Linked', 'PendingAuth'],
    );
  });

  it('links again after the linked connection was unlinked', async () => {
    const companyId = newCompanyId();
    const token = await backend.session(companyId);
    const first = await backend.pending(token, companyId);
    assert.equal((await backend.authorize(token, companyId, first.id, ACME_ADMIN)).status, 200);
    const unlinked = await backend.call('PATCH', `/companies/${companyId}/connections/${first.id}`, { token, json: { status: 'Unlinked' } });
    assert.equal(unlinked.status, 200, unlinked.text);
    const second = await backend.pending(token, companyId);
    assert.equal((await backend.authorize(token, companyId, second.id, ACME_ADMIN)).status, 200);
  });
});

describe('connections', () => {
  let companyId: string;
  let token: string;

  before(async () => {
    companyId = newCompanyId();
    token = await backend.session(companyId, 'Northwind Traders');
  });

  it('lists the catalogue: Chargify, enabled', async () => {
    const reply = await backend.call('GET', '/integrations', { token });
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.body, {
      results: [{ key: 'chargify', name: 'Chargify', logoUrl: '', enabled: true, sourceType: 'Commerce', isBeta: false }],
    });
  });

  it('shows the company as the partner named it', async () => {
    const reply = await backend.call('GET', `/companies/${companyId}`, { token });
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.body, { id: companyId, name: 'Northwind Traders' });
  });

  it('creates a pending connection stamped with the clock, and lists and fetches it', async () => {
    const created = await backend.call('POST', `/companies/${companyId}/connections`, { token, json: { platformKey: 'chargify' } });
    assert.equal(created.status, 201);
    assert.deepEqual(
      { ...created.body, id: undefined },
      {
        id: undefined,
        integrationKey: 'chargify',
        platformName: 'Chargify',
        sourceType: 'Commerce',
        status: 'PendingAuth',
        created: backend.clock.now().toISOString(),
        connectionInfo: {},
      },
    );
    const fetched = await backend.call('GET', `/companies/${companyId}/connections/${created.body.id}`, { token });
    assert.deepEqual(fetched.body, created.body);
    const listed = await backend.call('GET', `/companies/${companyId}/connections`, { token });
    assert.deepEqual(listed.body, { results: [created.body] });
  });

  it('refuses an integration it does not offer with 400/10001 on platformKey', async () => {
    for (const json of [{ platformKey: 'xero' }, {}]) {
      const body = expectError(await backend.call('POST', `/companies/${companyId}/connections`, { token, json }), {
        status: 400,
        detailedErrorCode: 10001,
      });
      assert.deepEqual(body.validation?.errors.map((item) => item.itemId), ['platformKey']);
    }
  });

  it('unlinks: 200 Unlinked, listed as such, and the stored credentials are gone', async () => {
    const connection = await backend.pending(token, companyId);
    assert.equal((await backend.authorize(token, companyId, connection.id, ACME_ADMIN)).status, 200);
    assert.notEqual(await backend.store.getSealedCredentials(connection.id), null);
    backend.clock.advance(60_000);

    const reply = await backend.call('PATCH', `/companies/${companyId}/connections/${connection.id}`, {
      token,
      json: { status: 'Unlinked' },
    });
    assert.equal(reply.status, 200, reply.text);
    assert.equal(reply.body.status, 'Unlinked');
    assert.equal(reply.body.id, connection.id);
    assert.equal(await backend.store.getSealedCredentials(connection.id), null);
    const fetched = await backend.call('GET', `/companies/${companyId}/connections/${connection.id}`, { token });
    assert.equal(fetched.body.status, 'Unlinked');
  });

  it('refuses any other change than Unlinked with 400/10001 on status', async () => {
    const connection = await backend.pending(token, companyId);
    for (const json of [{ status: 'Linked' }, { name: 'x' }]) {
      const body = expectError(await backend.call('PATCH', `/companies/${companyId}/connections/${connection.id}`, { token, json }), {
        status: 400,
        detailedErrorCode: 10001,
      });
      assert.deepEqual(body.validation?.errors.map((item) => item.itemId), ['status']);
    }
  });
});

describe('not found', () => {
  let companyId: string;
  let token: string;

  before(async () => {
    companyId = newCompanyId();
    token = await backend.session(companyId);
  });

  it('404 for a connection that does not exist, on GET, PATCH and PUT', async () => {
    const path = `/companies/${companyId}/connections/00000000-0000-4000-8000-000000000000`;
    expectError(await backend.call('GET', path, { token }), { status: 404, detailedErrorCode: null });
    expectError(await backend.call('PATCH', path, { token, json: { status: 'Unlinked' } }), { status: 404, detailedErrorCode: null });
    expectError(await backend.call('PUT', `${path}/authorization`, { token, json: ACME_ADMIN }), { status: 404, detailedErrorCode: null });
    assert.deepEqual(recording.requests, []);
  });

  it('404 for another company’s connection, even with its id', async () => {
    const otherId = newCompanyId();
    const otherToken = await backend.session(otherId);
    const theirs = await backend.pending(otherToken, otherId);
    const path = `/companies/${companyId}/connections/${theirs.id}`;
    expectError(await backend.call('GET', path, { token }), { status: 404, detailedErrorCode: null });
    expectError(await backend.call('PUT', `${path}/authorization`, { token, json: ACME_ADMIN }), { status: 404, detailedErrorCode: null });
    expectError(await backend.call('PATCH', path, { token, json: { status: 'Unlinked' } }), { status: 404, detailedErrorCode: null });
    const still = await backend.call('GET', `/companies/${otherId}/connections/${theirs.id}`, { token: otherToken });
    assert.equal(still.body.status, 'PendingAuth');
  });

  it('404 for a path the contract does not have, 405 for a method it does not support', async () => {
    expectError(await backend.call('GET', '/companies', { token }), { status: 404, detailedErrorCode: null });
    expectError(await backend.call('GET', `/companies/${companyId}/invoices`, { token }), { status: 404, detailedErrorCode: null });
    expectError(await backend.call('DELETE', `/companies/${companyId}/connections`, { token }), { status: 405, detailedErrorCode: null });
  });

  it('a malformed escape in the path is the caller’s mistake: 4xx, not 500', async () => {
    const reply = await backend.call('GET', `/companies/${companyId}/connections/%E0%A4%A`, { token });
    assert.ok(reply.status >= 400 && reply.status < 500, `answered ${reply.status}`);
  });
});

describe('correlation ids and logs', () => {
  it('echoes a sane X-Correlation-Id in the header and the error body', async () => {
    const reply = await backend.call('GET', '/integrations', { correlationId: 'widget-call-0001' });
    const body = expectError(reply, { status: 401, detailedErrorCode: null });
    assert.equal(reply.headers.get('X-Correlation-Id'), 'widget-call-0001');
    assert.equal(body.correlationId, 'widget-call-0001');
  });

  for (const [name, given] of [
    ['missing', null],
    ['too short', 'abc'],
    ['with markup', '<script>alert(1)</script>'],
    ['too long', 'a'.repeat(65)],
  ] as const) {
    it(`replaces a ${name} X-Correlation-Id with a fresh UUID`, async () => {
      const reply = await backend.call('GET', '/health', { correlationId: given });
      assert.equal(reply.status, 200);
      assert.match(reply.headers.get('X-Correlation-Id') ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    });
  }

  it('logs each request as one JSON line with method, path, status and correlation id', async () => {
    const before = backend.logLines.length;
    await backend.call('GET', '/health', { correlationId: 'health-check-42' });
    const lines = backend.logLines.slice(before).map((line) => JSON.parse(line) as Record<string, unknown>);
    const entry = lines.find((line) => line.event === 'request');
    assert.ok(entry, 'a request line');
    assert.equal(entry.method, 'GET');
    assert.equal(entry.path, '/health');
    assert.equal(entry.status, 200);
    assert.equal(entry.correlationId, 'health-check-42');
    assert.equal(typeof entry.durationMs, 'number');
  });

  it('answers /health without a session', async () => {
    const reply = await backend.call('GET', '/health');
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.body, { status: 'ok' });
  });
});
