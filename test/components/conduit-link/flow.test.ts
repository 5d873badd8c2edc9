import { aTimeout, expect, waitUntil } from '@open-wc/testing';
import type { ConduitErrorEvent, ConduitStepChangeEvent } from '../../../src/index.js';
import { deepElements, focusedElement, normalise } from '../../a11y.js';
import { catalogue } from '../../../mocks/catalogue.js';
import { backend, Flow, recordFetchSignals, startBackend } from '../../harness.js';

describe('<conduit-link> navigation', () => {
  it('goes Back from credentials to permissions to the picker, keeping the choice', async () => {
    const flow = await Flow.mount();
    expect(await flow.has('button', /Back/)).to.be.false;
    expect(flow.text).to.include('Step 1 of 4');
    await flow.toCredentials();
    expect(flow.text).to.include('Step 3 of 4');

    await flow.click(/Back/);
    await flow.waitForStep('permissions');
    expect(await flow.heading()).to.equal('Connect to Chargify');
    await flow.click(/Back/);
    await flow.waitForStep('picker');
    expect((await flow.field('Chargify')).checked).to.be.true;
    expect((await flow.button('Next')).disabled).to.be.false;
  });

  it('skips the picker when an integration is preselected', async () => {
    const flow = await Flow.mount({ attributes: { integration: 'chargify' } });
    expect(flow.step).to.equal('permissions');
    expect(flow.text).to.include('Step 1 of 3');
    expect(await flow.has('button', /Back/)).to.be.false;
    await flow.click('Next');
    await flow.waitForStep('credentials');
    expect(flow.text).to.include('Step 2 of 3');
    await flow.click(/Back/);
    await flow.waitForStep('permissions');
    expect(await flow.has('button', /Back/)).to.be.false;
  });

  it('falls back to the picker when the preselected integration is not offered', async () => {
    const flow = await Flow.mount({ attributes: { integration: 'zuora' } });
    expect(flow.step).to.equal('picker');
  });

  it('shows an existing Linked connection instead of asking for the key again', async () => {
    const flow = await Flow.mount({ scenario: 'connected' });
    expect(flow.step).to.equal('connected');
    expect(await flow.heading()).to.equal('Chargify is already connected');
    expect(flow.text).to.include('Acme Inc');
    expect(await flow.hasField('API key')).to.equal(false);
    await flow.click('Finish');
    expect(flow.eventsOf('conduit-finish')).to.have.length(1);
    // Opening checks the stored key with Chargify (verify); nothing else changes anything.
    expect(backend.requests.filter((request) => request.method !== 'GET').map((r) => `${r.method} ${r.path}`)).to.deep.equal([
      'POST /companies/co_123/connections/conn_0001/verify',
    ]);
  });

  it('says so when there is nothing to connect', async () => {
    const flow = await Flow.mount({ scenario: 'empty' });
    expect(flow.text).to.include('No platforms are available to connect right now.');
    expect((await flow.button('Next')).disabled).to.be.true;
  });

  it('moves focus to each new heading, which is read, and announces where the step is', async () => {
    const flow = await Flow.mount();
    await flow.choose('Chargify');
    await flow.click('Next');
    await flow.waitForStep('permissions');
    const status = () => deepElements(flow.element).find((el) => el.getAttribute('role') === 'status' && el.closest('.frame') && !el.closest('.body'));
    await waitUntil(() => normalise(status()?.textContent ?? '') === 'Step 2 of 4', 'step not announced');
    const focused = focusedElement();
    expect(focused?.tagName).to.equal('H2');
    expect(normalise(focused?.textContent ?? '')).to.equal('Connect to Chargify');
  });

  it('moves focus to the new heading when clicks do not focus what they press, as in Safari', async () => {
    const flow = await Flow.mount();
    // A pointer press and a click, with no focus on the way: Safari does not focus buttons or radios on click.
    const press = (control: HTMLElement) => {
      control.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true, composed: true }));
      control.click();
    };
    press(await flow.field('Chargify'));
    await flow.settle();
    press(await flow.button('Next'));
    await flow.waitForStep('permissions');
    await waitUntil(() => focusedElement()?.tagName === 'H2', `focus is on ${focusedElement()?.tagName ?? 'nothing'}`);
    expect(normalise(focusedElement()?.textContent ?? '')).to.equal('Connect to Chargify');
  });

  it('does not steal focus from the host page on first load', async () => {
    const before = document.activeElement;
    await Flow.mount();
    expect(document.activeElement).to.equal(before);
  });
});

