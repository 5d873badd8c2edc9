import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { DEMO_SUBDOMAINS, maxInFlight, recordChargifyRequests, type ChargifyRecording } from '../../mocks/chargify.js';
import type { ChargifyCredentials } from '../../src/backend/types.js';
import { ACME_ADMIN, expectError, newCompanyId, startBackend, useSimulatedChargify, type TestBackend } from './support.js';

// Chargify allows 4 concurrent requests per subdomain and the customer's other
// tools share them (DESIGN §7): the backend sends at most one at a time. And a
// company ends up with one Linked connection however its authorizations race.

useSimulatedChargify();

let backend: TestBackend;
let recording: ChargifyRecording;

before(async () => {
  backend = await startBackend();
});
after(() => backend.close());
beforeEach(() => {
  recording = recordChargifyRequests();
});
afterEach(() => recording.stop());

/** A company with a session and a pending connection, ready to authorize. */
async function ready() {
  const companyId = newCompanyId();
  const token = await backend.session(companyId);
  const connection = await backend.pending(token, companyId);
  return {
    companyId,
    token,
    connectionId: connection.id,
    authorize: (credentials: ChargifyCredentials, connectionId = connection.id) =>
      backend.authorize(token, companyId, connectionId, credentials),
  };
}

describe('requests to Chargify', () => {
  it('ten companies authorizing one subdomain at once: all link, Chargify sees at most four requests at a time', async () => {
    const companies = await Promise.all(Array.from({ length: 10 }, ready));
    const replies = await Promise.all(companies.map((company) => company.authorize(ACME_ADMIN)));

    assert.deepEqual(replies.map((reply) => reply.status), Array(10).fill(200));
    const acme = recording.requests.filter((request) => request.subdomain === 'acme');
    assert.equal(acme.length, 10);
    assert.ok(acme.every((request) => request.endedAt !== undefined), 'every request was answered');
    assert.equal(maxInFlight(acme), 4);
  });

  it('different subdomains are not held up by each other', async () => {
    const subdomains = [DEMO_SUBDOMAINS.acme, DEMO_SUBDOMAINS.busy, DEMO_SUBDOMAINS.outage, DEMO_SUBDOMAINS.trialEnded, DEMO_SUBDOMAINS.clearing];
    const companies = await Promise.all(subdomains.map(ready));
    await Promise.all(companies.map((company, i) => company.authorize({ ...ACME_ADMIN, subdomain: subdomains[i]! })));

    assert.equal(recording.requests.length, subdomains.length);
    assert.ok(maxInFlight(recording.requests) > 1, 'requests for different sites ran side by side');
    for (const subdomain of subdomains) assert.equal(maxInFlight(recording.requests, subdomain), 1);
  });
});

describe('racing authorizations for one company', () => {
  it('two connections of one company authorized at once: exactly one links, the other gets 409/10009', async () => {
    for (let round = 0; round < 3; round++) {
      const company = await ready();
      const other = await backend.pending(company.token, company.companyId);
      const replies = await Promise.all([company.authorize(ACME_ADMIN), company.authorize(ACME_ADMIN, other.id)]);

      assert.deepEqual(replies.map((reply) => reply.status).sort(), [200, 409]);
      expectError(replies.find((reply) => reply.status === 409)!, { status: 409, detailedErrorCode: 10009 });
      const list = await backend.call('GET', `/companies/${company.companyId}/connections`, { token: company.token });
      const linked = list.body.results.filter((connection: { status: string }) => connection.status === 'Linked');
      assert.equal(linked.length, 1);
      const winner = replies.find((reply) => reply.status === 200)!;
      assert.equal(linked[0].id, winner.body.id);
      const loser = [company.connectionId, other.id].find((id) => id !== winner.body.id)!;
      assert.equal(await backend.store.getSealedCredentials(loser), null, 'the loser stored no credentials');
    }
  });

  it('one connection authorized twice at once: one 200, one 409/10009', async () => {
    const company = await ready();
    const replies = await Promise.all([company.authorize(ACME_ADMIN), company.authorize(ACME_ADMIN)]);
    assert.deepEqual(replies.map((reply) => reply.status).sort(), [200, 409]);
  });
});
