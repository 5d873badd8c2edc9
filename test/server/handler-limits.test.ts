import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEMO_SUBDOMAINS, recordChargifyRequests } from '../../mocks/chargify.js';
import type { ChargifyCredentials } from '../../src/backend/types.js';
import { ACME_ADMIN, expectError, newCompanyId, PARTNER_SECRET, startBackend, useSimulatedChargify, type TestBackend } from './support.js';

// Key guessing is throttled (issue 13, item 3): attempts are counted per session,
// company and client address in sliding windows, and answered 429 / 10011 with
// Retry-After — our own limit, told apart from Chargify's throttling (10007).
// Wrong partner secrets are limited per address, and one company's flood on a
// Chargify site cannot hold up another company's verification.

useSimulatedChargify();

const WRONG: ChargifyCredentials = { ...ACME_ADMIN, apiKey: 'chg_guess_0000' };
const MINUTE = 60_000;

/** Tries `credentials` on a fresh pending connection of the company; the reply. */
async function attempt(backend: TestBackend, token: string, companyId: string, credentials: ChargifyCredentials, clientAddress?: string) {
  const connection = await backend.pending(token, companyId);
  return backend.authorize(token, companyId, connection.id, credentials, { clientAddress });
}

function expectTooMany(reply: Awaited<ReturnType<typeof attempt>>, retryAfter?: number) {
  expectError(reply, { status: 429, detailedErrorCode: 10011 });
  if (retryAfter !== undefined) assert.equal(reply.headers.get('Retry-After'), String(retryAfter));
}

describe('limits on key attempts', () => {
  let backend: TestBackend;
  before(async () => {
    // A generous pending allowance, so that these tests meet only the limit each is about.
    backend = await startBackend({ limits: { pendingPerCompany: { max: 100, windowMs: 60 * MINUTE } } });
  });
  after(() => backend.close());

  it('lets one session try 10 keys in 10 minutes, refuses the 11th with 429/10011, and lets it try again when the window slides', async () => {
    const companyId = newCompanyId('guesser');
    const token = await backend.session(companyId);
    const chargify = recordChargifyRequests();
    try {
      for (let tries = 0; tries < 10; tries++) {
        expectError(await attempt(backend, token, companyId, WRONG), { status: 400, detailedErrorCode: 10002 });
        backend.clock.advance(10_000);
      }
      const refused = await attempt(backend, token, companyId, WRONG);
      // The first attempt leaves the window 10 minutes after it was made: 100 s from now.
      expectTooMany(refused, 500);
      // Each wrong key asks both regions (a 401 may mean no site here); the refused 11th asks none.
      assert.equal(chargify.requests.length, 20, 'a refused attempt never reaches Chargify');

      backend.clock.advance(500_000);
      assert.equal((await attempt(backend, token, companyId, ACME_ADMIN)).status, 200, 'the oldest attempt has left the window');
    } finally {
      chargify.stop();
    }
  });

  it('counts a company’s attempts across its sessions: 20 an hour', async () => {
    const companyId = newCompanyId('many-tabs');
    for (let tries = 0; tries < 20; tries++) {
      // A new session every 5 attempts, as a user reopening the flow would get.
      const token = await backend.session(companyId);
      expectError(await attempt(backend, token, companyId, WRONG), { status: 400, detailedErrorCode: 10002 });
    }
    expectTooMany(await attempt(backend, await backend.session(companyId), companyId, WRONG));
    // Another company is not affected.
    const other = newCompanyId('neighbour');
    assert.equal((await attempt(backend, await backend.session(other), other, ACME_ADMIN)).status, 200);
  });

  it('counts an address’s attempts across companies: 60 an hour', async () => {
    const address = '203.0.113.7';
    for (let company = 0; company < 6; company++) {
      const companyId = newCompanyId('farm');
      const token = await backend.session(companyId);
      for (let tries = 0; tries < 10; tries++) {
        expectError(await attempt(backend, token, companyId, WRONG, address), { status: 400, detailedErrorCode: 10002 });
      }
    }
    const companyId = newCompanyId('farm');
    expectTooMany(await attempt(backend, await backend.session(companyId), companyId, ACME_ADMIN, address));
    assert.equal((await attempt(backend, await backend.session(companyId), companyId, ACME_ADMIN, '198.51.100.9')).status, 200, 'another address');
  });

  it('tells our limit apart from Chargify’s own throttling', async () => {
    const companyId = newCompanyId('busy');
    const token = await backend.session(companyId);
    const throttled = await attempt(backend, token, companyId, { ...ACME_ADMIN, subdomain: DEMO_SUBDOMAINS.busy });
    expectError(throttled, { status: 429, detailedErrorCode: 10007 });
  });

  it('does not count a replay of the same attempt (the widget’s automatic retry)', async () => {
    const companyId = newCompanyId('retrier');
    const token = await backend.session(companyId);
    const connection = await backend.pending(token, companyId);
    for (let replays = 0; replays < 15; replays++) {
      const reply = await backend.authorize(token, companyId, connection.id, WRONG, { idempotencyKey: 'one-attempt-0001' });
      expectError(reply, { status: 400, detailedErrorCode: 10002 });
    }
  });
});