describe('<conduit-link> credentials and the backend', () => {
  it('reuses the pending connection when the user corrects a rejected key', async () => {
    const flow = await Flow.mount();
    await flow.toCredentials();
    await flow.submitCredentials('acme', 'chg_wrong');
    await flow.idle();
    expect(flow.text).to.include("Chargify didn't accept this API key");
    expect((await flow.field('API key')).value).to.equal('');
    expect((await flow.field('Site subdomain')).value).to.equal('acme');

    await flow.fill('API key', 'chg_demo_acme_admin');
    await flow.click('Continue');
    await flow.waitForStep('success');

    expect(backend.requestsTo('/connections', 'POST')).to.have.length(1);
    const puts = backend.requestsTo('/authorization', 'PUT');
    expect(puts).to.have.length(2);
    expect(puts[0]!.headers['idempotency-key']).to.match(/^[0-9a-f-]{36}$/);
    expect(puts[0]!.headers['idempotency-key']).not.to.equal(puts[1]!.headers['idempotency-key']);
    expect(puts[1]!.body).to.deep.equal({ apiKey: 'chg_demo_acme_admin', subdomain: 'acme', region: 'US' });
    expect(flow.eventsOf('conduit-connection-started')).to.have.length(1);
    const errors = flow.eventsOf<ConduitErrorEvent>('conduit-error');
    expect(errors.map((e) => [e.code, e.userRecoverable, e.status])).to.deep.equal([['invalid_credentials', true, 400]]);
    expect(errors[0]!.correlationId).to.equal(puts[0]!.headers['x-correlation-id']);
  });

  it("catches a pasted key id before sending it: Chargify shows the key's numeric id beside the key", async () => {
    const flow = await Flow.mount();
    await flow.toCredentials();
    await flow.submitCredentials('acme', '418263');
    expect(flow.text).to.include("That looks like the key's ID, not the key.");
    expect((await flow.field('API key')).getAttribute('aria-invalid')).to.equal('true');
    expect(backend.requests.filter((request) => request.method !== 'GET')).to.be.empty;
  });

  it('offers the other region when the backend found the site there', async () => {
    const flow = await Flow.mount();
    await flow.toCredentials();
    await flow.submitCredentials('euro-shop', 'chg_demo_euro_admin');
    await flow.idle();
    expect(flow.text).to.include("We couldn't reach a Chargify site at this address");
    expect(flow.text).to.include('This site exists in the Europe region.');
    await flow.click('Switch to the Europe region');
    expect((await flow.field('Europe (ebilling.maxio.com)')).checked).to.be.true;
    expect((await flow.field('API key')).value, 'the key is kept: it was not rejected').to.equal('chg_demo_euro_admin');
    await flow.click('Continue');
    await flow.waitForStep('success');
    expect(flow.text).to.include('Euro Shop GmbH');
    expect(flow.text).to.include('euro-shop.ebilling.maxio.com');
  });

  it('tells the host the same site-not-found words the user read, with the example address of their region', async () => {
    const flow = await Flow.mount();
    await flow.toCredentials();
    await flow.choose('Europe (ebilling.maxio.com)');
    await flow.submitCredentials('nosuchsite', 'chg_x');
    await flow.idle();
    const [error] = flow.eventsOf<ConduitErrorEvent>('conduit-error');
    expect(normalise(error!.message)).to.include('like acme in acme.ebilling.maxio.com.');
    expect(flow.text).to.include(normalise(error!.message));
  });

  const demoCases: [string, string, string, string][] = [
    // Chargify keys have no roles: a key that is not the site's is refused (401), whatever made it.
    ['acme', 'chg_demo_acme_readonly', 'invalid_credentials', "Chargify didn't accept this API key for this site."],
    ['nosuchsite', 'chg_x', 'site_not_found', "We couldn't reach a Chargify site"],
    ['trial-ended', 'chg_x', 'account_blocked', 'Chargify has blocked access to this account'],
    ['clearing', 'chg_x', 'upstream_unavailable', "Chargify is clearing this site's data right now. Try again later."],
  ];
  for (const [site, key, code, message] of demoCases) {
    it(`explains ${code} for the demo site ${site}`, async () => {
      const flow = await Flow.mount();
      await flow.toCredentials();
      await flow.submitCredentials(site, key);
      await flow.idle();
      expect(flow.text).to.include(message);
      expect(flow.eventsOf<ConduitErrorEvent>('conduit-error').map((e) => e.code)).to.deep.equal([code]);
      expect(flow.step).to.equal('credentials');
    });
  }

  it('shows a retryable upstream failure with a support reference, then succeeds on retry', async () => {
    const flow = await Flow.mount({ scenario: 'error:upstream_unavailable' });
    await flow.toCredentials();
    await flow.submitCredentials('acme', 'chg_demo_acme_admin');
    await flow.idle();
    expect(flow.text).to.include("Chargify isn't responding right now");
    const puts = backend.requestsTo('/authorization', 'PUT');
    expect(puts, 'retried twice automatically').to.have.length(3);
    expect(new Set(puts.map((p) => p.headers['idempotency-key'])).size, 'same key on retries').to.equal(1);
    expect(flow.text).to.include(`Support reference: ${puts[0]!.headers['x-correlation-id']}`);
    expect((await flow.field('API key')).value, 'kept for the retry').to.equal('chg_demo_acme_admin');

    backend.scenario = 'demo';
    await flow.click('Continue');
    await flow.waitForStep('success');
  });

  it('turns a 409 into the already-connected state', async () => {
    const flow = await Flow.mount({ scenario: 'error:conflict' });
    await flow.toCredentials();
    // Meanwhile, someone linked the account from another tab.
    backend.linkElsewhere({ subdomain: 'acme', region: 'US', siteName: 'Acme Inc' });
    await flow.submitCredentials('acme', 'chg_demo_acme_admin');
    await flow.waitForStep('connected');
    expect(await flow.heading()).to.equal('Chargify is already connected');
    expect(flow.eventsOf<ConduitErrorEvent>('conduit-error').map((e) => [e.code, e.userRecoverable])).to.deep.equal([
      ['conflict', false],
    ]);
  });

  it('treats a 200 that is not the contract as bad_response, without showing the body', async () => {
    const flow = await Flow.mount({ scenario: 'malformed' });
    await flow.toCredentials();
    await flow.submitCredentials('acme', 'chg_demo_acme_admin');
    await flow.idle();
    expect(flow.text).to.include('The server sent an answer we could not read');
    expect(flow.text).not.to.include('Bad gateway');
    expect(flow.eventsOf<ConduitErrorEvent>('conduit-error')[0]!.code).to.equal('bad_response');
  });
});

