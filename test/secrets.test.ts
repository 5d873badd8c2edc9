import { expect } from '@open-wc/testing';
import type { RecordedRequest, Scenario } from '../mocks/backend.js';
import {
  captureConsole,
  deepInputs,
  domPlacesContaining,
  eventAsJson,
  secretForms,
  type ConsoleCapture,
} from './flow-helpers.js';
import { backend, Flow } from './harness.js';

// A key no fixture, message or mock contains, so any sighting is a leak.
const CANARY = 'chg_canary_5f2b9c1d7e';
const FORMS = secretForms(CANARY);

function leaks(text: string | null | undefined): boolean {
  return typeof text === 'string' && FORMS.some((form) => text.includes(form));
}

function storageEntries(storage: Storage): string[] {
  const entries: string[] = [];
  for (let i = 0; i < storage.length; i++) {
    const key = storage.key(i)!;
    entries.push(`${key}=${storage.getItem(key)}`);
  }
  return entries;
}

/** Every place outside the request log where the page could have kept the key. */
async function expectNoTraceOutsideRequests(flow: Flow, capture: ConsoleCapture): Promise<void> {
  const where: Record<string, string[]> = {
    localStorage: storageEntries(localStorage),
    sessionStorage: storageEntries(sessionStorage),
    'document.cookie': [document.cookie],
    'location.href': [location.href],
    'history.state': [JSON.stringify(history.state) ?? ''],
    'window.name': [window.name],
    'resource timing URLs': performance.getEntries().map((entry) => entry.name),
    'IndexedDB database names': ((await indexedDB.databases()) ?? []).map((database) => database.name ?? ''),
    console: capture.output,
    'events the host received': flow.events.map(eventAsJson),
  };
  for (const [place, values] of Object.entries(where)) {
    expect(values.filter(leaks), `the key is in ${place}`).to.deep.equal([]);
  }
  expect(domPlacesContaining(document.documentElement, FORMS), 'the key is in the DOM').to.deep.equal([]);
}

function expectNoInputHoldsTheKey(): void {
  const holding = deepInputs(document.documentElement).filter((input) => leaks(input.value));
  expect(holding.map((input) => `<input name=${input.name} type=${input.type}>`), 'an input still holds the key').to.deep.equal([]);
}

/**
 * The key travels only in the bodies of PUT …/authorization, once per attempt:
 * the requests that carry it share an Idempotency-Key per attempt (an attempt's
 * automatic retries re-send the same body), never in a header or a URL.
 */
function expectKeyOnlyInAuthorizationBodies(attempts: number): RecordedRequest[] {
  expect(backend.requests.length, 'no requests were recorded').to.be.greaterThan(0);
  for (const request of backend.requests) {
    const label = `${request.method} ${request.path}`;
    expect(leaks(request.path), `the key is in the URL of ${label}`).to.equal(false);
    const headers = Object.entries(request.headers).filter(([name, value]) => leaks(name) || leaks(value));
    expect(headers, `the key is in a header of ${label}`).to.deep.equal([]);
  }
  const carrying = backend.requests.filter((request) => leaks(JSON.stringify(request.body ?? null)));
  expect(
    carrying.filter((request) => !(request.method === 'PUT' && /\/connections\/[^/]+\/authorization$/.test(request.path))).map(
      (request) => `${request.method} ${request.path}`,
    ),
    'the key is in the body of another request',
  ).to.deep.equal([]);
  for (const request of carrying) {
    const body = JSON.stringify(request.body);
    expect(body.split(CANARY).length - 1, 'the key appears more than once in one body').to.equal(1);
    expect((request.body as { apiKey?: unknown }).apiKey).to.equal(CANARY);
    expect(leaks(body.replace(`"apiKey":"${CANARY}"`, '')), 'the key is in another field of the body').to.equal(false);
  }
  const byAttempt = new Map<string, Set<string>>();
  for (const request of carrying) {
    const key = request.headers['idempotency-key'] ?? '';
    expect(key, 'an authorization request without an Idempotency-Key').to.not.equal('');
    byAttempt.set(key, (byAttempt.get(key) ?? new Set()).add(JSON.stringify(request.body)));
  }
  expect(byAttempt.size, 'attempts that carried the key').to.equal(attempts);
  for (const bodies of byAttempt.values()) expect(bodies.size, 'one attempt sent different bodies').to.equal(1);
  return carrying;
}

