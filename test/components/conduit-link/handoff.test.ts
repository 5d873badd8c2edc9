import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { ConduitConnectionEvent, ConduitHandoffEvent } from '../../../src/index.js';
import { handoffLink } from '../../../src/components/conduit-link/lifecycle-flow.js';
import { DEMO_KEYS } from '../../../mocks/chargify.js';
import { eventAsJson, expectFocusOnHeading, tabTo } from '../../flow-helpers.js';
import { backend, Flow } from '../../harness.js';

const HANDOFF_URL = 'https://partner.example/connect/colleague?ref=mail#top';
const OFFER = "I don't have the admin key — send this step to a colleague";

/** The requester's page, on the hand-off link. */
async function offered(): Promise<Flow> {
  const flow = await Flow.mount({ attributes: { 'handoff-url': HANDOFF_URL } });
  await flow.toCredentials();
  await flow.click(OFFER);
  await flow.waitForStep('handoff');
  return flow;
}

/** The colleague's page: a hand-off token, no company id, no session token. */
function colleague(token: string): Promise<Flow> {
  return Flow.mount({ keepBackend: true, attributes: { 'handoff-token': token, 'company-id': '', 'session-token': '' } });
}

describe('hand-off: the link joins the query correctly', () => {
  it('adds conduit_handoff to whatever the URL already has', () => {
    expect(handoffLink('https://p.example/c', 'hof_abc', location.href)).to.equal('https://p.example/c?conduit_handoff=hof_abc');
    expect(handoffLink('https://p.example/c?a=1#x', 'hof_abc', location.href)).to.equal('https://p.example/c?a=1&conduit_handoff=hof_abc#x');
    expect(handoffLink('/colleague?', 'hof_abc', 'https://p.example/app/')).to.equal('https://p.example/colleague?conduit_handoff=hof_abc');
  });
});

describe('hand-off: the requester', () => {
  it('is offered only when the host sets handoff-url', async () => {
    const flow = await Flow.mount();
    await flow.toCredentials();
    expect(await flow.has('button', OFFER)).to.equal(false);
  });

  it('shows a link with the token, Copy and an email; the event carries the expiry, never the token', async () => {
    const flow = await offered();
    const handoff = backend.lastHandoff!;
    expect(await flow.heading()).to.equal('Send this step to a colleague');
    const link = `https://partner.example/connect/colleague?ref=mail&conduit_handoff=${handoff.token}#top`;
    expect(flow.text).to.include(link);
    expect(flow.text).to.include('conduit_handoff=');
    expect(await flow.has('button', 'Copy link')).to.equal(true);
    const mail = await flow.get<HTMLAnchorElement>('link', 'Send by email');
    expect(mail.href.startsWith('mailto:?subject=')).to.equal(true);
    expect(decodeURIComponent(mail.href)).to.include(link);
    const events = flow.eventsOf<ConduitHandoffEvent>('conduit-handoff');
    expect(events.map((e) => e.expiresAt)).to.deep.equal([handoff.expiresAt]);
    for (const event of flow.events) expect(eventAsJson(event)).to.not.include(handoff.token);
    expect(backend.requestsTo('/connections', 'POST'), 'a pending connection to hand off').to.have.length(1);
  });

  it('waits, and moves to success by itself when the colleague has connected (reason handoff)', async function () {
    this.timeout(15000);
    const flow = await offered();
    await flow.click("I've sent it");
    await flow.waitForStep('handoff-waiting');
    expect(await flow.heading()).to.equal('Waiting for your colleague…');
    // The colleague finishes elsewhere.
    const connection = backend.connections.get(backend.lastHandoff!.connectionId)!;
    Object.assign(connection, {
      status: 'Linked',
      connectionInfo: { subdomain: 'acme', region: 'US', siteId: 48213, siteName: 'Acme Inc' },
    });
    await flow.waitForStep('success', 10000);
    const [event] = flow.eventsOf<ConduitConnectionEvent>('conduit-connection');
    expect([event!.connectionId, event!.reason]).to.deep.equal([connection.id, 'handoff']);
  });

  it('Cancel withdraws the link and returns to the credentials step', async () => {
    const flow = await offered();
    const handoff = backend.lastHandoff!;
    await flow.click('Cancel');
    await flow.waitForStep('credentials');
    expect(backend.requestsTo(`/handoffs/${handoff.id}`, 'DELETE')).to.have.length(1);
    expect(handoff.revoked).to.equal(true);
  });

  it('stops watching when the element is removed', async function () {
    this.timeout(10000);
    const flow = await offered();
    flow.element.remove();
    const before = backend.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(backend.requests.length, 'no poll after removal').to.equal(before);
  });

  it('works with the keyboard only: Tab and Enter, focus on each new heading', async () => {
    const flow = await Flow.mount({ attributes: { 'handoff-url': HANDOFF_URL } });
    await flow.toCredentials();
    await tabTo('button', OFFER);
    await sendKeys({ press: 'Enter' });
    await flow.waitForStep('handoff');
    await expectFocusOnHeading('Send this step to a colleague');
    await tabTo('button', "I've sent it");
    await sendKeys({ press: 'Enter' });
    await flow.waitForStep('handoff-waiting');
    await expectFocusOnHeading('Waiting for your colleague…');
    await tabTo('button', 'Cancel and withdraw the link');
    await sendKeys({ press: 'Enter' });
    await flow.waitForStep('credentials');
    await expectFocusOnHeading('Your Chargify credentials');
  });
});