describe('a fair line to one Chargify site', () => {
  it('a company flooding a site is refused past its share, and another company’s key is checked and accepted meanwhile', async () => {
    const backend = await startBackend({ limits: { pendingPerCompany: { max: 100, windowMs: 60 * MINUTE } } });
    try {
      const flooder = newCompanyId('flooder');
      const victim = newCompanyId('victim');
      const [flooderToken, victimToken] = [await backend.session(flooder), await backend.session(victim)];
      const floodConnections = await Promise.all(Array.from({ length: 8 }, () => backend.pending(flooderToken, flooder)));
      const victimConnection = await backend.pending(victimToken, victim);

      const flood = floodConnections.map((connection, index) =>
        backend.authorize(flooderToken, flooder, connection.id, { ...WRONG, apiKey: `chg_junk_${index}` }),
      );
      const victimReply = backend.authorize(victimToken, victim, victimConnection.id, ACME_ADMIN);
      const [flooded, linked] = await Promise.all([Promise.all(flood), victimReply]);

      assert.equal(linked.status, 200, linked.text);
      // Four in flight and two waiting (Chargify serves 4 at once); the other two are refused at once.
      const refused = flooded.filter((reply) => reply.status === 429);
      assert.equal(refused.length, 2);
      for (const reply of refused) expectTooMany(reply);
      assert.equal(flooded.filter((reply) => reply.body.detailedErrorCode === 10007).length, 0, 'nobody is told Chargify throttled');
    } finally {
      await backend.close();
    }
  });
});

describe('limits on the partner secret', () => {
  let backend: TestBackend;
  before(async () => {
    backend = await startBackend();
  });
  after(() => backend.close());

  const mint = (secret: string, clientAddress: string) =>
    backend.call('POST', '/sessions', { headers: { Authorization: `Bearer ${secret}` }, json: { companyId: 'any-co' }, clientAddress });

  it('refuses an address that sent 10 wrong secrets in 10 minutes, even with the right one, until the window slides; other addresses are unaffected', async () => {
    const attacker = '192.0.2.66';
    for (let tries = 0; tries < 10; tries++) expectError(await mint(`wrong-${tries}`, attacker), { status: 401, detailedErrorCode: null });
    expectTooMany(await mint(PARTNER_SECRET, attacker));
    // Revoking sessions takes the same secret, so it shares the same limit.
    const revoke = await backend.call('DELETE', '/companies/any-co/sessions', { headers: { Authorization: `Bearer ${PARTNER_SECRET}` }, clientAddress: attacker });
    expectTooMany(revoke);

    assert.equal((await mint(PARTNER_SECRET, '192.0.2.10')).status, 201, 'the partner’s own server');
    backend.clock.advance(10 * MINUTE);
    assert.equal((await mint(PARTNER_SECRET, attacker)).status, 201);
  });

  it('does not count right secrets', async () => {
    for (let tries = 0; tries < 15; tries++) assert.equal((await mint(PARTNER_SECRET, '192.0.2.20')).status, 201);
  });
});