describe('<conduit-link> sessions', () => {
  it('refreshes an expired token once and replays with the same idempotency key', async () => {
    let calls = 0;
    const flow = await Flow.mount({ attributes: { 'session-token': 'tok_valid' } });
    flow.element.fetchSessionToken = async () => {
      calls++;
      return 'tok_fresh';
    };
    await flow.toCredentials();
    flow.element.sessionToken = 'expired-token';
    await flow.submitCredentials('acme', 'chg_demo_acme_admin');
    await flow.waitForStep('success');
    expect(calls).to.equal(1);
    const posts = backend.requestsTo('/connections', 'POST');
    expect(posts.map((p) => p.headers.authorization)).to.deep.equal(['Bearer expired-token', 'Bearer tok_fresh']);
    expect(posts[0]!.headers['idempotency-key']).to.equal(posts[1]!.headers['idempotency-key']);
    expect(backend.requestsTo('/authorization', 'PUT')[0]!.headers.authorization).to.equal('Bearer tok_fresh');
  });

  it('stops with "session expired" when no fresh token can be had, and starts again', async () => {
    const flow = await Flow.mount({ attributes: { 'session-token': 'expired-token' } });
    expect(flow.step).to.equal('error');
    expect(await flow.heading()).to.equal('Your session has expired');
    const error = flow.eventsOf<ConduitErrorEvent>('conduit-error')[0]!;
    expect([error.code, error.userRecoverable, error.status]).to.deep.equal(['session_expired', false, 401]);

    // The fresh token and the click in one task, as the user's click after the host's refresh.
    const startAgain = await flow.button('Start again');
    flow.element.sessionToken = 'tok_valid';
    startAgain.focus();
    startAgain.click();
    await flow.waitForStep('picker');
  });
});

