import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { http, HttpResponse } from 'msw';
import { DEMO_KEYS, restoreKeys, revokeKey, simulatorControls } from '../../mocks/chargify.js';
import { createChargifyVerifier } from '../../server/chargify/client.js';
import { deriveKeys, open } from '../../server/crypto.js';
import { connectionDepsFor } from '../../server/handler.js';
import { startBackgroundCheck } from '../../server/lifecycle.js';
import { createLogger } from '../../server/log.js';
import { ACME_ADMIN, expectError, newCompanyId, startBackend, useSimulatedChargify, type TestBackend } from './support.js';

// The life of a connection after its first day (issue 17; DESIGN §6): its key
// checked again, replaced for the same site, handed to a colleague, and a
// pending connection resumed — against the simulated Chargify, whose demo keys
// can be revoked as a site admin deletes one.

const chargify = useSimulatedChargify();
afterEach(() => restoreKeys());

const ROTATED = { ...ACME_ADMIN, apiKey: DEMO_KEYS.acmeRotated };
const EURO_SHOP = { apiKey: DEMO_KEYS.euroShopAdmin, subdomain: 'euro-shop', region: 'EU' as const };
const DAY = 24 * 60 * 60 * 1000;

let backend: TestBackend;
before(async () => {
  backend = await startBackend();
});
after(() => backend.close());

async function linkedCompany() {
  const companyId = newCompanyId('life');
  const token = await backend.session(companyId, 'Life Ltd');
  const connection = await backend.pending(token, companyId);
  assert.equal((await backend.authorize(token, companyId, connection.id, ACME_ADMIN)).status, 200);
  return { companyId, token, id: connection.id, path: `/companies/${companyId}/connections/${connection.id}` };
}

describe('checking a connection again (POST …/verify)', () => {
  it('says Linked with when, and Deauthorized with the verdict once the key is revoked in Chargify; back to Linked when it works again', async () => {
    const { token, path } = await linkedCompany();
    backend.clock.advance(60_000);
    const fine = await backend.call('POST', `${path}/verify`, { token });
    assert.equal(fine.status, 200, fine.text);
    assert.equal(fine.body.status, 'Linked');
    assert.equal(fine.body.lastVerifiedAt, backend.clock.now().toISOString());

    revokeKey(DEMO_KEYS.acmeAdmin);
    const refused = await backend.call('POST', `${path}/verify`, { token });
    assert.equal(refused.body.status, 'Deauthorized');
    assert.equal(refused.body.deauthorizedReason, 'invalid_credentials');
    assert.equal((await backend.call('GET', path, { token })).body.status, 'Deauthorized');

    restoreKeys();
    const back = await backend.call('POST', `${path}/verify`, { token });
    assert.equal(back.body.status, 'Linked');
    assert.equal(back.body.deauthorizedReason, undefined);
  });

  it('changes nothing when Chargify cannot say (down), and answers as the error it is', async () => {
    const { token, path } = await linkedCompany();
    chargify.use(http.get('https://acme.chargify.com/site.json', () => new HttpResponse(null, { status: 503 })));
    expectError(await backend.call('POST', `${path}/verify`, { token }), { status: 503, detailedErrorCode: 10008 });
    assert.equal((await backend.call('GET', path, { token })).body.status, 'Linked');
  });

  it('has nothing to check on a pending connection: 409', async () => {
    const companyId = newCompanyId('life');
    const token = await backend.session(companyId);
    const pending = await backend.pending(token, companyId);
    expectError(await backend.call('POST', `/companies/${companyId}/connections/${pending.id}/verify`, { token }), { status: 409, detailedErrorCode: null });
  });

  it('in the background, every interval, for linked connections only, spread over ticks', async () => {
    const { companyId, id } = await linkedCompany();
    revokeKey(DEMO_KEYS.acmeAdmin);
    backend.clock.advance(2 * DAY);
    const check = startBackgroundCheck(
      connectionDepsFor({ store: backend.store, chargify: createChargifyVerifier(), clock: backend.clock, settings: backend.settings, log: createLogger(() => {}) }),
      DAY,
    );
    try {
      assert.ok((await check.runOnce()) >= 1);
      assert.equal((await backend.store.getConnection(companyId, id))?.status, 'Deauthorized');
      // Deauthorized ones are not checked again by themselves: the user enters a new key.
      assert.equal((await backend.store.dueForVerification(backend.clock.now(), 100)).some((due) => due.connection.status !== 'Linked'), false);
    } finally {
      check.stop();
    }
  });
});

