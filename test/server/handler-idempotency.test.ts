import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { http, HttpResponse } from 'msw';
import { DEMO_SUBDOMAINS, recordChargifyRequests, type ChargifyRecording } from '../../mocks/chargify.js';
import { ACME_ADMIN, expectError, newCompanyId, startBackend, useSimulatedChargify, type Reply, type TestBackend } from './support.js';

// Idempotency-Key (DESIGN §6): a retry of one attempt carries the same key and
// must get the first answer without the work being done twice; answers that
// ask for a retry are not kept, so the retry really runs again.

const chargify = useSimulatedChargify();

let backend: TestBackend;
let recording: ChargifyRecording;
let companyId: string;
let token: string;

before(async () => {
  backend = await startBackend();
});
after(() => backend.close());
beforeEach(async () => {
  recording = recordChargifyRequests();
  companyId = newCompanyId();
  token = await backend.session(companyId);
});
afterEach(() => recording.stop());

const createWithKey = (idempotencyKey: string, json: unknown = { platformKey: 'chargify' }) =>
  backend.call('POST', `/companies/${companyId}/connections`, { token, json, idempotencyKey });

async function connectionCount(): Promise<number> {
  return (await backend.call('GET', `/companies/${companyId}/connections`, { token })).body.results.length;
}

function assertReplayOf(replay: Reply, first: Reply) {
  assert.equal(first.headers.get('Idempotent-Replayed'), null, 'the first answer is not a replay');
  assert.equal(replay.headers.get('Idempotent-Replayed'), 'true');
  assert.equal(replay.status, first.status);
  assert.equal(replay.text, first.text, 'byte for byte');
}

describe('Idempotency-Key: replays', () => {
  it('POST: the same key returns the first connection and creates it once', async () => {
    const key = randomUUID();
    const first = await createWithKey(key);
    assert.equal(first.status, 201);
    const again = await createWithKey(key);
    assertReplayOf(again, first);
    assert.equal(await connectionCount(), 1);
  });

  it('PUT: the same key returns the first Linked answer and asks Chargify once', async () => {
    const connection = await backend.pending(token, companyId);
    const key = randomUUID();
    const first = await backend.authorize(token, companyId, connection.id, ACME_ADMIN, { idempotencyKey: key });
    assert.equal(first.status, 200, first.text);
    backend.clock.advance(5_000);
    const again = await backend.authorize(token, companyId, connection.id, ACME_ADMIN, { idempotencyKey: key });
    assertReplayOf(again, first);
    assert.equal(recording.requests.length, 1);
  });

  it('PUT: a final refusal is kept too, so its retry does not ask Chargify again', async () => {
    const connection = await backend.pending(token, companyId);
    const key = randomUUID();
    const wrong = { ...ACME_ADMIN, apiKey: 'chg_wrong' };
    const first = await backend.authorize(token, companyId, connection.id, wrong, { idempotencyKey: key });
    expectError(first, { status: 400, detailedErrorCode: 10002 });
    const again = await backend.authorize(token, companyId, connection.id, wrong, { idempotencyKey: key });
    assertReplayOf(again, first);
    // One attempt: the chosen region, then the other (a 401 may mean no site here).
    assert.deepEqual(recording.requests.map((request) => request.region), ['US', 'EU']);
  });

  it('PATCH: the same key returns the first answer', async () => {
    const connection = await backend.pending(token, companyId);
    const key = randomUUID();
    const path = `/companies/${companyId}/connections/${connection.id}`;
    const first = await backend.call('PATCH', path, { token, json: { status: 'Unlinked' }, idempotencyKey: key });
    assert.equal(first.status, 200);
    backend.clock.advance(5_000);
    assertReplayOf(await backend.call('PATCH', path, { token, json: { status: 'Unlinked' }, idempotencyKey: key }), first);
  });

  it('a day later the same key does the work again: the kept answer has expired', async () => {
    const key = randomUUID();
    assert.equal((await createWithKey(key)).status, 201);
    backend.clock.advance(24 * 60 * 60 * 1000 + 1);
    token = await backend.session(companyId); // the first session has expired by then
    const later = await createWithKey(key);
    // Done again, not replayed: the pending connection is resumed.
    assert.equal(later.status, 200);
    assert.equal(later.headers.get('Idempotent-Replayed'), null);
    assert.equal(await connectionCount(), 1);
  });

  it('echoes the retry’s own X-Correlation-Id in the header of a replay', async () => {
    const key = randomUUID();
    await createWithKey(key);
    const again = await backend.call('POST', `/companies/${companyId}/connections`, {
      token,
      json: { platformKey: 'chargify' },
      idempotencyKey: key,
      correlationId: 'the-retry-0001',
    });
    assert.equal(again.headers.get('Idempotent-Replayed'), 'true');
    assert.equal(again.headers.get('X-Correlation-Id'), 'the-retry-0001');
  });

  it('without a key, every call does its work', async () => {
    const first = await backend.call('POST', `/companies/${companyId}/connections`, { token, json: { platformKey: 'chargify' } });
    const second = await backend.call('POST', `/companies/${companyId}/connections`, { token, json: { platformKey: 'chargify' } });
    assert.deepEqual([first.status, second.status], [201, 200], 'the second resumes the first: its own work, not a replay');
    assert.equal(second.headers.get('Idempotent-Replayed'), null);
  });

  it('keys are scoped to the method and path: the same key on another connection does that connection’s work', async () => {
    const one = await backend.pending(token, companyId);
    // A second connection: the first given up, so the next is new rather than resumed.
    await backend.call('PATCH', `/companies/${companyId}/connections/${one.id}`, { token, json: { status: 'Unlinked' } });
    const two = await backend.pending(token, companyId);
    const key = randomUUID();
    const path = (id: string) => `/companies/${companyId}/connections/${id}`;
    const first = await backend.call('PATCH', path(one.id), { token, json: { status: 'Unlinked' }, idempotencyKey: key });
    const second = await backend.call('PATCH', path(two.id), { token, json: { status: 'Unlinked' }, idempotencyKey: key });
    assert.equal(second.headers.get('Idempotent-Replayed'), null);
    assert.equal(first.body.id, one.id);
    assert.equal(second.body.id, two.id);
  });
});

