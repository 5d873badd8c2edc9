// A partner's page sets what the flow needs when it has it (issue 14 §1, §2;
// DESIGN §4): the token is fetched after the element is on the page, a
// framework sets properties after the element connects, a server-rendered page
// upgrades the element before its properties arrive. The flow never calls the
// backend without a URL, a company and a token (or a way to get one); until
// then it loads quietly, and it starts when the last piece arrives.
import { aTimeout, expect, fixture } from '@open-wc/testing';
import { html } from 'lit';
import { allByRole, textOf } from '../../a11y.js';
import { backend, Flow, startBackend } from '../../harness.js';
import { waitFor } from '../../wait.js';
import type { ConduitErrorEvent, ConduitLinkElement } from '../../../src/index.js';

/** Console output during a test, to assert the flow says nothing it should not. */
function watchConsole(): { errors: string[]; warnings: string[]; stop: () => void } {
  const seen = { errors: [] as string[], warnings: [] as string[] };
  const { error, warn } = console;
  console.error = (...args: unknown[]) => void seen.errors.push(args.map(String).join(' '));
  console.warn = (...args: unknown[]) => void seen.warnings.push(args.map(String).join(' '));
  return { ...seen, stop: () => Object.assign(console, { error, warn }) };
}

const statuses = () => backend.requests.map((request) => `${request.method} ${request.path} ${request.headers.authorization ?? '(no token)'}`);

let consoleWatch: ReturnType<typeof watchConsole>;
beforeEach(() => {
  consoleWatch = watchConsole();
});
afterEach(() => consoleWatch.stop());

describe('<conduit-link> with a session token that arrives late', () => {
  it('sends nothing until the token is set, then loads the picker with it: no 401, no error, no console line', async () => {
    const flow = await Flow.mount({ attributes: { 'session-token': '' }, noWait: true });
    await aTimeout(50);
    expect(statuses(), 'requests before the token').to.deep.equal([]);
    expect(flow.text).to.contain('Loading…');
    expect(flow.events.map((event) => event.type), 'events before the token').to.deep.equal([]);

    flow.element.sessionToken = 'tok_valid';
    await flow.waitForStep('picker');
    expect(backend.requests.every((request) => request.headers.authorization === 'Bearer tok_valid')).to.equal(true, statuses().join('\n'));
    expect(flow.eventsOf('conduit-error')).to.deep.equal([]);
    expect(consoleWatch.errors.concat(consoleWatch.warnings)).to.deep.equal([]);
  });

  it('with only fetchSessionToken, asks for a token before its first request, so nothing earns a 401', async () => {
    let asked = 0;
    const flow = await Flow.mount({
      attributes: { 'session-token': '' },
      properties: { fetchSessionToken: async () => (asked++, 'tok_valid') },
    });
    expect(flow.step).to.equal('picker');
    expect(asked).to.equal(1);
    expect(backend.requests.map((request) => request.headers.authorization)).to.deep.equal(['Bearer tok_valid', 'Bearer tok_valid']);
  });

  it('uses a token replaced while the flow is open from the next request on, without starting over', async () => {
    const flow = await Flow.mount();
    await flow.toCredentials();
    const steps = flow.eventsOf('conduit-step-change').length;

    flow.element.sessionToken = 'tok_refreshed';
    await flow.element.updateComplete;
    await flow.submitCredentials('acme', 'chg_demo_acme_admin');
    await flow.waitForStep('success');
    const later = backend.requests.filter((request) => request.method !== 'GET');
    expect(later.map((request) => request.headers.authorization)).to.deep.equal(['Bearer tok_refreshed', 'Bearer tok_refreshed']);
    expect(flow.eventsOf('conduit-step-change').length, 'no restart: credentials → success only').to.equal(steps + 1);
  });

  it('starts over by itself when a fresh token is set after its session expired', async () => {
    const flow = await Flow.mount({ attributes: { 'session-token': 'expired-1' } });
    expect(flow.step).to.equal('error');
    await flow.waitForHeading('Your session has expired');

    flow.element.sessionToken = 'tok_valid';
    await flow.waitForStep('picker');
    expect(await flow.heading()).to.equal('Choose your billing platform');
  });

  it('modal: open() before the token shows the dialog loading, and the token starts it', async () => {
    const flow = await Flow.mount({ attributes: { mode: 'modal', 'session-token': '' }, noWait: true });
    flow.element.open();
    await aTimeout(50);
    expect((await flow.dialog()).open).to.equal(true);
    expect(flow.text).to.contain('Loading…');
    expect(statuses()).to.deep.equal([]);

    flow.element.sessionToken = 'tok_valid';
    await flow.waitForStep('picker');
    expect(consoleWatch.errors).to.deep.equal([]);
  });
});