describe('replacing the key (PUT …/authorization on a linked connection)', () => {
  it('takes a new key of the same site: same id, Linked, the old key overwritten', async () => {
    const { companyId, token, id } = await linkedCompany();
    const before = (await backend.store.getSealedCredentials(id))!;
    revokeKey(DEMO_KEYS.acmeAdmin);
    assert.equal((await backend.call('POST', `/companies/${companyId}/connections/${id}/verify`, { token })).body.status, 'Deauthorized');

    const replaced = await backend.authorize(token, companyId, id, ROTATED);
    assert.equal(replaced.status, 200, replaced.text);
    assert.equal(replaced.body.id, id);
    assert.equal(replaced.body.status, 'Linked');
    const sealed = (await backend.store.getSealedCredentials(id))!;
    assert.equal(JSON.parse(open(deriveKeys(backend.settings.secretKey), sealed, id)).apiKey, DEMO_KEYS.acmeRotated);
    const ciphertext = before.split(':')[3]!;
    assert.ok(!backend.databaseBytes().toString('latin1').includes(ciphertext), 'the old sealed key is gone from the files');
  });

  it('refuses a key of another site with 400/10006: changing sites means disconnecting first', async () => {
    const { companyId, token, id } = await linkedCompany();
    expectError(await backend.authorize(token, companyId, id, EURO_SHOP), { status: 400, detailedErrorCode: 10006 });
    const stored = JSON.parse(open(deriveKeys(backend.settings.secretKey), (await backend.store.getSealedCredentials(id))!, id));
    assert.equal(stored.apiKey, ACME_ADMIN.apiKey, 'the old key stays');
  });
});

