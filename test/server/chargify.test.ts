import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { createChargifyVerifier, DEFAULT_TIMEOUT_MS } from '../../server/chargify/client.js';
import type { Region, Verification } from '../../server/chargify/types.js';
import {
  BASIC_AUTH_DENIED,
  DATA_CLEARING_MESSAGE,
  DEMO_KEYS,
  TRIAL_ENDED_MESSAGE,
  USAGE_VIOLATION,
  chargifyHandlers,
  maxInFlight,
  recordChargifyRequests,
  type ChargifyRecording,
} from '../../mocks/chargify.js';

// The Chargify client against the simulated Chargify: every outcome from the
// behaviour that causes it, and what reached Chargify on the way.

const server = setupServer(...chargifyHandlers);
const verifier = createChargifyVerifier({ timeoutMs: 2_000 });
let recording: ChargifyRecording;

/** Verifies, and checks the key is nowhere in what came back. */
let requesters = 0;

/** Each call is its own requester (company) unless one is named: independent callers, as in the handler. */
async function verify(subdomain: string, region: Region, apiKey: string, client = verifier, requester = `company-${++requesters}`): Promise<Verification> {
  const verification = await client.verify({ subdomain, region, apiKey }, requester);
  assert.ok(!JSON.stringify(verification).includes(apiKey), 'the key must not come back');
  return verification;
}

function hosts(): string[] {
  return recording.requests.map((request) => request.host);
}

/** Replaces one host's answer for these tests. */
function answer(url: string, response: () => Response) {
  server.use(http.get(url, response));
}

/** Rejects like undici does when it cannot connect (`ENOTFOUND`: the host name does not resolve). */
function connectionFailure(code: string): Promise<never> {
  const cause = Object.assign(new Error(`connect ${code}`), { code });
  return Promise.reject(new TypeError('fetch failed', { cause }));
}

/** The global fetch, except that hosts ending in `failing` do not resolve. */
function fetchWithDeadHost(failing: string, code = 'ENOTFOUND'): typeof fetch {
  return (input, init) => (new URL(String(input)).host.endsWith(failing) ? connectionFailure(code) : fetch(input, init));
}

const ACME_VERIFIED: Verification = {
  outcome: 'verified',
  site: { id: 48213, name: 'Acme Inc', subdomain: 'acme', currency: 'USD', test: false },
};

