// The fault matrix (issue 4, item 1): one test per row, each ending in a
// defined state within a bounded time, with the exact requests the MSW worker
// received asserted; and the leak check (item 2) applied to every row: a
// canary key is typed in each and must be found nowhere afterwards but in the
// bodies of PUT …/authorization to the configured backend, one body per attempt.
//
// One-off `worker.use(...)` handlers take priority over the mock backend; a
// handler that returns nothing lets the mock backend answer.
import { aTimeout, expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { delay, http, HttpResponse } from 'msw';
import type { Scenario } from '../mocks/backend.js';
import { BackendClient, ConduitError, type ConduitErrorCode, type ConduitErrorEvent, type ConduitLinkElement } from '../src/index.js';
import { allByRole, deepElements, textOf } from './a11y.js';
import { Flow, backend, recordFetchSignals, startBackend, worker } from './harness.js';
import { codatError } from './backend-errors.js';
import { LeakWatch, type SeenRequest } from './leak-check.js';
import { waitFor, type WaitOptions } from './wait.js';
// The lifecycle screens' chunk, loaded up front: these tests count every request the page makes,
// and the connected screen's chunk would otherwise be fetched in the middle of one.
import '../src/lifecycle-steps.js';

// A key no fixture, message or mock contains, so any sighting is a leak.
const CANARY = 'chg_canary_0f9e8d7c6b';
const AUTHORIZATION = '/api/companies/:companyId/connections/:connectionId/authorization';

// What the user reads for each failure (the catalogue in src/localization/error-messages.ts).
const TEXT = {
  network: "We couldn't reach the server. Check your internet connection and try again.",
  timeout: 'The server took too long to answer. Try again.',
  upstream: "Chargify isn't responding right now. Try again in a few minutes.",
  serverError: 'The server ran into a problem. Try again in a moment, and contact support if it keeps happening.',
  rateLimited: 'Chargify is getting too many requests for your site right now. Wait a few minutes, then try again.',
  accessRefused:
    "Chargify refused access to this site. Contact the support team of the app you're using and give them the support reference.",
  dataClearing: "Chargify is clearing this site's data right now. Try again later.",
  accountBlocked: 'Ask your Chargify account owner to reactivate it',
  slow: 'Chargify is taking longer than usual…',
  tooManyAttempts: 'Too many attempts to connect. For your security, wait before trying again.',
  badResponse: 'The server sent an answer we could not read. Try again, and contact support if it keeps happening.',
  offlineError: "You're offline. Reconnect to the internet, then try again.",
  offlineHint: "You're offline. Reconnect to the internet to continue.",
  backOnline: "You're back online. Select Continue to try again.",
  sessionExpired: 'For your security, this connection session has ended. Start again; if it happens again, reload the page.',
};

const LOAD = ['GET /companies/co_123/connections', 'GET /integrations'];
const CREATE = 'POST /companies/co_123/connections';
const AUTHORIZE = 'PUT /companies/co_123/connections/{id}/authorization';

let watch: LeakWatch;
let restoreFetch: (() => void) | null = null;

beforeEach(() => {
  watch = new LeakWatch(CANARY);
  watch.start();
});

afterEach(() => {
  watch.stop();
  worker.resetHandlers();
  Reflect.deleteProperty(navigator, 'onLine');
  restoreFetch?.();
  restoreFetch = null;
});

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/** The backend's error answer, with a correlation id per status. */
function backendError(status: number, detailedErrorCode?: number, headers?: Record<string, string>): Response {
  return codatError(status, { error: `Backend said ${status}.`, correlationId: `corr-${status}`, detailedErrorCode }, headers);
}

/** Answers every session-token refresh of the flow with `token`; `count` is how many there were. */
function refreshingTo(flow: Flow, token: string): { count: number } {
  const refreshes = { count: 0 };
  flow.element.fetchSessionToken = async () => {
    refreshes.count++;
    return token;
  };
  return refreshes;
}

/** The session token expires while the user is on the step. */
async function expireSession(flow: Flow): Promise<void> {
  flow.element.sessionToken = 'expired-1';
  await flow.element.updateComplete;
}

/** Backend requests as `METHOD /path`, connection ids normalised, sorted (parallel loads have no order). */
function requestsMade(): string[] {
  return watch.requests.summary.map((line) => line.replace(/\/connections\/[^/]+(?=\/|$)/, '/connections/{id}')).sort();
}

function expectRequests(...expected: string[]): void {
  const elsewhere = watch.requests.all.filter((request) => !watch.requests.api.includes(request));
  expect(elsewhere.map((request) => `${request.method} ${request.url.href}`), 'requests outside the backend').to.deep.equal([]);
  expect(requestsMade(), 'the requests MSW received').to.deep.equal([...expected].sort());
}

function times(count: number, line: string): string[] {
  return Array.from({ length: count }, () => line);
}

function idempotencyKey(request: SeenRequest): string {
  return request.headers['idempotency-key'] ?? '';
}

function errorCodes(flow: Flow): string[] {
  return flow.eventsOf<ConduitErrorEvent>('conduit-error').map((event) => event.code);
}

/** Waits of at most `ms`, polled often: several rows time what they waited for. */
function within(ms: number): WaitOptions {
  return { timeout: ms, interval: 20 };
}

/** The form's submit button, whatever it reads now ("Continue" or "Connecting…"). */
function submitButton(flow: Flow): Promise<HTMLButtonElement> {
  return flow.button(/^(Continue|Connecting…)$/);
}

async function continueDisabled(flow: Flow): Promise<string | null> {
  return (await submitButton(flow)).getAttribute('aria-disabled');
}

function goOffline(): void {
  Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => false });
  window.dispatchEvent(new Event('offline'));
}

function goOnline(): void {
  Reflect.deleteProperty(navigator, 'onLine');
  window.dispatchEvent(new Event('online'));
}

/** Mounts the flow (mock backend in `scenario`), goes to the credentials step and types acme + the canary. */
async function atCredentials(scenario: Scenario = 'happy', attributes: Record<string, string> = {}): Promise<Flow> {
  const flow = await Flow.mount({ scenario, attributes });
  await flow.toCredentials();
  await flow.fill('Site subdomain', 'acme');
  await flow.fill('API key', CANARY);
  return flow;
}