describe('the API key never leaks', () => {
  let capture: ConsoleCapture;
  beforeEach(() => {
    capture = captureConsole();
    // Every URL the page fetches lands here, query string included; the default buffer fills up with the test's modules.
    performance.clearResourceTimings();
    performance.setResourceTimingBufferSize(10_000);
  });
  afterEach(() => {
    capture.restore();
  });

  async function mountAtCredentials(scenario: Scenario): Promise<Flow> {
    const flow = await Flow.mount({ scenario });
    await flow.toCredentials();
    return flow;
  }

  it('after a successful connection', async () => {
    const flow = await mountAtCredentials('happy');
    await flow.submitCredentials('acme', CANARY);
    await flow.waitForStep('success');
    expect(flow.heading).to.equal('Chargify connected');

    await expectNoTraceOutsideRequests(flow, capture);
    expectNoInputHoldsTheKey();
    const carrying = expectKeyOnlyInAuthorizationBodies(1);
    expect(carrying).to.have.length(1);

    await flow.click('Finish');
    await expectNoTraceOutsideRequests(flow, capture);
  });

  it('after the demo key is accepted for site acme, and the canary rejected first', async () => {
    const flow = await mountAtCredentials('demo');
    await flow.submitCredentials('acme', CANARY);
    await flow.idle();
    expect(flow.text).to.include("Chargify didn't accept this API key");
    await flow.fill('API key', 'chg_demo_acme_admin');
    await flow.click('Continue');
    await flow.waitForStep('success');

    await expectNoTraceOutsideRequests(flow, capture);
    expectNoInputHoldsTheKey();
    expectKeyOnlyInAuthorizationBodies(1);
  });

  it('after a rejected key', async () => {
    const flow = await mountAtCredentials('demo');
    await flow.submitCredentials('acme', CANARY);
    await flow.idle();
    expect(flow.step).to.equal('credentials');
    expect(flow.text).to.include("Chargify didn't accept this API key");
    expect(flow.eventsOf('conduit-error').map((event) => (event as unknown as { code: string }).code)).to.deep.equal([
      'invalid_credentials',
    ]);
    expect(flow.field('Site subdomain').value, 'the subdomain was kept').to.equal('acme');

    await expectNoTraceOutsideRequests(flow, capture);
    expectNoInputHoldsTheKey();
    expect(flow.field('API key').value, 'the rejected key is still in its field').to.equal('');
    const carrying = expectKeyOnlyInAuthorizationBodies(1);
    expect(carrying).to.have.length(1);
  });

  it('after a retryable failure, retried by the user', async () => {
    const flow = await mountAtCredentials('error:upstream_unavailable');
    await flow.fill('Site subdomain', 'acme');
    await flow.fill('API key', CANARY);
    // Shown on screen, the key must still not reach an attribute or a text node.
    await flow.click('Show key');
    await flow.click('Continue');
    await flow.idle();
    expect(flow.step).to.equal('credentials');
    expect(flow.text).to.include("Chargify isn't responding right now");
    await expectNoTraceOutsideRequests(flow, capture);
    expectKeyOnlyInAuthorizationBodies(1);

    // The user tries again with what is still in the form.
    if (flow.field('API key').value === '') await flow.fill('API key', CANARY);
    await flow.click('Continue');
    await flow.idle();
    expect(flow.eventsOf('conduit-error')).to.have.length(2);
    await expectNoTraceOutsideRequests(flow, capture);
    expectKeyOnlyInAuthorizationBodies(2);
  });
});
