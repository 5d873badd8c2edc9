import { expect, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { ConduitConnectionEvent, ConduitDisconnectEvent, ConduitStepChangeEvent } from '../../../src/index.js';
import { DEMO_KEYS } from '../../../mocks/chargify.js';
import { expectFocusOnHeading, tabTo } from '../../flow-helpers.js';
import { backend, Flow } from '../../harness.js';

async function waitForText(flow: Flow, text: string, timeout = 5000): Promise<void> {
  await waitUntil(() => flow.text.includes(text), `"${text}" never appeared in: ${flow.text}`, { timeout });
  await flow.settle();
}

async function keyboardClick(role: string, name: string): Promise<void> {
  await tabTo(role, name);
  await sendKeys({ press: 'Enter' });
}

describe('a linked connection: check, replace, disconnect', () => {
  it('verifies a linked connection on opening and shows the site, region, status and when it was last checked', async () => {
    const flow = await Flow.mount({ scenario: 'connected' });
    expect(flow.step).to.equal('connected');
    expect(backend.requestsTo('/verify', 'POST')).to.have.length(1);
    expect(await flow.heading()).to.equal('Chargify is already connected');
    for (const text of ['Acme Inc', 'acme.chargify.com', 'United States', 'Connected', 'Last checked']) expect(flow.text).to.include(text);
    const year = String(new Date().getFullYear());
    expect(flow.text).to.include(year);
    expect(await flow.has('button', 'Replace API key')).to.equal(true);
    expect(await flow.has('button', 'Disconnect Chargify')).to.equal(true);
  });

  it('formats "last checked" in the flow\'s language', async () => {
    const flow = await Flow.mount({ scenario: 'connected', attributes: { locale: 'de' } });
    await waitForText(flow, 'Zuletzt geprüft');
    const checked = backend.connections.values().next().value!.lastVerifiedAt!;
    const expected = new Intl.DateTimeFormat('de', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(checked));
    expect(flow.text).to.include(expected);
  });

  it('shows the connected screen with the last known status when verify fails for now', async () => {
    const flow = await Flow.mount({ scenario: 'verify-unavailable' });
    expect(flow.step).to.equal('connected');
    expect(flow.text).to.include('Acme Inc');
    expect(flow.text).to.include('Not checked yet');
    expect(flow.eventsOf('conduit-error')).to.be.empty;
  });

  it('replaces the key with another key of the same site: same connection id, reason key-replaced', async () => {
    const flow = await Flow.mount({ scenario: 'connected' });
    const id = [...backend.connections.keys()][0]!;
    await flow.click('Replace API key');
    await flow.waitForStep('credentials');
    const subdomain = await flow.field('Site subdomain');
    expect(subdomain.value).to.equal('acme');
    expect(subdomain.readOnly, 'the site is fixed').to.equal(true);
    await flow.fill('API key', DEMO_KEYS.acmeRotated);
    await flow.click('Continue');
    await flow.waitForStep('success');
    const [event] = flow.eventsOf<ConduitConnectionEvent>('conduit-connection');
    expect(event!.connectionId).to.equal(id);
    expect(event!.reason).to.equal('key-replaced');
    expect(backend.requestsTo('/connections', 'POST'), 'no new connection').to.be.empty;
    expect(backend.requestsTo(`/connections/${id}/authorization`, 'PUT')).to.have.length(1);
    expect(JSON.stringify(flow.events.map((e) => ({ ...e })))).to.not.include(DEMO_KEYS.acmeRotated);
  });

  it("refuses another site's key when replacing (site_mismatch) and says so", async () => {
    const flow = await Flow.mount({ scenario: 'connected' });
    await flow.click('Replace API key');
    await flow.waitForStep('credentials');
    await flow.fill('API key', DEMO_KEYS.euroShopAdmin);
    await flow.click('Continue');
    await flow.idle();
    expect(flow.step).to.equal('credentials');
    expect(flow.eventsOf<{ code: string } & Event>('conduit-error').map((e) => e.code)).to.deep.equal(['site_mismatch']);
    expect(flow.eventsOf('conduit-connection')).to.be.empty;
    expect((await flow.field('API key')).value, 'the refused key is cleared').to.equal('');
  });

  it('Back from replacing goes back to the connected screen', async () => {
    const flow = await Flow.mount({ scenario: 'connected' });
    await flow.click('Replace API key');
    await flow.waitForStep('credentials');
    await flow.click('Back');
    await flow.waitForStep('connected');
  });

  it('a key Chargify no longer accepts: the deauthorized screen with the reason, then a new key', async () => {
    const flow = await Flow.mount({ scenario: 'deauthorized' });
    expect(flow.step).to.equal('deauthorized');
    expect(await flow.heading()).to.equal('Chargify no longer accepts the key');
    expect(flow.text).to.include('The key was deleted or replaced in Chargify.');
    expect(flow.text).to.not.include('nothing more to do');
    const id = [...backend.connections.keys()][0]!;
    await flow.click('Enter a new key');
    await flow.waitForStep('credentials');
    expect((await flow.field('Site subdomain')).value).to.equal('acme');
    await flow.fill('API key', DEMO_KEYS.acmeRotated);
    await flow.click('Continue');
    await flow.waitForStep('success');
    const [event] = flow.eventsOf<ConduitConnectionEvent>('conduit-connection');
    expect([event!.connectionId, event!.reason]).to.deep.equal([id, 'key-replaced']);
    expect(backend.connections.get(id)!.status).to.equal('Linked');
  });

  it('disconnects after a confirmation that names the site: PATCH Unlinked, conduit-disconnect, then the picker', async () => {
    const flow = await Flow.mount({ scenario: 'connected' });
    const id = [...backend.connections.keys()][0]!;
    await flow.click('Disconnect Chargify');
    await flow.waitForStep('disconnect');
    expect(await flow.heading()).to.equal('Disconnect Acme Inc?');
    expect(flow.text).to.include('Northwind Capital will stop reading data from Acme Inc');
    expect(backend.requestsTo(`/connections/${id}`, 'PATCH'), 'nothing before the confirmation').to.be.empty;
    await flow.click('Disconnect');
    await flow.waitForStep('picker');
    const patches = backend.requestsTo(`/connections/${id}`, 'PATCH');
    expect(patches.map((request) => request.body)).to.deep.equal([{ status: 'Unlinked' }]);
    expect(flow.eventsOf<ConduitDisconnectEvent>('conduit-disconnect').map((e) => e.connectionId)).to.deep.equal([id]);
    expect(backend.connections.get(id)!.status).to.equal('Unlinked');
  });

  it('Back from the disconnect confirmation changes nothing', async () => {
    const flow = await Flow.mount({ scenario: 'connected' });
    await flow.click('Disconnect Chargify');
    await flow.waitForStep('disconnect');
    await flow.click('Back');
    await flow.waitForStep('connected');
    expect(backend.requests.filter((request) => request.method === 'PATCH')).to.be.empty;
    expect(flow.eventsOf('conduit-disconnect')).to.be.empty;
  });

  it('resumes a pending connection instead of creating a second one', async () => {
    const flow = await Flow.mount({ scenario: 'pending' });
    const [pending] = [...backend.connections.keys()];
    await flow.toCredentials();
    await flow.submitCredentials('acme', DEMO_KEYS.acmeAdmin);
    await flow.waitForStep('success');
    expect(backend.requestsTo('/connections', 'POST'), 'no POST creating one').to.be.empty;
    expect(backend.connections.size).to.equal(1);
    expect(flow.eventsOf<ConduitConnectionEvent>('conduit-connection')[0]!.connectionId).to.equal(pending);
  });

  it('the step changes name the new steps', async () => {
    const flow = await Flow.mount({ scenario: 'deauthorized' });
    await flow.click('Disconnect Chargify');
    await flow.waitForStep('disconnect');
    expect(flow.eventsOf<ConduitStepChangeEvent>('conduit-step-change').map((e) => e.step)).to.deep.equal(['deauthorized', 'disconnect']);
  });
});

describe('a linked connection, keyboard only', () => {
  it('replaces the key with Tab and Enter, focus on each new heading', async () => {
    const flow = await Flow.mount({ scenario: 'connected' });
    await keyboardClick('button', 'Replace API key');
    await flow.waitForStep('credentials');
    await expectFocusOnHeading('Your Chargify credentials');
    await tabTo('textbox', 'API key');
    await sendKeys({ type: DEMO_KEYS.acmeRotated });
    await sendKeys({ press: 'Enter' });
    await flow.waitForStep('success');
    await expectFocusOnHeading('Chargify connected');
    expect(flow.eventsOf<ConduitConnectionEvent>('conduit-connection')[0]!.reason).to.equal('key-replaced');
  });

  it('disconnects with Tab and Enter, focus on each new heading', async () => {
    const flow = await Flow.mount({ scenario: 'connected' });
    await keyboardClick('button', 'Disconnect Chargify');
    await flow.waitForStep('disconnect');
    await expectFocusOnHeading('Disconnect Acme Inc?');
    await keyboardClick('button', 'Disconnect');
    await flow.waitForStep('picker');
    expect(flow.eventsOf('conduit-disconnect')).to.have.length(1);
  });
});