describe('handing the credentials step to a colleague', () => {
  async function handoff(companyId: string, token: string, id: string) {
    const created = await backend.call('POST', `/companies/${companyId}/connections/${id}/handoffs`, { token });
    assert.equal(created.status, 201, created.text);
    assert.match(created.body.token, /^[A-Za-z0-9_-]{43,}$/);
    assert.equal(created.body.expiresAt, new Date(backend.clock.now().getTime() + DAY).toISOString());
    return created.body as { id: string; token: string };
  }

  async function pendingCompany() {
    const companyId = newCompanyId('handoff');
    const token = await backend.session(companyId, 'Handoff GmbH');
    const connection = await backend.pending(token, companyId);
    return { companyId, token, id: connection.id };
  }

  it('opens exactly two things of one connection — its status and its credentials step — once', async () => {
    const { companyId, token, id } = await pendingCompany();
    const link = await handoff(companyId, token, id);
    const view = await backend.call('GET', '/handoff', { token: link.token });
    assert.equal(view.status, 200);
    assert.deepEqual({ companyId: view.body.companyId, companyName: view.body.companyName, id: view.body.connection.id }, { companyId, companyName: 'Handoff GmbH', id });
    assert.equal((await backend.call('GET', `/companies/${companyId}/connections/${id}`, { token: link.token })).status, 200);

    for (const [method, path] of [
      ['GET', `/companies/${companyId}/connections`],
      ['GET', `/companies/${companyId}`],
      ['PATCH', `/companies/${companyId}/connections/${id}`],
      ['POST', `/companies/${companyId}/connections/${id}/handoffs`],
      ['GET', '/integrations'],
    ] as const) {
      const reply = await backend.call(method, path, { token: link.token, ...(method === 'PATCH' ? { json: { status: 'Unlinked' } } : {}) });
      expectError(reply, { status: 403, detailedErrorCode: null });
    }

    // A wrong key does not use the link up; the right one does.
    expectError(await backend.authorize(link.token, companyId, id, { ...ACME_ADMIN, apiKey: 'chg_wrong' }), { status: 400, detailedErrorCode: 10002 });
    const done = await backend.authorize(link.token, companyId, id, ACME_ADMIN);
    assert.equal(done.status, 200, done.text);
    assert.equal(done.body.status, 'Linked');
    const used = expectError(await backend.call('GET', '/handoff', { token: link.token }), { status: 401, detailedErrorCode: null });
    assert.match(used.error, /used, has expired or was revoked/);
    // The company's own page sees it linked.
    assert.equal((await backend.call('GET', `/companies/${companyId}/connections/${id}`, { token })).body.status, 'Linked');
  });

  it('ends when revoked, when it expires, and when someone else links the connection first', async () => {
    const { companyId, token, id } = await pendingCompany();
    const revoked = await handoff(companyId, token, id);
    assert.equal((await backend.call('DELETE', `/companies/${companyId}/connections/${id}/handoffs/${revoked.id}`, { token })).status, 204);
    expectError(await backend.call('GET', '/handoff', { token: revoked.token }), { status: 401, detailedErrorCode: null });

    const expiring = await handoff(companyId, token, id);
    backend.clock.advance(DAY + 1);
    expectError(await backend.call('GET', '/handoff', { token: expiring.token }), { status: 401, detailedErrorCode: null });

    const fresh = await backend.session(companyId);
    const overtaken = await handoff(companyId, fresh, id);
    assert.equal((await backend.authorize(fresh, companyId, id, ACME_ADMIN)).status, 200);
    expectError(await backend.authorize(overtaken.token, companyId, id, ACME_ADMIN), { status: 401, detailedErrorCode: null });
  });

  it('is not a session token: a session cannot read /handoff, and a hand-off of one company opens nothing of another', async () => {
    const one = await pendingCompany();
    const other = await pendingCompany();
    const link = await handoff(one.companyId, one.token, one.id);
    expectError(await backend.call('GET', '/handoff', { token: one.token }), { status: 403, detailedErrorCode: null });
    expectError(await backend.call('GET', `/companies/${other.companyId}/connections/${other.id}`, { token: link.token }), { status: 403, detailedErrorCode: null });
  });

  it('is limited like a session: 10 keys tried in 10 minutes', async () => {
    const { companyId, token, id } = await pendingCompany();
    const link = await handoff(companyId, token, id);
    for (let tries = 0; tries < 10; tries++) {
      expectError(await backend.authorize(link.token, companyId, id, { ...ACME_ADMIN, apiKey: `chg_wrong_${tries}` }), { status: 400, detailedErrorCode: 10002 });
    }
    expectError(await backend.authorize(link.token, companyId, id, ACME_ADMIN), { status: 429, detailedErrorCode: 10011 });
  });

  it('keeps only a hash of the token', async () => {
    const { companyId, token, id } = await pendingCompany();
    const link = await handoff(companyId, token, id);
    assert.ok(!backend.databaseBytes().toString('latin1').includes(link.token));
  });
});

describe('the simulated Chargify’s controls', () => {
  it('revokes a demo key and restores it, as the README’s demo table says', async () => {
    const post = (path: string, body?: unknown) =>
      simulatorControls(new Request(`http://localhost${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body ?? {}) }));
    assert.equal((await post('/simulator/revoke', { apiKey: DEMO_KEYS.acmeAdmin })).status, 204);
    const verifier = createChargifyVerifier();
    assert.deepEqual(await verifier.verify(ACME_ADMIN), { outcome: 'invalid_credentials' });
    assert.equal((await post('/simulator/restore')).status, 204);
    assert.equal((await verifier.verify(ACME_ADMIN)).outcome, 'verified');
  });
});