describe('<conduit-link> configured after it connects', () => {
  it('as a server-rendered page upgrades it: properties set after connect, in the same task, raise nothing', async () => {
    await startBackend();
    const holder = await fixture<HTMLDivElement>(html`<div></div>`);
    const element = document.createElement('conduit-link') as ConduitLinkElement;
    const errors: ConduitErrorEvent[] = [];
    const steps: string[] = [];
    element.addEventListener('conduit-error', (event) => errors.push(event));
    element.addEventListener('conduit-step-change', (event) => steps.push(event.step));
    holder.append(element);
    await element.updateComplete;
    // Hydration sets bound properties once the element has connected and rendered once.
    Object.assign(element, { backendUrl: '/api', companyId: 'co_123', sessionToken: 'tok_valid' });
    await waitFor(() => steps.includes('picker'), () => `the picker never showed (steps: ${steps.join(', ')})`);
    expect(errors, 'conduit-error').to.deep.equal([]);
    expect(consoleWatch.errors, 'console errors').to.deep.equal([]);
    expect(consoleWatch.warnings, 'console warnings').to.deep.equal([]);
  });

  it('says once, on the console, what it still waits for after the page’s first task, and starts when it comes', async () => {
    const flow = await Flow.mount({ attributes: { 'backend-url': '', 'company-id': '' }, noWait: true });
    await aTimeout(50);
    expect(statuses()).to.deep.equal([]);
    expect(consoleWatch.warnings).to.deep.equal(['<conduit-link>: waiting for backend-url and company-id; the flow starts when they are set.']);
    expect(flow.eventsOf('conduit-error')).to.deep.equal([]);

    flow.element.setAttribute('backend-url', '/api');
    await aTimeout(20);
    expect(consoleWatch.warnings.length, 'said once').to.equal(1);
    flow.element.setAttribute('company-id', 'co_123');
    await flow.waitForStep('picker');
  });

  it('still refuses a backend-url that would expose the key, when it starts', async () => {
    const flow = await Flow.mount({ attributes: { 'backend-url': 'http://api.example.com' }, noWait: true });
    await flow.waitForStep('error');
    expect(flow.eventsOf<ConduitErrorEvent>('conduit-error').map((event) => event.code)).to.deep.equal(['invalid_config']);
    expect(statuses()).to.deep.equal([]);
  });
});

describe('<conduit-link> small things (issue 14 §5)', () => {
  it('inline, shows no empty header bar where it has nothing to put in it', async () => {
    const flow = await Flow.mount({ attributes: { 'session-token': '' }, noWait: true });
    await aTimeout(20);
    const header = flow.part('header') as HTMLElement;
    expect(header.getBoundingClientRect().height, 'header while loading').to.equal(0);
    flow.element.sessionToken = 'tok_valid';
    await flow.waitForStep('picker');
    expect(header.getBoundingClientRect().height, 'header with the step position').to.be.greaterThan(0);
  });

  it('does not repeat the session-expired heading in the text under it', async () => {
    const flow = await Flow.mount({ attributes: { 'session-token': 'expired-1' } });
    await flow.waitForHeading('Your session has expired');
    const [alert] = await allByRole(flow.element, 'alert');
    expect(textOf(alert!)).not.to.contain('Your session has expired');
    expect(textOf(alert!)).to.contain('Start again');
  });
});
