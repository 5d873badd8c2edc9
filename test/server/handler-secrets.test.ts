import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { http, HttpResponse } from 'msw';
import { ACME_SITE, BASIC_AUTH_DENIED, DEMO_SUBDOMAINS } from '../../mocks/chargify.js';
import { deriveKeys, open } from '../../server/crypto.js';
import type { ChargifyCredentials } from '../../src/backend/types.js';
import { ACME_ADMIN, newCompanyId, startBackend, useSimulatedChargify, type TestBackend } from './support.js';

// Where an API key may end up: sealed in the credentials table, and nowhere
// else — not the SQLite file in plain text, not a log line, not an answer.
// And what is stored outlives the process.

const chargify = useSimulatedChargify();

const CANARY = `chg_canary_${randomBytes(12).toString('hex')}`;
const CANARY_SUBDOMAIN = 'canary-site';
const BASIC = Buffer.from(`${CANARY}:x`).toString('base64');
const TRACES = [CANARY, BASIC, Buffer.from(CANARY).toString('base64'), Buffer.from(CANARY).toString('hex')];

/** A site, in the simulation's manner, whose only key is the canary. */
function serveCanarySite() {
  chargify.use(
    http.get(`https://${CANARY_SUBDOMAIN}.chargify.com/site.json`, ({ request }) =>
      request.headers.get('Authorization') === `Basic ${BASIC}`
        ? HttpResponse.json({ site: { ...ACME_SITE, id: 90210, name: 'Canary Ltd', subdomain: CANARY_SUBDOMAIN } })
        : new HttpResponse(`${BASIC_AUTH_DENIED}\n`, { status: 401, headers: { 'Content-Type': 'text/plain' } }),
    ),
  );
}

function assertNoTrace(where: string, haystack: string | Buffer) {
  for (const trace of TRACES) {
    assert.ok(!haystack.includes(trace), `${where} holds the key (as ${trace === CANARY ? 'plain text' : 'an encoding of it'})`);
  }
}