describe('Chargify', () => {
  before(() => server.listen({ onUnhandledRequest: 'error' }));
  after(() => server.close());
  beforeEach(() => {
    recording = recordChargifyRequests();
  });
  afterEach(() => {
    recording.stop();
    server.events.removeAllListeners();
    server.resetHandlers();
  });

  describe('verification: the request', () => {
    it('asks GET /site.json on the US host with the key as Basic user name and x as password', async () => {
      const accepts: (string | null)[] = [];
      server.events.on('request:start', ({ request }) => accepts.push(request.headers.get('Accept')));
      await verify('acme', 'US', DEMO_KEYS.acmeAdmin);

      assert.equal(recording.requests.length, 1);
      const [request] = recording.requests;
      assert.equal(request?.method, 'GET');
      assert.equal(request?.host, 'acme.chargify.com');
      assert.equal(request?.authorization, `Basic ${Buffer.from('chg_demo_acme_admin:x').toString('base64')}`);
      assert.deepEqual(accepts, ['application/json']);
    });

    it('asks the EU host for an EU site', async () => {
      await verify('euro-shop', 'EU', DEMO_KEYS.euroShopAdmin);
      assert.deepEqual(hosts(), ['euro-shop.ebilling.maxio.com']);
    });

    it('refuses a subdomain that is not one, before any request', async () => {
      for (const subdomain of ['evil.example/x?', 'acme-', '', 'a.b']) {
        await assert.rejects(verifier.verify({ subdomain, region: 'US', apiKey: DEMO_KEYS.acmeAdmin }), (error: Error) => {
          assert.ok(error instanceof RangeError);
          assert.ok(!error.message.includes(DEMO_KEYS.acmeAdmin));
          return true;
        });
      }
      assert.equal(recording.requests.length, 0);
    });

    it('refuses a timeout that is not a positive number', () => {
      assert.throws(() => createChargifyVerifier({ timeoutMs: Number.NaN }), RangeError);
    });
  });

  describe('simulated Chargify', () => {
    it('refuses an unknown key with the body the official SDKs’ live tests read', async () => {
      const response = await fetch('https://acme.chargify.com/site.json', {
        headers: { Authorization: `Basic ${btoa('chg_not_a_key:x')}` },
      });
      assert.equal(response.status, 401);
      assert.equal((await response.text()).trim(), BASIC_AUTH_DENIED);
    });

    it('takes only Basic auth with a user name and a password: a bare key or a bearer token is refused', async () => {
      for (const authorization of [`Bearer ${DEMO_KEYS.acmeAdmin}`, `Basic ${btoa(DEMO_KEYS.acmeAdmin)}`, DEMO_KEYS.acmeAdmin]) {
        const response = await fetch('https://acme.chargify.com/site.json', { headers: { Authorization: authorization } });
        assert.equal(response.status, 401, authorization);
      }
    });

    it('throttles with the documented usage-violation words and no Retry-After', async () => {
      const response = await fetch('https://busy.ebilling.maxio.com/site.json');
      assert.equal(response.status, 429);
      assert.equal(response.headers.get('Retry-After'), null);
      assert.ok((await response.text()).startsWith(USAGE_VIOLATION));
    });

    it('answers a site with the wrapper and the fields live sites send, more than the documented schema', async () => {
      const response = await fetch('https://acme.chargify.com/site.json', { headers: { Authorization: `Basic ${btoa(`${DEMO_KEYS.acmeAdmin}:x`)}` } });
      const { site } = (await response.json()) as { site: Record<string, unknown> };
      assert.equal(typeof site.id, 'number');
      assert.equal((site.allocation_settings as Record<string, unknown>).accrue_charge, 'true', 'a string, as live sites send it');
      assert.equal(site.portal_enabled, false);
    });
  });

  describe('verification: outcomes', () => {
    it('verified: 200 with the site, reduced to what the contract keeps', async () => {
      assert.deepEqual(await verify('acme', 'US', DEMO_KEYS.acmeAdmin), ACME_VERIFIED);
      assert.deepEqual(await verify('euro-shop', 'EU', DEMO_KEYS.euroShopAdmin), {
        outcome: 'verified',
        site: { id: 51877, name: 'Euro Shop GmbH', subdomain: 'euro-shop', currency: 'EUR', test: true },
      });
    });

    it('verified whatever the case the subdomain was typed in', async () => {
      assert.deepEqual(await verify('ACME', 'US', DEMO_KEYS.acmeAdmin), ACME_VERIFIED);
      assert.deepEqual(hosts(), ['acme.chargify.com']);
    });

    it('verified with a site id that is a string, as the docs allow ids to become, and without the optional fields', async () => {
      answer('https://strings.chargify.com/site.json', () =>
        HttpResponse.json({ site: { id: 'site_9f2', name: 'Strings Ltd', subdomain: 'strings', brand_new_field: { x: 1 } } }),
      );
      assert.deepEqual(await verify('strings', 'US', 'any key'), {
        outcome: 'verified',
        site: { id: 'site_9f2', name: 'Strings Ltd', subdomain: 'strings' },
      });
    });

    it('invalid_credentials: 401 here, and no 200 from the other region', async () => {
      assert.deepEqual(await verify('acme', 'US', 'chg_not_a_key'), { outcome: 'invalid_credentials' });
      assert.deepEqual(hosts(), ['acme.chargify.com', 'acme.ebilling.maxio.com']);
    });

    it('access_refused: an unexpected 403, with its status and no made-up cause', async () => {
      answer('https://acme.chargify.com/site.json', () => HttpResponse.text('Forbidden', { status: 403 }));
      const seen: string[] = [];
      server.events.on('request:start', ({ request }) => seen.push(new URL(request.url).host));
      assert.deepEqual(await verify('acme', 'US', DEMO_KEYS.acmeAdmin), { outcome: 'access_refused', status: 403 });
      assert.deepEqual(seen, ['acme.chargify.com'], 'a 403 says the site is here: no probe');
    });

    it("account_blocked: 422 with Chargify's own sentence", async () => {
      assert.deepEqual(await verify('trial-ended', 'US', 'any key'), {
        outcome: 'account_blocked',
        reason: TRIAL_ENDED_MESSAGE,
      });
    });

    it('site_data_clearing: the temporary 422, with a wait of a minute, or the Retry-After Chargify gives', async () => {
      assert.deepEqual(await verify('clearing', 'US', 'any key'), { outcome: 'site_data_clearing', retryAfter: 60 });
      answer('https://clearing.chargify.com/site.json', () =>
        HttpResponse.json({ errors: [DATA_CLEARING_MESSAGE] }, { status: 422, headers: { 'Retry-After': '300' } }),
      );
      assert.deepEqual(await verify('clearing', 'US', 'any key'), { outcome: 'site_data_clearing', retryAfter: 300 });
    });

    it('account_blocked: the reason is cut to 200 characters and never repeats the key', async () => {
      const apiKey = 'chg_secret_echoed';
      answer('https://echo.chargify.com/site.json', () =>
        HttpResponse.json({ errors: [`Site cancelled for key ${apiKey}. ${'x'.repeat(300)}`] }, { status: 422 }),
      );
      const verification = await verify('echo', 'US', apiKey);
      assert.equal(verification.outcome, 'account_blocked');
      const { reason } = verification as { reason: string };
      assert.equal(reason.length, 200);
      assert.ok(reason.startsWith('Site cancelled for key [redacted].'));
    });

    it('rate_limited: 429 with Retry-After in seconds, or as a date, or 3 minutes without it (Chargify sends none)', async () => {
      assert.deepEqual(await verify('busy', 'US', 'any key'), { outcome: 'rate_limited', retryAfter: 180 });

      answer('https://dated.chargify.com/site.json', () =>
        new HttpResponse('slow down', { status: 429, headers: { 'Retry-After': new Date(Date.now() + 90_000).toUTCString() } }),
      );
      const dated = await verify('dated', 'US', 'any key');
      assert.equal(dated.outcome, 'rate_limited');
      const { retryAfter } = dated as { retryAfter: number };
      assert.ok(retryAfter >= 88 && retryAfter <= 90, `retryAfter ${retryAfter}`);

      answer('https://told.chargify.com/site.json', () => new HttpResponse('slow down', { status: 429, headers: { 'Retry-After': '20' } }));
      assert.deepEqual(await verify('told', 'US', 'any key'), { outcome: 'rate_limited', retryAfter: 20 });
    });

    it('upstream_unavailable: 5xx, with its Retry-After or 30', async () => {
      assert.deepEqual(await verify('outage', 'EU', 'any key'), { outcome: 'upstream_unavailable', retryAfter: 30 });

      answer('https://later.chargify.com/site.json', () => new HttpResponse(null, { status: 502, headers: { 'Retry-After': '120' } }));
      assert.deepEqual(await verify('later', 'US', 'any key'), { outcome: 'upstream_unavailable', retryAfter: 120 });
    });

    it('upstream_unavailable: a 200 that is not a site, or is another site', async () => {
      answer('https://html.chargify.com/site.json', () => HttpResponse.html('<html>Welcome</html>'));
      answer('https://partial.chargify.com/site.json', () => HttpResponse.json({ site: { id: 1, subdomain: 'partial' } }));
      answer('https://alias.chargify.com/site.json', () => HttpResponse.json({ site: { id: 2, name: 'Other', subdomain: 'other' } }));
      for (const subdomain of ['html', 'partial', 'alias']) {
        assert.deepEqual(await verify(subdomain, 'US', 'any key'), { outcome: 'upstream_unavailable', retryAfter: 30 }, subdomain);
      }
    });

    it('a redirect is not followed, and counts as no site here', async () => {
      answer('https://moved.chargify.com/site.json', () =>
        new HttpResponse(null, { status: 302, headers: { Location: 'https://elsewhere.example/collect' } }),
      );
      const seen: string[] = [];
      server.events.on('request:start', ({ request }) => seen.push(new URL(request.url).host));
      assert.deepEqual(await verify('moved', 'US', 'any key'), { outcome: 'site_not_found' });
      assert.deepEqual(seen, ['moved.chargify.com', 'moved.ebilling.maxio.com']);
    });

    it('upstream_unavailable: within one deadline far below 120 s, against a site that never answers', async () => {
      const quick = createChargifyVerifier({ timeoutMs: 100 });
      const started = performance.now();
      assert.deepEqual(await verify('slow', 'US', 'any key', quick), { outcome: 'upstream_unavailable', retryAfter: 30 });
      assert.ok(performance.now() - started < 1_000);
      assert.ok(recording.requests[0]?.endedAt !== undefined, 'Chargify saw the request given up');
    });

    it('waits 30 s for Chargify by default, the backend’s own limit (DESIGN §7)', () => {
      assert.equal(DEFAULT_TIMEOUT_MS, 30_000);
    });

    it('upstream_unavailable: a connection error that is not "no such host"', async () => {
      answer('https://reset.chargify.com/site.json', () => HttpResponse.error());
      assert.deepEqual(await verify('reset', 'US', 'any key'), { outcome: 'upstream_unavailable', retryAfter: 30 });

      const refused = createChargifyVerifier({ fetch: () => connectionFailure('ECONNREFUSED') });
      assert.deepEqual(await verify('acme', 'US', DEMO_KEYS.acmeAdmin, refused), { outcome: 'upstream_unavailable', retryAfter: 30 });
    });
  });

  describe('verification: the other region', () => {
    // What an unknown subdomain returns is not published, and may differ between the regions.
    // Each region answers in one of five ways; the hint appears only when the other region
    // answers 200 to the same key, and every other verdict is true whatever the unknown was.
    type Shape = 'no such host' | '404' | '401' | '3xx' | '200';
    const SHAPES: Shape[] = ['no such host', '404', '401', '3xx', '200'];

    function regionAnswering(us: Shape, eu: Shape): typeof fetch {
      return async (input) => {
        const host = new URL(String(input)).host;
        const shape = host.endsWith('.chargify.com') ? us : eu;
        const subdomain = host.split('.')[0]!;
        if (shape === 'no such host') return connectionFailure('ENOTFOUND');
        if (shape === '404') return new Response('<h1>Not Found</h1>', { status: 404 });
        if (shape === '401') return new Response(`${BASIC_AUTH_DENIED}\n`, { status: 401 });
        if (shape === '3xx') return new Response(null, { status: 301, headers: { Location: 'https://www.maxio.com/' } });
        return Response.json({ site: { id: 7, name: 'Somewhere', subdomain, currency: 'USD', test: false } });
      };
    }

    function expected(typed: Region, here: Shape, there: Shape): Verification {
      if (here === '200') return { outcome: 'verified', site: { id: 7, name: 'Somewhere', subdomain: 'somewhere', currency: 'USD', test: false } };
      if (there === '200') return { outcome: 'site_not_found', otherRegion: typed === 'US' ? 'EU' : 'US' };
      return here === '401' ? { outcome: 'invalid_credentials' } : { outcome: 'site_not_found' };
    }

    for (const typed of ['US', 'EU'] as const) {
      for (const us of SHAPES) {
        for (const eu of SHAPES) {
          const [here, there] = typed === 'US' ? [us, eu] : [eu, us];
          const want = expected(typed, here, there);
          const label = want.outcome === 'site_not_found' && want.otherRegion ? `site_not_found, hint ${want.otherRegion}` : want.outcome;
          it(`typed ${typed}; US answers ${us}, EU answers ${eu} → ${label}`, async () => {
            const client = createChargifyVerifier({ fetch: regionAnswering(us, eu) });
            assert.deepEqual(await verify('somewhere', typed, 'chg_some_key', client), want);
          });
        }
      }
    }

    it('site_not_found with otherRegion EU for an EU site typed as US, the simulation and the key agreeing', async () => {
      assert.deepEqual(await verify('euro-shop', 'US', DEMO_KEYS.euroShopAdmin), { outcome: 'site_not_found', otherRegion: 'EU' });
      assert.deepEqual(hosts(), ['euro-shop.chargify.com', 'euro-shop.ebilling.maxio.com']);
    });

    it('no hint when the other region has the site but refuses the key: nothing proves where the site is', async () => {
      assert.deepEqual(await verify('euro-shop', 'US', 'chg_wrong'), { outcome: 'site_not_found' });
      assert.deepEqual(await verify('acme', 'EU', 'chg_wrong'), { outcome: 'site_not_found' });
    });

    it('plain site_not_found when neither region has the site', async () => {
      assert.deepEqual(await verify('nosuchsite', 'US', 'any key'), { outcome: 'site_not_found' });
      assert.deepEqual(await verify('constructor', 'EU', 'any key'), { outcome: 'site_not_found' });
      assert.deepEqual(hosts(), ['nosuchsite.chargify.com', 'nosuchsite.ebilling.maxio.com', 'constructor.ebilling.maxio.com', 'constructor.chargify.com']);
    });

    it('plain site_not_found when the other region only answers with an outage', async () => {
      answer('https://ghost.ebilling.maxio.com/site.json', () => new HttpResponse(null, { status: 503 }));
      assert.deepEqual(await verify('ghost', 'US', 'any key'), { outcome: 'site_not_found' });
    });

    it('gives up on a probe that never answers, within the one deadline', async () => {
      const quick = createChargifyVerifier({ timeoutMs: 100, fetch: fetchWithDeadHost('.chargify.com') });
      assert.deepEqual(await verify('slow', 'US', 'any key', quick), { outcome: 'site_not_found' });
    });
  });

  describe('verification: 4 requests per subdomain at a time, as Chargify serves them', () => {
    it('ten concurrent verifications for one subdomain send Chargify at most four at a time, and all succeed', async () => {
      const typed = ['acme', 'ACME', 'Acme', 'acme', 'acme', 'aCme', 'acme', 'acme', 'ACME', 'acme'];
      const results = await Promise.all(typed.map((subdomain) => verify(subdomain, 'US', DEMO_KEYS.acmeAdmin)));

      assert.deepEqual(results, typed.map(() => ACME_VERIFIED));
      assert.equal(recording.requests.length, 10);
      assert.equal(maxInFlight(recording.requests, 'acme'), 4);
    });

    it('the probe of the other region waits its turn too', async () => {
      await Promise.all(Array.from({ length: 6 }, () => verify('euro-shop', 'US', DEMO_KEYS.euroShopAdmin)));
      assert.equal(recording.requests.length, 12);
      assert.equal(maxInFlight(recording.requests), 4);
    });

    it('different subdomains run in parallel', async () => {
      await Promise.all([
        verify('acme', 'US', DEMO_KEYS.acmeAdmin),
        verify('euro-shop', 'EU', DEMO_KEYS.euroShopAdmin),
        verify('clearing', 'US', 'any key'),
        verify('trial-ended', 'US', 'any key'),
        verify('busy', 'US', 'any key'),
      ]);
      assert.equal(maxInFlight(recording.requests), 5);
    });

    it('behind a hanging Chargify, callers who waited past the deadline are told to retry, without a request', async () => {
      const quick = createChargifyVerifier({ timeoutMs: 100, queue: { concurrency: 1 } });
      const results = await Promise.all(Array.from({ length: 3 }, () => verify('slow', 'US', 'any key', quick)));

      // Not "Chargify is throttling": Chargify said nothing; it is slow for this site.
      assert.deepEqual(results, [
        { outcome: 'upstream_unavailable', retryAfter: 30 },
        { outcome: 'upstream_unavailable', retryAfter: 5 },
        { outcome: 'upstream_unavailable', retryAfter: 5 },
      ]);
      assert.equal(recording.requests.length, 1);
    });

    it('one company flooding a subdomain is refused past its share of the line, and another company waits at most one of its turns', async () => {
      const slowChargify = createChargifyVerifier({
        queue: { concurrency: 1 },
        fetch: async (input, init) => {
          await new Promise((resolve) => setTimeout(resolve, 40));
          return fetch(input, init);
        },
      });
      const attempt = (requester: string, apiKey: string) => verify('acme', 'US', apiKey, slowChargify, requester);
      // The flood comes first: one in flight, two waiting, the rest refused at once.
      const flood = Array.from({ length: 8 }, (_, index) => attempt('flooder', `junk-key-${index}`));
      const victim = attempt('victim', DEMO_KEYS.acmeAdmin);
      const [flooded, victimsAnswer] = await Promise.all([Promise.all(flood), victim]);

      assert.deepEqual(victimsAnswer, ACME_VERIFIED);
      const refused = flooded.filter((verification) => verification.outcome === 'too_many_attempts');
      assert.equal(refused.length, 5, 'past one running and two waiting, the flooder is refused');
      assert.deepEqual(refused[0], { outcome: 'too_many_attempts', retryAfter: 5 });
      // Turns alternate between companies: after the request in flight, one flooder turn, then the victim's.
      const victimKey = `Basic ${Buffer.from(`${DEMO_KEYS.acmeAdmin}:x`).toString('base64')}`;
      assert.equal(recording.requests.filter((request) => request.region === 'US').findIndex((request) => request.authorization === victimKey), 2, 'the victim goes third, not fifth');
    });

    it('a request that fails does not hold up the next one', async () => {
      let calls = 0;
      const flaky = createChargifyVerifier({
        queue: { concurrency: 1 },
        fetch: (input, init) => (++calls === 1 ? Promise.reject(new Error('socket hang up')) : fetch(input, init)),
      });
      const [first, second] = await Promise.all([
        verify('acme', 'US', DEMO_KEYS.acmeAdmin, flaky),
        verify('acme', 'US', DEMO_KEYS.acmeAdmin, flaky),
      ]);
      assert.deepEqual(first, { outcome: 'upstream_unavailable', retryAfter: 30 });
      assert.deepEqual(second, ACME_VERIFIED);
    });
  });

  describe('verification: the key stays secret', () => {
    it('drops fetch errors that carry the request, and returns no trace of the key', async () => {
      const apiKey = 'chg_live_do_not_leak';
      const leaky = createChargifyVerifier({
        fetch: (_input, init) => {
          const authorization = new Headers(init?.headers).get('Authorization');
          return Promise.reject(new TypeError(`fetch failed for ${apiKey}`, { cause: { request: init, authorization } }));
        },
      });
      const verification = await verify('acme', 'US', apiKey, leaky);
      assert.deepEqual(verification, { outcome: 'upstream_unavailable', retryAfter: 30 });
    });

    it('keeps nothing of the site but the five known fields', async () => {
      const verification = await verify('acme', 'US', DEMO_KEYS.acmeAdmin);
      assert.deepEqual(Object.keys((verification as { site: object }).site).sort(), ['currency', 'id', 'name', 'subdomain', 'test']);
    });
  });
});