describe('hand-off: the colleague', () => {
  it('sees who asked, the permissions, the credentials, then success; the requester is told', async function () {
    this.timeout(15000);
    const requester = await offered();
    const token = backend.lastHandoff!.token;
    await requester.click("I've sent it");
    await requester.waitForStep('handoff-waiting');

    const flow = await colleague(token);
    expect(flow.step).to.equal('handoff-welcome');
    expect(flow.text).to.include('Northwind Capital and Acme Inc asked you to connect their Chargify account');
    expect(backend.requests.filter((r) => r.headers.authorization === `Bearer ${token}`).map((r) => `${r.method} ${r.path}`)).to.deep.equal([
      'GET /handoff',
    ]);
    await flow.click('Next');
    await flow.waitForStep('permissions');
    await flow.click('Next');
    await flow.waitForStep('credentials');
    expect(await flow.has('button', OFFER), 'no hand-off from a hand-off').to.equal(false);
    await flow.submitCredentials('acme', DEMO_KEYS.acmeAdmin);
    await flow.waitForStep('success');
    expect(flow.eventsOf<ConduitConnectionEvent>('conduit-connection')[0]!.reason).to.equal('handoff');
    expect(backend.lastHandoff!.used).to.equal(true);
    await requester.waitForStep('success', 10000);
  });

  for (const [how, spoil] of [
    ['used', (h: { used: boolean }) => void (h.used = true)],
    ['expired', (h: { expiresAt: string }) => void (h.expiresAt = new Date(Date.now() - 1000).toISOString())],
    ['withdrawn', (h: { revoked: boolean }) => void (h.revoked = true)],
  ] as const) {
    it(`a ${how} link says so and offers nothing else`, async () => {
      await offered();
      const handoff = backend.lastHandoff!;
      spoil(handoff as never);
      const flow = await colleague(handoff.token);
      expect(flow.step).to.equal('handoff-invalid');
      expect(flow.text).to.include('This link has been used, has expired or was withdrawn. Ask for a new one.');
      expect(await flow.all('button')).to.have.length(0);
    });
  }

  it('keyboard only: welcome → permissions with Enter, focus on each heading', async () => {
    await offered();
    const flow = await colleague(backend.lastHandoff!.token);
    await tabTo('button', 'Next');
    await sendKeys({ press: 'Enter' });
    await flow.waitForStep('permissions');
    await expectFocusOnHeading('Connect to Chargify');
  });
});
