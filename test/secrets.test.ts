import { expect } from '@open-wc/testing';
import type { Scenario } from '../mocks/backend.js';
import { backend, Flow } from './harness.js';
import { LeakWatch, type SeenRequest } from './leak-check.js';

// A key no fixture, message or mock contains, so any sighting is a leak.
const CANARY = 'chg_canary_5f2b9c1d7e';

describe('the API key never leaks', () => {
  let watch: LeakWatch;
  beforeEach(() => {
    watch = new LeakWatch(CANARY);
    watch.start();
  });
  afterEach(() => {
    watch.stop();
  });

  /** Every place outside the requests where the page could have kept the key. */
  async function expectNoTraceOutsideRequests(flow: Flow): Promise<void> {
    await watch.expectNoTraceOutsideRequests({ events: flow.events });
  }

  /**
   * The key travels only in the bodies of PUT …/authorization, once per attempt
   * (an attempt's automatic retries re-send the same body under its
   * Idempotency-Key), never in a header or a URL.
   */
  async function expectKeyOnlyInAuthorizationBodies(attempts: number): Promise<SeenRequest[]> {
    expect(backend.requests.length, 'no requests were recorded').to.be.greaterThan(0);
    return watch.expectOnlyInAuthorizationBodies(attempts);
  }

  async function mountAtCredentials(scenario: Scenario): Promise<Flow> {
    const flow = await Flow.mount({ scenario });
    await flow.toCredentials();
    return flow;
  }

  it('after a successful connection', async () => {
    const flow = await mountAtCredentials('happy');
    await flow.submitCredentials('acme', CANARY);
    await flow.waitForStep('success');
    expect(await flow.heading()).to.equal('Chargify connected');

    await expectNoTraceOutsideRequests(flow);
    watch.expectNoInputHolds();
    const carrying = await expectKeyOnlyInAuthorizationBodies(1);
    expect(carrying).to.have.length(1);

    await flow.click('Finish');
    await expectNoTraceOutsideRequests(flow);
  });

  it('after the demo key is accepted for site acme, and the canary rejected first', async () => {
    const flow = await mountAtCredentials('demo');
    await flow.submitCredentials('acme', CANARY);
    await flow.idle();
    expect(flow.text).to.include("Chargify didn't accept this API key");
    await flow.fill('API key', 'chg_demo_acme_admin');
    await flow.click('Continue');
    await flow.waitForStep('success');

    await expectNoTraceOutsideRequests(flow);
    watch.expectNoInputHolds();
    await expectKeyOnlyInAuthorizationBodies(1);
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
    expect((await flow.field('Site subdomain')).value, 'the subdomain was kept').to.equal('acme');

    await expectNoTraceOutsideRequests(flow);
    watch.expectNoInputHolds();
    expect((await flow.field('API key')).value, 'the rejected key is still in its field').to.equal('');
    const carrying = await expectKeyOnlyInAuthorizationBodies(1);
    expect(carrying).to.have.length(1);
  });

  it('after a retryable failure, retried by the user', async () => {
    const flow = await mountAtCredentials('error:upstream_unavailable');
    await flow.fill('Site subdomain', 'acme');
    await flow.fill('API key', CANARY);
    // Shown on screen, the key must still not reach an attribute or a text node.
    await flow.click('Show key');
    expect((await flow.field('API key')).type, 'the key is shown as text').to.equal('text');
    await flow.click('Continue');
    await flow.idle();
    expect(flow.step).to.equal('credentials');
    expect(flow.text).to.include("Chargify isn't responding right now");
    await expectNoTraceOutsideRequests(flow);
    await expectKeyOnlyInAuthorizationBodies(1);

    // Chargify not answering says nothing against the key (upstream_unavailable is not one of the
    // codes that reject it), so the key is kept for the retry; only a rejected key is cleared.
    expect((await flow.field('API key')).value, 'the key is kept after a failure that is not about it').to.equal(CANARY);
    // The user tries again with what is still in the form.
    await flow.click('Continue');
    await flow.idle();
    expect(flow.eventsOf('conduit-error')).to.have.length(2);
    await expectNoTraceOutsideRequests(flow);
    await expectKeyOnlyInAuthorizationBodies(2);
  });
});