describe('the key at rest, in logs and in answers', () => {
  let backend: TestBackend;
  let companyId: string;
  let token: string;
  let linkedId: string;

  before(async () => {
    backend = await startBackend();
    serveCanarySite();
    companyId = newCompanyId();
    token = await backend.session(companyId);

    // Every way an attempt with the key can end, before the one that links.
    const failures: ChargifyCredentials[] = [
      { ...ACME_ADMIN, apiKey: CANARY },
      { apiKey: CANARY, subdomain: 'nosuchsite', region: 'US' },
      { apiKey: CANARY, subdomain: DEMO_SUBDOMAINS.euroShop, region: 'US' },
      { apiKey: CANARY, subdomain: DEMO_SUBDOMAINS.trialEnded, region: 'US' },
      { apiKey: CANARY, subdomain: DEMO_SUBDOMAINS.clearing, region: 'US' },
      { apiKey: CANARY, subdomain: DEMO_SUBDOMAINS.busy, region: 'US' },
      { apiKey: CANARY, subdomain: DEMO_SUBDOMAINS.outage, region: 'EU' },
      { apiKey: CANARY, subdomain: CANARY_SUBDOMAIN, region: 'XX' as 'US' },
    ];
    const pending = await backend.pending(token, companyId);
    for (const credentials of failures) {
      const reply = await backend.authorize(token, companyId, pending.id, credentials, { idempotencyKey: randomUUID() });
      assert.ok(reply.status >= 400, reply.text);
    }
    const key = randomUUID();
    const canary = { apiKey: CANARY, subdomain: CANARY_SUBDOMAIN, region: 'US' } as const;
    const linked = await backend.authorize(token, companyId, pending.id, canary, { idempotencyKey: key });
    assert.equal(linked.status, 200, linked.text);
    linkedId = linked.body.id;
    // A replay, a reuse of the key with another body and a conflict, all with the key in the body.
    await backend.authorize(token, companyId, pending.id, canary, { idempotencyKey: key });
    await backend.authorize(token, companyId, pending.id, { ...canary, region: 'EU' }, { idempotencyKey: key });
    await backend.authorize(token, companyId, (await backend.pending(token, companyId)).id, canary);
  });
  after(() => backend.close());

  it('is not in the SQLite file or its write-ahead log, in plain text or encoded', async () => {
    const bytes = backend.databaseBytes();
    // The connection is in these bytes, so the search covers where the data lives.
    assert.ok(bytes.includes(Buffer.from(linkedId)) && bytes.includes(Buffer.from('Canary Ltd')), 'the data is there');
    assertNoTrace('the SQLite file', bytes);
  });

  it('is in no log line', () => {
    assert.ok(backend.logLines.some((line) => line.includes('chargify.verify')), 'verifications were logged');
    for (const line of backend.logLines) assertNoTrace(`log line ${line}`, line);
  });

  it('is in no answer', () => {
    assert.ok(backend.bodies.length > 10);
    for (const body of backend.bodies) assertNoTrace(`answer ${body}`, body);
  });

  it('is stored sealed: it opens with the connection’s id to what was typed, and with no other id or key', async () => {
    const sealed = await backend.store.getSealedCredentials(linkedId);
    assert.ok(sealed, 'credentials are stored');
    assertNoTrace('the sealed value', sealed);
    assert.deepEqual(JSON.parse(open(deriveKeys(backend.settings.secretKey), sealed, linkedId)), {
      apiKey: CANARY,
      subdomain: CANARY_SUBDOMAIN,
      region: 'US',
    });
    assert.throws(() => open(deriveKeys(backend.settings.secretKey), sealed, randomUUID()));
    assert.throws(() => open(deriveKeys(randomBytes(32)), sealed, linkedId));
  });

  it('is still nowhere in plain text once the log has been checkpointed into the file', async () => {
    await backend.restart();
    const bytes = backend.databaseBytes();
    assert.ok(bytes.includes(Buffer.from(linkedId)));
    assertNoTrace('the SQLite file after a checkpoint', bytes);
  });
});

describe('a restart', () => {
  let backend: TestBackend;

  before(async () => {
    backend = await startBackend();
  });
  after(() => backend.close());

  it('keeps the company, its Linked connection, its credentials, its sessions and its kept answers', async () => {
    const companyId = newCompanyId();
    const token = await backend.session(companyId, 'Survivor Inc');
    const key = randomUUID();
    const created = await backend.call('POST', `/companies/${companyId}/connections`, {
      token,
      json: { platformKey: 'chargify' },
      idempotencyKey: key,
    });
    const linked = await backend.authorize(token, companyId, created.body.id, ACME_ADMIN);
    assert.equal(linked.status, 200, linked.text);

    await backend.restart();

    const fetched = await backend.call('GET', `/companies/${companyId}/connections/${created.body.id}`, { token });
    assert.equal(fetched.status, 200, fetched.text);
    assert.deepEqual(fetched.body, linked.body);
    const listed = await backend.call('GET', `/companies/${companyId}/connections`, { token });
    assert.deepEqual(listed.body, { results: [linked.body] });
    assert.deepEqual((await backend.call('GET', `/companies/${companyId}`, { token })).body, { id: companyId, name: 'Survivor Inc' });
    const sealed = await backend.store.getSealedCredentials(created.body.id);
    assert.equal(JSON.parse(open(deriveKeys(backend.settings.secretKey), sealed ?? '', created.body.id)).apiKey, ACME_ADMIN.apiKey);

    const replay = await backend.call('POST', `/companies/${companyId}/connections`, { token, json: { platformKey: 'chargify' }, idempotencyKey: key });
    assert.equal(replay.headers.get('Idempotent-Replayed'), 'true');
    assert.equal(replay.text, created.text);
    const second = await backend.pending(token, companyId);
    const conflict = await backend.authorize(token, companyId, second.id, ACME_ADMIN);
    assert.equal(conflict.status, 409, 'still linked after the restart');
  });
});