// The matrix runs against the contract's happy path unless a row says otherwise.
function mountFlow(options: { properties?: Partial<ConduitLinkElement>; attributes?: Record<string, string>; keepBackend?: boolean }) {
  return Flow.mount({ scenario: 'happy', ...options });
}

// Nothing returned from the handler: the mock backend answers, after the delay.
function slowAuthorization(ms: number): void {
  worker.use(
    http.put(AUTHORIZATION, async () => {
      await delay(ms);
    }),
  );
}

function expectNothingUncaught(): void {
  expect(
    watch.console.filter((line) => line.startsWith('uncaught') || line.startsWith('unhandled')),
    'uncaught errors or unhandled rejections',
  ).to.deep.equal([]);
}

/** The leak check every row ends with. */
async function expectNoLeak(flow: Flow, attempts: number, roots: Node[] = []): Promise<void> {
  expectNothingUncaught();
  await watch.expectNoLeak({ events: flow.events, attempts, roots });
}

/** After a refusal the flow never retries by itself: the user presses Continue, and that new attempt (its own key) connects. */
async function expectUserRetryConnects(flow: Flow): Promise<void> {
  await flow.click('Continue');
  await flow.waitForStep('success');
  const sent = watch.requests.authorizations;
  expect(sent).to.have.length(2);
  expect(idempotencyKey(sent[1]!), "a new attempt, the user's").to.not.equal(idempotencyKey(sent[0]!));
  await expectNoLeak(flow, 2);
}

/** The next authorization is refused with 429 and `Retry-After: seconds`; after it, the mock backend answers. */
function rateLimitedOnce(seconds: number): void {
  worker.use(
    http.put(
      AUTHORIZATION,
      () => backendError(429, 10007, { 'Retry-After': String(seconds) }),
      { once: true },
    ),
  );
}

/** A Linked Chargify connection as a backend's answer would carry it. */
function linkedConnection(): Record<string, unknown> {
  return {
    id: 'conn_other',
    integrationKey: 'chargify',
    platformName: 'Chargify',
    sourceType: 'Commerce',
    status: 'Linked',
    created: '2025-01-02T03:04:05Z',
    connectionInfo: {},
  };
}

/** Records every change to what the flow and its credentials step render, from now until `stop()`. */
function recordRendering(flow: Flow): { mutations: MutationRecord[]; stop: () => void } {
  const credentials = deepElements(flow.element).find((element) => element.localName === 'conduit-credentials');
  if (!credentials?.shadowRoot) throw new Error(`No credentials step in: ${flow.text}`);
  const mutations: MutationRecord[] = [];
  const observer = new MutationObserver((records) => mutations.push(...records));
  for (const root of [flow.element.shadowRoot!, credentials.shadowRoot]) {
    observer.observe(root, { subtree: true, childList: true, characterData: true, attributes: true });
  }
  return {
    mutations,
    stop: () => {
      mutations.push(...observer.takeRecords());
      observer.disconnect();
    },
  };
}

function describeMutation(record: MutationRecord): string {
  const target = record.target instanceof Element ? `<${record.target.localName}>` : record.target.nodeName;
  return `${record.type} ${target}${record.attributeName ? `[${record.attributeName}]` : ''}`;
}

/**
 * How many times `text` was put into one of the flow's live regions (status or
 * alert), from now until `stop()`: what a screen reader would announce.
 */
function announcementsOf(flow: Flow, text: string): { count: () => Promise<number>; stop: () => void } {
  let count = 0;
  let present = false;
  // Each change is checked against a fresh snapshot of the live regions, one after another.
  let checked = Promise.resolve();
  const check = () => {
    checked = checked.then(async () => {
      const regions = [...(await allByRole(flow.element, 'status')), ...(await allByRole(flow.element, 'alert'))];
      const live = regions.some((region) => textOf(region).includes(text));
      if (live && !present) count++;
      present = live;
    });
  };
  const observer = new MutationObserver(check);
  for (const root of [flow.element.shadowRoot!, ...deepElements(flow.element).flatMap((element) => (element.shadowRoot ? [element.shadowRoot] : []))]) {
    observer.observe(root, { subtree: true, childList: true, characterData: true, attributes: true });
  }
  return {
    count: async () => {
      check();
      await checked;
      return count;
    },
    stop: () => observer.disconnect(),
  };
}

// ---------------------------------------------------------------------------
// The matrix
// ---------------------------------------------------------------------------