describe('<conduit-link> loading and configuration', () => {
  it('shows a loading state while the catalogue loads', async () => {
    const flow = await Flow.mount({ scenario: 'slow', noWait: true });
    await flow.settle();
    expect(flow.text).to.include('Loading…');
    await flow.waitForStep('picker');
  });

  it('ends an unreachable backend in an error with Try again', async () => {
    const flow = await Flow.mount({ scenario: 'unreachable' });
    expect(flow.step).to.equal('error');
    expect(flow.text).to.include("We couldn't reach the server");
    expect(flow.eventsOf<ConduitErrorEvent>('conduit-error')[0]!.code).to.equal('network');
    backend.scenario = 'demo';
    await flow.click('Try again');
    await flow.waitForStep('picker');
    const steps = flow.eventsOf<ConduitStepChangeEvent>('conduit-step-change').map((e) => e.step);
    expect(steps).to.deep.equal(['error', 'loading', 'picker']);
  });

  it('reports a malformed catalogue as bad_response', async () => {
    const flow = await Flow.mount({ scenario: 'malformed-catalogue' });
    expect(flow.step).to.equal('error');
    expect(flow.eventsOf<ConduitErrorEvent>('conduit-error')[0]!.code).to.equal('bad_response');
  });

  for (const url of ['http://backend.example.com/api', 'https://user:pass@backend.example.com/api']) {
    it(`refuses backend-url ${url} without sending anything`, async () => {
      const errors: string[] = [];
      const original = console.error;
      console.error = (...args: unknown[]) => errors.push(args.join(' '));
      try {
        const flow = await Flow.mount({ attributes: { 'backend-url': url } });
        expect(flow.step).to.equal('error');
        expect(flow.eventsOf<ConduitErrorEvent>('conduit-error')[0]!.code).to.equal('invalid_config');
        expect(await flow.has('button', 'Try again')).to.be.false;
      } finally {
        console.error = original;
      }
      expect(backend.requests).to.be.empty;
      expect(errors.join()).to.include('backend-url');
    });
  }

  it('reloads when the company changes', async () => {
    const flow = await Flow.mount();
    flow.element.companyId = 'co_other';
    await flow.waitForStep((step) => step === 'picker' && backend.requests.some((r) => r.path.includes('co_other')));
  });

  it('aborts its requests and goes quiet when removed mid-request', async () => {
    const fetches = recordFetchSignals();
    const unhandled: unknown[] = [];
    const onUnhandled = (event: PromiseRejectionEvent) => unhandled.push(event.reason);
    window.addEventListener('unhandledrejection', onUnhandled);
    try {
      const flow = await Flow.mount({ scenario: 'hang' });
      await flow.toCredentials();
      await flow.submitCredentials('acme', 'chg_demo_acme_admin');
      await waitUntil(() => backend.requestsTo('/authorization', 'PUT').length === 1, 'authorization never sent');
      const count = flow.events.length;
      const pending = fetches.signals.at(-1)!;
      expect(pending.aborted).to.be.false;
      flow.element.remove();
      expect(pending.aborted, 'the hanging request is aborted').to.be.true;
      await aTimeout(200);
      expect(flow.events.length, 'no events after removal').to.equal(count);
      expect(unhandled).to.be.empty;
    } finally {
      fetches.restore();
      window.removeEventListener('unhandledrejection', onUnhandled);
    }
  });
});

// A backend's names are cut where they are read (src/backend/validate.ts), so no step can be stretched by one.
describe('<conduit-link> with very long names from the backend', () => {
  const HUGE = 'N'.repeat(10_000);
  const HUGE_CUT = `${'N'.repeat(100)}…`;
  // The 100th code point is an emoji: a cut by UTF-16 units would leave half of it.
  const EMOJI = `${'a'.repeat(99)}${'😀'.repeat(10)}`;
  const EMOJI_CUT = `${'a'.repeat(99)}😀…`;

  afterEach(() => {
    backend.integrations = catalogue;
  });

  it('shows a 10,000-character integration name cut to 100 characters, on the picker and the permissions step', async () => {
    backend.integrations = catalogue.map((integration) => (integration.key === 'chargify' ? { ...integration, name: HUGE } : integration));
    const flow = await Flow.mount();
    expect(flow.text).to.include(HUGE_CUT);
    expect(flow.text).to.not.include('N'.repeat(101));
    await flow.choose(HUGE_CUT);
    await flow.click('Next');
    await flow.waitForStep('permissions');
    expect(await flow.heading()).to.equal(`Connect to ${HUGE_CUT}`);
  });

  it('shows a connected site’s name cut by code points, never inside an emoji, and a 10,000-character subdomain cut', async () => {
    await startBackend('demo');
    backend.linkElsewhere({ subdomain: HUGE, region: 'US', siteName: EMOJI });
    const flow = await Flow.mount({ keepBackend: true });
    expect(flow.step).to.equal('connected');
    expect(flow.text).to.include(EMOJI_CUT);
    expect(flow.text).to.include(`${HUGE_CUT}.chargify.com`);
    expect(flow.text).to.not.include('N'.repeat(101));
    expect(flow.text).to.not.match(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
  });
});