describe('Idempotency-Key: misuse', () => {
  it('the same key with a different body is 422/10001 and does nothing', async () => {
    const key = randomUUID();
    assert.equal((await createWithKey(key)).status, 201);
    expectError(await createWithKey(key, { platformKey: 'chargify', note: 'changed' }), { status: 422, detailedErrorCode: 10001 });
    assert.equal(await connectionCount(), 1);

    const connection = await backend.pending(token, companyId);
    const putKey = randomUUID();
    const first = await backend.authorize(token, companyId, connection.id, { ...ACME_ADMIN, apiKey: 'chg_wrong' }, { idempotencyKey: putKey });
    expectError(first, { status: 400, detailedErrorCode: 10002 });
    const changed = await backend.authorize(token, companyId, connection.id, ACME_ADMIN, { idempotencyKey: putKey });
    expectError(changed, { status: 422, detailedErrorCode: 10001 });
    assert.deepEqual(recording.requests.map((request) => request.region), ['US', 'EU'], 'Chargify was asked for the first body only');
    const fetched = await backend.call('GET', `/companies/${companyId}/connections/${connection.id}`, { token });
    assert.equal(fetched.body.status, 'PendingAuth');
  });
});

describe('Idempotency-Key: answers that ask for a retry are not kept', () => {
  for (const [subdomain, status, detailedErrorCode] of [
    [DEMO_SUBDOMAINS.outage, 503, 10008],
    [DEMO_SUBDOMAINS.busy, 429, 10007],
  ] as const) {
    it(`${status}: the retry with the same key reaches Chargify again`, async () => {
      const connection = await backend.pending(token, companyId);
      const key = randomUUID();
      const credentials = { ...ACME_ADMIN, subdomain };
      const first = await backend.authorize(token, companyId, connection.id, credentials, { idempotencyKey: key });
      expectError(first, { status, detailedErrorCode });
      const retry = await backend.authorize(token, companyId, connection.id, credentials, { idempotencyKey: key });
      expectError(retry, { status, detailedErrorCode });
      assert.equal(retry.headers.get('Idempotent-Replayed'), null);
      assert.equal(recording.requests.length, 2);
    });
  }

  it('after a 503, the retry with the same key links once Chargify is back', async () => {
    // Chargify's first answer is an outage; every later one is the simulation's.
    chargify.use(http.get('https://acme.chargify.com/site.json', () => new HttpResponse(null, { status: 503 }), { once: true }));
    const connection = await backend.pending(token, companyId);
    const key = randomUUID();
    const first = await backend.authorize(token, companyId, connection.id, ACME_ADMIN, { idempotencyKey: key });
    expectError(first, { status: 503, detailedErrorCode: 10008 });
    const retry = await backend.authorize(token, companyId, connection.id, ACME_ADMIN, { idempotencyKey: key });
    assert.equal(retry.status, 200, retry.text);
    assert.equal(retry.body.status, 'Linked');
    assert.equal(retry.headers.get('Idempotent-Replayed'), null);
  });
});

describe('Idempotency-Key: concurrent duplicates share one execution', () => {
  it('PUT: two at once ask Chargify once and get the same answer', async () => {
    const connection = await backend.pending(token, companyId);
    const key = randomUUID();
    const [a, b] = await Promise.all([
      backend.authorize(token, companyId, connection.id, ACME_ADMIN, { idempotencyKey: key }),
      backend.authorize(token, companyId, connection.id, ACME_ADMIN, { idempotencyKey: key }),
    ]);
    assert.equal(a.status, 200, a.text);
    assert.equal(b.status, 200, b.text);
    assert.equal(a.text, b.text);
    assert.deepEqual([a, b].map((reply) => reply.headers.get('Idempotent-Replayed')).sort(), ['true', null].sort());
    assert.equal(recording.requests.length, 1);
  });

  it('POST: three at once create one connection', async () => {
    const key = randomUUID();
    const replies = await Promise.all([createWithKey(key), createWithKey(key), createWithKey(key)]);
    assert.deepEqual(replies.map((reply) => reply.status), [201, 201, 201]);
    assert.equal(new Set(replies.map((reply) => reply.text)).size, 1);
    assert.equal(await connectionCount(), 1);
  });

  it('429: the duplicate that waited gets the same throttling answer, Retry-After included', async () => {
    const connection = await backend.pending(token, companyId);
    const key = randomUUID();
    const credentials = { ...ACME_ADMIN, subdomain: DEMO_SUBDOMAINS.busy };
    const replies = await Promise.all([
      backend.authorize(token, companyId, connection.id, credentials, { idempotencyKey: key }),
      backend.authorize(token, companyId, connection.id, credentials, { idempotencyKey: key }),
    ]);
    assert.equal(recording.requests.length, 1, 'one execution');
    for (const reply of replies) expectError(reply, { status: 429, detailedErrorCode: 10007 });
  });
});