describe('fault matrix', () => {
  it('1. network failure: three tries with one Idempotency-Key, an error with a support reference; Continue is a new attempt', async () => {
    worker.use(http.put(AUTHORIZATION, () => HttpResponse.error()));
    const flow = await atCredentials();
    const started = performance.now();
    await flow.click('Continue');
    await waitFor(() => flow.text.includes(TEXT.network), 'the network error is never shown', within(4000));
    // Two backoffs of at most 0.5 s and 1 s.
    expect(performance.now() - started).to.be.below(2500);
    await flow.settle();

    const failed = watch.requests.authorizations;
    expect(failed).to.have.length(3);
    expect(new Set(failed.map(idempotencyKey)).size, 'retries share the attempt’s Idempotency-Key').to.equal(1);
    expect(idempotencyKey(failed[0]!)).to.match(/^[0-9a-f-]{36}$/);
    expect(flow.text).to.include(`Support reference: ${failed[0]!.headers['x-correlation-id']}`);
    expect(errorCodes(flow)).to.deep.equal(['network']);
    expect(flow.step).to.equal('credentials');
    expect(await flow.has('button', 'Continue')).to.equal(true);
    expect(await continueDisabled(flow)).to.equal('false');

    // Continue is the retry: a new attempt with a new key, and this time it goes through.
    worker.resetHandlers();
    await flow.click('Continue');
    await flow.waitForStep('success');
    const all = watch.requests.authorizations;
    expect(all).to.have.length(4);
    expect(idempotencyKey(all[3]!)).to.not.equal(idempotencyKey(all[0]!));
    expectRequests(...LOAD, CREATE, ...times(4, AUTHORIZE));
    await expectNoLeak(flow, 2);
  });

  it('2. slow response: "Connecting…" with Continue aria-disabled, one request, then success', async () => {
    slowAuthorization(1500);
    const flow = await atCredentials();
    const started = performance.now();
    await flow.click('Continue');
    await waitFor(() => watch.requests.authorizations.length === 1, 'the authorization is never sent', within(2000));
    await aTimeout(500);
    await flow.settle();
    expect(flow.text).to.include('Connecting…');
    expect(await continueDisabled(flow)).to.equal('true');
    expect(flow.step).to.equal('credentials');
    expect(flow.text, 'not slow enough to say so').to.not.include(TEXT.slow);

    await flow.waitForStep('success', 4000);
    const elapsed = performance.now() - started;
    expect(elapsed).to.be.within(1450, 4000);
    expect(await flow.heading()).to.equal('Chargify connected');
    expect(errorCodes(flow)).to.deep.equal([]);
    expectRequests(...LOAD, CREATE, AUTHORIZE);
    await expectNoLeak(flow, 1);
  });

  it('2. very slow response (Chargify slow, the backend still waiting): after 5 s the step says so, shown and announced once; then success', async function () {
    this.timeout(20_000);
    slowAuthorization(6_500);
    const flow = await atCredentials();
    const announced = announcementsOf(flow, TEXT.slow);
    const started = performance.now();
    await flow.click('Continue');
    // The one long wait of the suite: for the message itself, not a fixed sleep.
    await waitFor(() => flow.text.includes(TEXT.slow), 'the slow message never appears', within(6_200));
    const shownAfter = performance.now() - started;
    expect(shownAfter, 'shown after 5 s, not before').to.be.within(4_900, 6_200);
    await flow.settle();

    // In the live region (so it is heard), drawn on screen (so it is seen), and nowhere else.
    const statuses = (await allByRole(flow.element, 'status')).filter((status) => textOf(status).includes(TEXT.slow));
    expect(statuses.map(textOf)).to.deep.equal([TEXT.slow]);
    const box = statuses[0]!.getBoundingClientRect();
    expect(box.width > 1 && box.height > 1, 'the slow message is visible, not only announced').to.equal(true);
    expect(flow.text.split(TEXT.slow).length - 1, 'written once').to.equal(1);
    expect(flow.text).to.include('Connecting…');
    expect(await continueDisabled(flow)).to.equal('true');
    expect(errorCodes(flow)).to.deep.equal([]);

    await flow.waitForStep('success', 4_000);
    expect(await announced.count(), 'announced once').to.equal(1);
    announced.stop();
    expect(flow.text).to.not.include(TEXT.slow);
    expectRequests(...LOAD, CREATE, AUTHORIZE);
    await expectNoLeak(flow, 1);
  });

  it('3. no response: request-timeout ends it in the timeout message, distinct from the network one, after one request', async () => {
    worker.use(
      http.put(AUTHORIZATION, async () => {
        await delay('infinite');
      }),
    );
    const flow = await atCredentials('happy', { 'request-timeout': '300' });
    await flow.click('Continue');
    await waitFor(() => flow.text.includes(TEXT.timeout), 'the timeout message is never shown', within(3000));
    const sent = watch.requests.authorizations;
    expect(sent).to.have.length(1);
    // The timeout is 300 ms; allow for the worker's round trip and the polling.
    // Measured from the request's arrival, which lags the client's own start of the clock.
    expect(performance.now() - sent[0]!.at).to.be.within(150, 1500);
    await flow.settle();
    expect(flow.text).to.not.include(TEXT.network);
    expect(errorCodes(flow)).to.deep.equal(['timeout']);
    expect(flow.step).to.equal('credentials');
    expect(await continueDisabled(flow)).to.equal('false');
    // A timeout is never retried by itself: the backend may still be working.
    await aTimeout(600);
    expectRequests(...LOAD, CREATE, AUTHORIZE);
    await expectNoLeak(flow, 1);
  });

  it('4. 500: one request, an error shown', async () => {
    worker.use(http.put(AUTHORIZATION, () => backendError(500)));
    const flow = await atCredentials();
    await flow.click('Continue');
    await flow.idle();
    const errors = flow.eventsOf<ConduitErrorEvent>('conduit-error');
    expect(errors.map((event) => [event.status, event.correlationId, event.userRecoverable])).to.deep.equal([[500, 'corr-500', true]]);
    // A 500 without a detailed code is the partner's backend failing, not Chargify: our own words for that.
    expect(errorCodes(flow)).to.deep.equal(['server_error']);
    expect(flow.text).to.include(TEXT.serverError);
    expect(flow.text).to.include('Support reference: corr-500');
    expect(flow.text, 'the server’s own message is not shown').to.not.include('Backend said');
    expect(await continueDisabled(flow)).to.equal('false');
    await aTimeout(300);
    expectRequests(...LOAD, CREATE, AUTHORIZE);
    await expectNoLeak(flow, 1);
  });

  // A gateway's own page says nothing about Chargify: only the contract's 10008 does.
  const gatewayReplies: [number, () => Response, ConduitErrorCode, string][] = [
    [
      502,
      () =>
        new HttpResponse('<html><body><h1>502 Bad Gateway</h1>nginx</body></html>', {
          status: 502,
          headers: { 'Content-Type': 'text/html' },
        }),
      'server_error',
      TEXT.serverError,
    ],
    [503, () => backendError(503, 10008), 'upstream_unavailable', TEXT.upstream],
    [504, () => new HttpResponse(null, { status: 504 }), 'server_error', TEXT.serverError],
  ];
  for (const [status, reply, code, text] of gatewayReplies) {
    it(`5. ${status}: bounded retries with backoff (3 requests, one Idempotency-Key), then an error`, async () => {
      worker.use(http.put(AUTHORIZATION, reply));
      const flow = await atCredentials();
      await flow.click('Continue');
      await waitFor(() => errorCodes(flow).length === 1, 'the error is never reported', within(4000));
      await flow.settle();
      const sent = watch.requests.authorizations;
      expect(sent).to.have.length(3);
      expect(new Set(sent.map(idempotencyKey)).size).to.equal(1);
      // Exponential backoff from 0.5 s with jitter: the first wait in [250, 500] ms, the second in [500, 1000] ms.
      const gaps = [sent[1]!.at - sent[0]!.at, sent[2]!.at - sent[1]!.at];
      expect(gaps[0], 'first backoff').to.be.within(200, 700);
      expect(gaps[1], 'second backoff').to.be.within(450, 1250);
      const [event] = flow.eventsOf<ConduitErrorEvent>('conduit-error');
      expect([event!.code, event!.status]).to.deep.equal([code, status]);
      expect(flow.text).to.include(text);
      expect(flow.text).to.not.include('Bad Gateway');
      expect(flow.text, 'no countdown without Retry-After').to.not.include('You can try again in');
      expect(await continueDisabled(flow)).to.equal('false');
      expectRequests(...LOAD, CREATE, ...times(3, AUTHORIZE));
      await expectNoLeak(flow, 1);
    });
  }

  it('5. jitter: without Retry-After, the backoff before a retry differs from one attempt to the next (BackendClient)', async () => {
    await startBackend('happy');
    worker.use(http.put(AUTHORIZATION, () => new HttpResponse(null, { status: 503 })));
    const client = new BackendClient({ baseUrl: '/api', companyId: 'co_123', sessionToken: 'tok_valid', retryBaseMs: 200 });
    const attempts = 6;
    const results = await Promise.allSettled(
      Array.from({ length: attempts }, (_, i) => client.authorize(`conn_${i}`, { apiKey: CANARY, subdomain: 'acme', region: 'US' })),
    );
    for (const result of results) {
      expect(result.status).to.equal('rejected');
      const error = (result as PromiseRejectedResult).reason as ConduitError;
      expect(error).to.be.instanceOf(ConduitError);
      expect([error.code, error.status, error.retryAfter]).to.deep.equal(['server_error', 503, null]);
      expect(watch.leaks(JSON.stringify({ ...error, message: error.message })), 'the error carries the key').to.equal(false);
    }
    const sent = watch.requests.authorizations;
    expect(sent).to.have.length(attempts * 3);
    const byAttempt = new Map<string, SeenRequest[]>();
    for (const request of sent) byAttempt.set(idempotencyKey(request), [...(byAttempt.get(idempotencyKey(request)) ?? []), request]);
    expect(byAttempt.size).to.equal(attempts);
    const firstGaps: number[] = [];
    for (const requests of byAttempt.values()) {
      expect(requests).to.have.length(3);
      const [first, second] = [requests[1]!.at - requests[0]!.at, requests[2]!.at - requests[1]!.at];
      expect(first, 'first backoff within [base/2, base]').to.be.within(80, 300);
      expect(second, 'second backoff within [base, 2·base]').to.be.within(180, 500);
      firstGaps.push(first);
    }
    // Full jitter over a 100 ms range: six identical waits would mean no jitter at all.
    expect(Math.max(...firstGaps) - Math.min(...firstGaps), `first backoffs ${firstGaps.map(Math.round).join(', ')} ms`).to.be.above(10);
    await watch.expectNoLeak({ events: [], attempts });
  });

  it('6. 429 with Retry-After: 1 waits about a second, retries once with the same key, and succeeds', async () => {
    rateLimitedOnce(1);
    const flow = await atCredentials();
    await flow.click('Continue');
    await flow.waitForStep('success', 4000);
    const sent = watch.requests.authorizations;
    expect(sent).to.have.length(2);
    expect(sent[1]!.at - sent[0]!.at, 'waited for Retry-After').to.be.within(950, 1800);
    expect(idempotencyKey(sent[1]!)).to.equal(idempotencyKey(sent[0]!));
    expect(errorCodes(flow)).to.deep.equal([]);
    expectRequests(...LOAD, CREATE, ...times(2, AUTHORIZE));
    await expectNoLeak(flow, 1);
  });

  it('6. 429 with Retry-After: 120: no automatic retry, a countdown, and Continue aria-disabled and inert', async () => {
    rateLimitedOnce(120);
    const flow = await atCredentials();
    await flow.click('Continue');
    await flow.idle();
    expect(errorCodes(flow)).to.deep.equal(['rate_limited']);
    expect(flow.text).to.include(TEXT.rateLimited);
    expect(flow.text).to.match(/You can try again in 1(20|19) seconds\./);
    expect(await continueDisabled(flow)).to.equal('true');

    // Clicking and pressing Enter send nothing while the countdown runs.
    for (let i = 0; i < 3; i++) await flow.click('Continue');
    (await flow.field('API key')).focus();
    await sendKeys({ press: 'Enter' });
    await aTimeout(400);
    await flow.settle();
    expect(flow.step).to.equal('credentials');
    expect(await continueDisabled(flow)).to.equal('true');
    expect(errorCodes(flow)).to.deep.equal(['rate_limited']);
    expectRequests(...LOAD, CREATE, AUTHORIZE);
    await expectNoLeak(flow, 1);
  });

  it('6. 429 with Retry-After: 6 (over the 5 s auto limit): the countdown runs out, then Continue is a new attempt', async function () {
    this.timeout(15_000);
    rateLimitedOnce(6);
    const flow = await atCredentials();
    await flow.click('Continue');
    await flow.idle();
    const shownAt = performance.now();
    expect(flow.text).to.include('You can try again in 6 seconds.');
    expect(await continueDisabled(flow)).to.equal('true');
    await waitFor(() => flow.text.includes('You can try again in 5 seconds.'), 'the countdown does not count', within(2000));
    await waitFor(() => !flow.text.includes('You can try again in'), 'the countdown never ends', within(7500));
    await flow.settle();
    expect(performance.now() - shownAt, 'the countdown took about 6 s').to.be.within(4900, 7500);
    expect(await continueDisabled(flow)).to.equal('false');
    expectRequests(...LOAD, CREATE, AUTHORIZE);

    await expectUserRetryConnects(flow);
  });

  it('6. 429 too_many_attempts (the backend’s own limit, 10011) with Retry-After: 120: its own message, a countdown, Continue waits, the key is not sent again', async () => {
    worker.use(http.put(AUTHORIZATION, () => backendError(429, 10011, { 'Retry-After': '120' })));
    const flow = await atCredentials();
    await flow.click('Continue');
    await flow.idle();
    const errors = flow.eventsOf<ConduitErrorEvent>('conduit-error');
    expect(errors.map((event) => [event.code, event.status, event.userRecoverable, event.message])).to.deep.equal([
      ['too_many_attempts', 429, true, TEXT.tooManyAttempts],
    ]);
    expect(flow.text).to.include(TEXT.tooManyAttempts);
    expect(flow.text, 'our limit is not blamed on Chargify').to.not.include(TEXT.rateLimited);
    expect(flow.text).to.match(/You can try again in 1(20|19) seconds\./);
    expect(await continueDisabled(flow)).to.equal('true');

    for (let i = 0; i < 3; i++) await flow.click('Continue');
    (await flow.field('API key')).focus();
    await sendKeys({ press: 'Enter' });
    await aTimeout(400);
    await flow.settle();
    expect(flow.step).to.equal('credentials');
    expect(await continueDisabled(flow)).to.equal('true');
    expect(errorCodes(flow)).to.deep.equal(['too_many_attempts']);
    expectRequests(...LOAD, CREATE, AUTHORIZE);
    await expectNoLeak(flow, 1);
  });

  it('6. 429 too_many_attempts with a Retry-After short enough to wait out (1 s): still never resent by itself', async () => {
    worker.use(http.put(AUTHORIZATION, () => backendError(429, 10011, { 'Retry-After': '1' }), { once: true }));
    const flow = await atCredentials();
    await flow.click('Continue');
    await flow.idle();
    expect(errorCodes(flow)).to.deep.equal(['too_many_attempts']);
    await waitFor(async () => await continueDisabled(flow) === 'false', 'the countdown never ends', within(3000));
    await aTimeout(500);
    expectRequests(...LOAD, CREATE, AUTHORIZE);

    await expectUserRetryConnects(flow);
  });

  it('6. 503 site data clearing (10010) with Retry-After: 180: its own message, temporary (a countdown, then Continue), never "reactivate"', async () => {
    worker.use(http.put(AUTHORIZATION, () => backendError(503, 10010, { 'Retry-After': '180' })));
    const flow = await atCredentials();
    await flow.click('Continue');
    await flow.idle();
    const errors = flow.eventsOf<ConduitErrorEvent>('conduit-error');
    expect(errors.map((event) => [event.code, event.status, event.userRecoverable, event.message, event.correlationId])).to.deep.equal([
      ['upstream_unavailable', 503, true, TEXT.dataClearing, 'corr-503'],
    ]);
    expect(flow.text).to.include(TEXT.dataClearing);
    expect(flow.text, 'not an outage').to.not.include(TEXT.upstream);
    expect(flow.text, 'nothing for the account owner to do').to.not.include(TEXT.accountBlocked);
    expect(flow.text).to.include('Support reference: corr-503');
    // Temporary: the retry is offered, after the wait the backend asked for (never waited out by itself).
    expect(flow.text).to.match(/You can try again in 1(80|79) seconds\./);
    expect(await continueDisabled(flow)).to.equal('true');
    expect((await flow.field('API key')).value, 'kept for the retry').to.equal(CANARY);
    await aTimeout(300);
    expectRequests(...LOAD, CREATE, AUTHORIZE);
    await expectNoLeak(flow, 1);
  });

  it('6. 503 site data clearing (10010) with a Retry-After short enough to wait out (1 s): retried once with the same key, then success', async () => {
    worker.use(http.put(AUTHORIZATION, () => backendError(503, 10010, { 'Retry-After': '1' }), { once: true }));
    const flow = await atCredentials();
    await flow.click('Continue');
    await flow.waitForStep('success', 4000);
    const sent = watch.requests.authorizations;
    expect(sent).to.have.length(2);
    expect(idempotencyKey(sent[1]!)).to.equal(idempotencyKey(sent[0]!));
    expect(errorCodes(flow)).to.deep.equal([]);
    expectRequests(...LOAD, CREATE, ...times(2, AUTHORIZE));
    await expectNoLeak(flow, 1);
  });

  it('6. 400 access_refused (10004, Chargify’s unexpected 403): one request, no cause made up, the support reference to give; not the user’s to fix', async () => {
    worker.use(http.put(AUTHORIZATION, () => backendError(400, 10004)));
    const flow = await atCredentials();
    await flow.click('Continue');
    await flow.idle();
    const errors = flow.eventsOf<ConduitErrorEvent>('conduit-error');
    expect(errors.map((event) => [event.code, event.status, event.userRecoverable, event.message, event.correlationId])).to.deep.equal([
      ['access_refused', 400, false, TEXT.accessRefused, 'corr-400'],
    ]);
    expect((await allByRole(flow.element, 'alert')).map(textOf).filter(Boolean)).to.deep.equal([TEXT.accessRefused]);
    expect(flow.text).to.include('Support reference: corr-400');
    // Chargify's keys have no roles or scopes: nothing is said of the key's permissions, its maker or an admin.
    expect(flow.text).to.not.match(/permission|admin|role|scope|enough access/i);
    expect(flow.text, 'the server’s own message is not shown').to.not.include('Backend said');
    expect((await flow.field('API key')).getAttribute('aria-invalid'), 'not a verdict on the key').to.equal('false');
    await aTimeout(300);
    expectRequests(...LOAD, CREATE, AUTHORIZE);
    await expectNoLeak(flow, 1);
  });

  it('7. 401 once (session-token expired-…): one refresh, one replay with the same Idempotency-Key, success', async () => {
    const flow = await atCredentials();
    const refreshes = refreshingTo(flow, 'tok_fresh');
    await expireSession(flow);
    await flow.click('Continue');
    await flow.waitForStep('success');
    expect(refreshes.count).to.equal(1);
    const posts = watch.requests.to('/connections', 'POST');
    expect(posts.map((request) => request.headers.authorization)).to.deep.equal(['Bearer expired-1', 'Bearer tok_fresh']);
    expect(idempotencyKey(posts[1]!)).to.equal(idempotencyKey(posts[0]!));
    expect(watch.requests.authorizations.map((request) => request.headers.authorization)).to.deep.equal(['Bearer tok_fresh']);
    expect(errorCodes(flow)).to.deep.equal([]);
    expectRequests(...LOAD, CREATE, CREATE, AUTHORIZE);
    await expectNoLeak(flow, 1);
  });

  it('7. 401 once on the authorization itself: one refresh, the key replayed once with the same Idempotency-Key, success', async () => {
    // The token expires between creating the connection and authorizing it.
    worker.use(
      http.put(AUTHORIZATION, ({ request }) =>
        request.headers.get('Authorization') === 'Bearer tok_fresh' ? undefined : backendError(401),
      ),
    );
    const flow = await atCredentials();
    const refreshes = refreshingTo(flow, 'tok_fresh');
    await flow.click('Continue');
    await flow.waitForStep('success');
    expect(refreshes.count).to.equal(1);
    const sent = watch.requests.authorizations;
    expect(sent.map((request) => request.headers.authorization)).to.deep.equal(['Bearer tok_valid', 'Bearer tok_fresh']);
    expect(idempotencyKey(sent[1]!)).to.equal(idempotencyKey(sent[0]!));
    expectRequests(...LOAD, CREATE, ...times(2, AUTHORIZE));
    await expectNoLeak(flow, 1);
  });

  it('7. 401 twice (the refreshed token is expired too): terminal "Your session has expired" with Start again', async () => {
    worker.use(http.put(AUTHORIZATION, () => backendError(401)));
    const flow = await atCredentials();
    const refreshes = refreshingTo(flow, 'expired-2');
    await flow.click('Continue');
    await flow.waitForStep('error');
    expect(refreshes.count).to.equal(1);
    expect(await flow.heading()).to.equal('Your session has expired');
    expect(flow.text).to.include(TEXT.sessionExpired);
    expect(await flow.has('button', 'Start again')).to.equal(true);
    expect(await flow.hasField('API key'), 'the key form is gone').to.equal(false);
    const errors = flow.eventsOf<ConduitErrorEvent>('conduit-error');
    expect(errors.map((event) => [event.code, event.userRecoverable, event.status])).to.deep.equal([['session_expired', false, 401]]);
    const sent = watch.requests.authorizations;
    expect(sent.map((request) => request.headers.authorization)).to.deep.equal(['Bearer tok_valid', 'Bearer expired-2']);
    expect(idempotencyKey(sent[1]!)).to.equal(idempotencyKey(sent[0]!));
    await aTimeout(300);
    expectRequests(...LOAD, CREATE, ...times(2, AUTHORIZE));
    await expectNoLeak(flow, 1);
  });

  it('7. 401 twice with session-token expired-… on Continue: terminal "session expired", the key never sent', async () => {
    const flow = await atCredentials();
    const refreshes = refreshingTo(flow, 'expired-2');
    await expireSession(flow);
    await flow.click('Continue');
    await flow.waitForStep('error');
    expect(refreshes.count).to.equal(1);
    expect(await flow.heading()).to.equal('Your session has expired');
    expect(await flow.has('button', 'Start again')).to.equal(true);
    expectRequests(...LOAD, CREATE, CREATE);
    await expectNoLeak(flow, 0);
  });

  it('7. parallel 401s on load (integrations and connections) share one refresh', async () => {
    let refreshes = 0;
    const flow = await mountFlow({
      attributes: { 'session-token': 'expired-1' },
      properties: {
        fetchSessionToken: async () => {
          refreshes++;
          // Slow enough that both 401s arrive while it runs.
          await aTimeout(150);
          return 'tok_fresh';
        },
      },
    });
    expect(flow.step).to.equal('picker');
    expect(refreshes).to.equal(1);
    const loads = watch.requests.api.map((request) => `${request.method} ${request.url.pathname} ${request.headers.authorization}`).sort();
    expect(loads).to.deep.equal([
      'GET /api/companies/co_123/connections Bearer expired-1',
      'GET /api/companies/co_123/connections Bearer tok_fresh',
      'GET /api/integrations Bearer expired-1',
      'GET /api/integrations Bearer tok_fresh',
    ]);

    await flow.toCredentials();
    await flow.submitCredentials('acme', CANARY);
    await flow.waitForStep('success');
    expect(refreshes).to.equal(1);
    expect(watch.requests.authorizations.map((request) => request.headers.authorization)).to.deep.equal(['Bearer tok_fresh']);
    expectRequests(...LOAD, ...LOAD, CREATE, AUTHORIZE);
    await expectNoLeak(flow, 1);
  });

  it('8. 409 on the authorization: the flow shows the Linked connection the backend has', async () => {
    worker.use(http.put(AUTHORIZATION, () => backendError(409, 10009)));
    const flow = await atCredentials();
    // Meanwhile, someone linked the account from another tab.
    backend.linkElsewhere({ subdomain: 'acme', region: 'US', siteName: 'Acme Inc' });
    await flow.click('Continue');
    await flow.waitForStep('connected');
    expect(await flow.heading()).to.equal('Chargify is already connected');
    expect(flow.text).to.include('Acme Inc');
    expect(await flow.hasField('API key'), 'the key form is gone').to.equal(false);
    expect(flow.eventsOf<ConduitErrorEvent>('conduit-error').map((event) => [event.code, event.userRecoverable])).to.deep.equal([
      ['conflict', false],
    ]);
    expectRequests(...LOAD, CREATE, AUTHORIZE, ...LOAD);
    await expectNoLeak(flow, 1);
  });

  const unreadable: [string, () => Response][] = [
    [
      'malformed JSON',
      () =>
        new HttpResponse('{"id": "conn_1", "status": "Linked", RAW_BODY_d41d8', {
          headers: { 'Content-Type': 'application/json' },
        }),
    ],
    [
      'an HTML proxy page',
      () =>
        new HttpResponse(
          '<!doctype html><html><body><h1>RAW_BODY_d41d8 Proxy Login</h1>' +
            '<img src=x onerror="window.__rawBodyRan=1"><script>window.__rawBodyRan=1</script></body></html>',
          { headers: { 'Content-Type': 'text/html' } },
        ),
    ],
    ['JSON with missing fields', () => HttpResponse.json({ id: 'conn_1', note: 'RAW_BODY_d41d8' })],
  ];
  for (const [what, reply] of unreadable) {
    it(`9. 200 with ${what}: bad_response, one request, the raw body never shown`, async () => {
      worker.use(http.put(AUTHORIZATION, reply));
      const flow = await atCredentials();
      await flow.click('Continue');
      await flow.idle();
      expect(errorCodes(flow)).to.deep.equal(['bad_response']);
      expect(flow.step).to.equal('credentials');
      expect(flow.text).to.include(TEXT.badResponse);
      expect(await watch.sightings('RAW_BODY_d41d8', { events: flow.events }), 'the raw body is shown somewhere').to.deep.equal([]);
      expect((window as { __rawBodyRan?: number }).__rawBodyRan).to.equal(undefined);
      expect(await continueDisabled(flow)).to.equal('false');
      await aTimeout(200);
      expectRequests(...LOAD, CREATE, AUTHORIZE);
      await expectNoLeak(flow, 1);
    });
  }

  it('9. 307 on the authorization to another place: never followed, so the key goes nowhere else; bad_response and one console error for the partner', async () => {
    const ELSEWHERE = '/elsewhere/authorization';
    worker.use(
      http.put(AUTHORIZATION, () => new HttpResponse(null, { status: 307, headers: { Location: ELSEWHERE } })),
      // Where the redirect points answers as a backend would: a redirect followed would look like success.
      http.put(ELSEWHERE, () => HttpResponse.json({ ...linkedConnection(), connectionInfo: { subdomain: 'acme', region: 'US', siteName: 'Elsewhere Inc' } })),
    );
    const flow = await atCredentials();
    await flow.click('Continue');
    await flow.idle();
    expect(errorCodes(flow)).to.deep.equal(['bad_response']);
    expect(flow.step).to.equal('credentials');
    expect(flow.text).to.include(TEXT.badResponse);
    expect(flow.text).to.not.include('Elsewhere Inc');
    const errors = watch.console.filter((line) => line.startsWith('console.error'));
    expect(errors, 'one console error for the partner’s developer').to.have.length(1);
    expect(errors[0]).to.include('backend-url').and.include('final URL');
    await aTimeout(300);
    expectRequests(...LOAD, CREATE, AUTHORIZE);
    await expectNoLeak(flow, 1);
  });

  it('9. 200 that echoes the key: bad_response, nothing of that answer shown or sent in an event', async () => {
    worker.use(
      http.put(AUTHORIZATION, () =>
        HttpResponse.json({ ...linkedConnection(), connectionInfo: { subdomain: 'acme', region: 'US', siteName: `Echo Inc (${CANARY})` } }),
      ),
    );
    const flow = await atCredentials();
    await flow.click('Continue');
    await flow.idle();
    expect(errorCodes(flow)).to.deep.equal(['bad_response']);
    expect(flow.step).to.equal('credentials');
    expect(flow.text).to.include(TEXT.badResponse);
    expect(flow.text).to.not.include('Echo Inc');
    expect(flow.eventsOf('conduit-connection'), 'no connection reported').to.deep.equal([]);
    await aTimeout(200);
    expectRequests(...LOAD, CREATE, AUTHORIZE);
    await expectNoLeak(flow, 1);
  });

  it('10. offline before submit: no request, the offline message, Continue aria-disabled; back online it works', async () => {
    const flow = await atCredentials();
    goOffline();
    await flow.settle();
    expect(flow.text).to.include(TEXT.offlineHint);
    expect(await continueDisabled(flow)).to.equal('true');
    await flow.click('Continue');
    await flow.click('Continue');
    (await flow.field('API key')).focus();
    await sendKeys({ press: 'Enter' });
    await aTimeout(300);
    await flow.settle();
    expect(flow.step).to.equal('credentials');
    expect(await continueDisabled(flow)).to.equal('true');
    expectRequests(...LOAD);

    goOnline();
    await flow.settle();
    expect(flow.text).to.not.include(TEXT.offlineHint);
    expect(await continueDisabled(flow)).to.equal('false');
    expectRequests(...LOAD);
    await flow.click('Continue');
    await flow.waitForStep('success');
    expectRequests(...LOAD, CREATE, AUTHORIZE);
    await expectNoLeak(flow, 1);
  });

  it('10. offline mid-request: an offline error; back online it says so, sends nothing itself; Continue is a new attempt', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    worker.use(
      http.put(
        AUTHORIZATION,
        async () => {
          await released;
          return HttpResponse.error();
        },
        { once: true },
      ),
    );
    const flow = await atCredentials();
    await flow.click('Continue');
    await waitFor(() => watch.requests.authorizations.length === 1, 'the authorization is never sent', within(2000));
    goOffline();
    release();
    await waitFor(() => errorCodes(flow).length === 1, 'the failure is never reported', within(2000));
    await flow.settle();
    expect(errorCodes(flow)).to.deep.equal(['offline']);
    expect(flow.text).to.include(TEXT.offlineError);
    expect(flow.text).to.not.include(TEXT.network);
    expect(await continueDisabled(flow)).to.equal('true');
    expect(watch.requests.authorizations, 'not retried while offline').to.have.length(1);

    goOnline();
    await flow.settle();
    expect(flow.text).to.include(TEXT.backOnline);
    expect(await continueDisabled(flow)).to.equal('false');
    // Never an automatic resubmit of the key.
    await aTimeout(1000);
    expect(flow.step).to.equal('credentials');
    expectRequests(...LOAD, CREATE, AUTHORIZE);

    await flow.click('Continue');
    await flow.waitForStep('success');
    const sent = watch.requests.authorizations;
    expect(sent).to.have.length(2);
    expect(idempotencyKey(sent[1]!), 'a new attempt').to.not.equal(idempotencyKey(sent[0]!));
    expectRequests(...LOAD, CREATE, ...times(2, AUTHORIZE));
    await expectNoLeak(flow, 2);
  });

  it('11. removed mid-request: the request is aborted, and no events, re-renders or rejections follow', async () => {
    const fetches = recordFetchSignals();
    restoreFetch = fetches.restore;
    worker.use(
      http.put(AUTHORIZATION, async () => {
        await delay('infinite');
      }),
    );
    const flow = await atCredentials();
    await flow.click('Continue');
    await waitFor(() => watch.requests.authorizations.length === 1, 'the authorization is never sent', within(2000));
    const pending = fetches.signals.at(-1)!;
    expect(pending.aborted).to.equal(false);
    const rendering = recordRendering(flow);
    const eventCount = flow.events.length;

    flow.element.remove();
    expect(pending.aborted, 'the pending request is aborted').to.equal(true);
    // The aborted call settles at once (the step leaves its busy state); after that, nothing may run.
    await aTimeout(50);
    const settled = rendering.mutations.length;
    await aTimeout(500);
    rendering.stop();
    expect(flow.events.slice(eventCount).map((event) => event.type), 'events after removal').to.deep.equal([]);
    expect(rendering.mutations.slice(settled).map(describeMutation), 'the removed flow re-rendered later').to.deep.equal([]);
    expectRequests(...LOAD, CREATE, AUTHORIZE);
    await expectNoLeak(flow, 1, [flow.element]);
  });

  it('11. removed during a retry backoff: the pending retry never fires, no event follows', async () => {
    worker.use(http.put(AUTHORIZATION, () => HttpResponse.error()));
    const flow = await atCredentials();
    await flow.click('Continue');
    await waitFor(() => watch.requests.authorizations.length === 1, 'the authorization is never sent', within(2000));
    const eventCount = flow.events.length;
    // The first backoff (250–500 ms) has started.
    await aTimeout(50);
    flow.element.remove();
    // Past both backoffs (at most 0.5 s + 1 s).
    await aTimeout(1700);
    expect(flow.events.slice(eventCount).map((event) => event.type), 'events after removal').to.deep.equal([]);
    expectRequests(...LOAD, CREATE, AUTHORIZE);
    await expectNoLeak(flow, 1, [flow.element]);
  });

  it('11. removed during a countdown: no timer fires, nothing re-renders, no event afterwards', async () => {
    const live = new Set<number>();
    const realSetInterval = window.setInterval;
    const realClearInterval = window.clearInterval;
    window.setInterval = ((handler: TimerHandler, ms?: number, ...args: unknown[]) => {
      const id = realSetInterval(handler, ms, ...args);
      live.add(id);
      return id;
    }) as typeof window.setInterval;
    window.clearInterval = ((id?: number) => {
      if (id !== undefined) live.delete(id);
      realClearInterval(id);
    }) as typeof window.clearInterval;
    try {
      worker.use(
        http.put(AUTHORIZATION, () => backendError(429, 10007, { 'Retry-After': '120' })),
      );
      const flow = await atCredentials();
      await flow.click('Continue');
      await flow.idle();
      expect(flow.text).to.match(/You can try again in 1(20|19) seconds\./);
      expect(live.size, 'the countdown runs on an interval').to.be.above(0);
      const rendering = recordRendering(flow);
      const eventCount = flow.events.length;

      flow.element.remove();
      expect([...live], 'intervals still scheduled after removal').to.deep.equal([]);
      // Past the next tick of the countdown.
      await aTimeout(1300);
      rendering.stop();
      expect(rendering.mutations.map(describeMutation), 'the removed flow re-rendered').to.deep.equal([]);
      expect(flow.events.slice(eventCount).map((event) => event.type)).to.deep.equal([]);
      expectRequests(...LOAD, CREATE, AUTHORIZE);
      await expectNoLeak(flow, 1, [flow.element]);
    } finally {
      window.setInterval = realSetInterval;
      window.clearInterval = realClearInterval;
    }
  });

  it('12. ten rapid clicks on Continue: exactly one authorization', async () => {
    slowAuthorization(600);
    const flow = await atCredentials();
    const button = await flow.button('Continue');
    button.focus();
    for (let i = 0; i < 10; i++) button.click();
    await flow.waitForStep('success', 4000);
    await aTimeout(200);
    expect(flow.eventsOf('conduit-connection')).to.have.length(1);
    expectRequests(...LOAD, CREATE, AUTHORIZE);
    await expectNoLeak(flow, 1);
  });

  it('12. ten Enter presses in the key field: exactly one authorization', async () => {
    slowAuthorization(1500);
    const flow = await atCredentials();
    (await flow.field('API key')).focus();
    for (let i = 0; i < 10; i++) await sendKeys({ press: 'Enter' });
    expect(flow.step, 'all ten presses landed while the request was in flight').to.equal('credentials');
    await flow.waitForStep('success', 4000);
    await aTimeout(200);
    expect(flow.eventsOf('conduit-connection')).to.have.length(1);
    expectRequests(...LOAD, CREATE, AUTHORIZE);
    await expectNoLeak(flow, 1);
  });

  it('13. the success response lost, then the page reloaded: the flow shows the connection, never the key form', async () => {
    // The backend links the connection, but its answer never reaches the browser.
    const real = backend.handlers[0]!;
    const answered: (number | undefined)[] = [];
    worker.use(
      http.put(AUTHORIZATION, async ({ request, requestId }) => {
        const result = await real.run({ request, requestId });
        answered.push(result?.response?.status);
        return HttpResponse.error();
      }),
    );
    const first = await atCredentials();
    await first.click('Continue');
    await waitFor(() => errorCodes(first).length === 1, 'the lost answer is never reported', within(4000));
    expect(errorCodes(first)).to.deep.equal(['network']);
    // The first try linked it; the retries, with the same Idempotency-Key, were replays.
    expect(answered).to.deep.equal([200, 200, 200]);
    expect([...backend.connections.values()].map((connection) => connection.status)).to.deep.equal(['Linked']);
    expectRequests(...LOAD, CREATE, ...times(3, AUTHORIZE));
    await expectNoLeak(first, 1);

    // "Reload": the old page is gone; a new flow mounts against the same backend.
    first.element.remove();
    worker.resetHandlers();
    const before = watch.requests.api.length;
    const reloaded = await mountFlow({ keepBackend: true });
    expect(reloaded.step).to.equal('connected');
    expect(await reloaded.heading()).to.equal('Chargify is already connected');
    expect(reloaded.text).to.include('Acme Inc');
    expect(await reloaded.hasField('API key'), 'the key form is shown again').to.equal(false);
    // Opening on a Linked connection checks its key with Chargify (issue 17): the load, then one verify.
    const reloadRequests = watch.requests.summary.slice(before).map((line) => line.replace(/\/connections\/[^/]+(?=\/)/, '/connections/{id}'));
    expect(reloadRequests.sort()).to.deep.equal([...LOAD, 'POST /companies/co_123/connections/{id}/verify'].sort());
    await expectNoLeak(reloaded, 1, [first.element]);
  });
});
