import { aTimeout, expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { Scenario } from '../../../mocks/backend.js';
import type { ConduitCloseEvent, ConduitRequestCloseEvent } from '../../../src/index.js';
import { allByRole, nameOf, textOf } from '../../a11y.js';
import { deepInputs, expectFocusOn, expectFocusOnHeading, tabTo } from '../../flow-helpers.js';
import { backend, Flow } from '../../harness.js';

const CONFIRM_TITLE = 'Leave without connecting?';

interface Host {
  flow: Flow;
  /** The partner's "Connect your billing system" button that calls open(). */
  opener: HTMLButtonElement;
}

async function mountModal(scenario: Scenario = 'demo'): Promise<Host> {
  const opener = await fixture<HTMLButtonElement>(html`<button type="button">Connect your billing system</button>`);
  const flow = await Flow.mount({ scenario, attributes: { mode: 'modal' }, noWait: true });
  opener.addEventListener('click', () => flow.element.open());
  return { flow, opener };
}

/**
 * The user presses Enter on the host's button. A real key press (not a
 * synthetic click) gives the page the user activation Chromium requires
 * before it lets a dialog keep itself open on Escape.
 */
async function openFromButton({ flow, opener }: Host): Promise<void> {
  opener.focus();
  await sendKeys({ press: 'Enter' });
  await flow.waitForStep((step) => step !== 'loading');
}

/** The dialog the user sees, if any. */
async function shownDialog(flow: Flow): Promise<HTMLDialogElement | null> {
  const dialogs = await allByRole<HTMLDialogElement>(flow.element, 'dialog');
  expect(dialogs.length, 'more than one dialog shown').to.be.at.most(1);
  return dialogs[0] ?? null;
}

async function expectModalOpen(flow: Flow): Promise<HTMLDialogElement> {
  const dialog = await shownDialog(flow);
  expect(dialog, 'no dialog is shown').to.not.equal(null);
  expect(dialog!.matches(':modal'), 'the dialog is not modal').to.equal(true);
  return dialog!;
}

async function expectClosed(flow: Flow): Promise<void> {
  await waitUntil(async () => await shownDialog(flow) === null, 'the dialog is still shown', { timeout: 2000 });
  await flow.settle();
}

async function waitForClose(flow: Flow): Promise<ConduitCloseEvent> {
  await waitUntil(() => flow.eventsOf('conduit-close').length > 0, 'no conduit-close', { timeout: 2000 });
  await flow.settle();
  return flow.eventsOf<ConduitCloseEvent>('conduit-close')[0]!;
}

function closeEvents(flow: Flow): string[] {
  return flow.events
    .filter((event) => event.type === 'conduit-request-close' || event.type === 'conduit-close')
    .map((event) =>
      event.type === 'conduit-close'
        ? `close:${(event as ConduitCloseEvent).step}`
        : `request-close:${(event as ConduitRequestCloseEvent).source}`,
    );
}

/** Types into a field with real key presses. */
async function typeWithKeys(flow: Flow, label: string, text: string): Promise<void> {
  (await flow.field(label)).focus();
  await sendKeys({ type: text });
  await flow.settle();
}

/** An <input> whose <label> reads "API key", shown or not (so not from the accessibility tree, which leaves hidden ones out). */
function labelledApiKey(input: HTMLInputElement): boolean {
  return Array.from(input.labels ?? [], textOf).includes('API key');
}

function apiKeyFieldsInDom(flow: Flow): HTMLInputElement[] {
  return deepInputs(flow.element).filter((input) => input.type === 'password' || labelledApiKey(input));
}

describe('<conduit-link mode="modal">', () => {
  it('requests nothing until open(), then shows a named modal dialog, loads, and focuses the step heading', async () => {
    const host = await mountModal();
    const { flow } = host;
    await aTimeout(300);
    await flow.settle();
    expect(backend.requests, 'requests made before open()').to.deep.equal([]);
    expect(await shownDialog(flow), 'a dialog is shown before open()').to.equal(null);
    expect(flow.eventsOf('conduit-ready')).to.have.length(0);

    host.opener.focus();
    await sendKeys({ press: 'Enter' });
    await flow.element.updateComplete;
    const dialog = await expectModalOpen(flow);
    expect(await nameOf(dialog), 'the dialog has no accessible name').to.not.equal('');

    await flow.waitForStep('picker');
    expect(backend.requestsTo('/integrations', 'GET')).to.have.length(1);
    expect(backend.requestsTo('/connections', 'GET')).to.have.length(1);
    expect(flow.eventsOf('conduit-ready')).to.have.length(1);
    expect(await flow.heading()).to.equal('Choose your billing platform');
    await expectFocusOnHeading('Choose your billing platform');
    await expectModalOpen(flow);
  });

  it('removed in the same task as open(): the page still scrolls and nothing throws', async () => {
    const { flow } = await mountModal();
    const errors: string[] = [];
    const record = (event: PromiseRejectionEvent) => {
      event.preventDefault();
      errors.push(String(event.reason));
    };
    window.addEventListener('unhandledrejection', record);
    try {
      flow.element.open();
      flow.element.remove();
      await aTimeout(100);
      expect(getComputedStyle(document.documentElement).overflowY, 'the page behind is not locked').to.not.equal('hidden');
      expect(errors).to.deep.equal([]);
    } finally {
      window.removeEventListener('unhandledrejection', record);
    }
  });

  it('removed while open: the visit ends (conduit-close, focus back), and put back it opens again on request', async () => {
    const host = await mountModal();
    const { flow, opener } = host;
    await openFromButton(host);
    await flow.choose('Chargify');
    await flow.click('Next');
    await flow.waitForStep('permissions');
    // Off the page, the element's own listeners are the ones that can still hear it.
    const closes: string[] = [];
    flow.element.addEventListener('conduit-close', (event) => closes.push((event as ConduitCloseEvent).step));
    const parent = flow.element.parentNode!;
    flow.element.remove();
    expect(closes).to.deep.equal(['permissions']);
    expect(document.activeElement === opener, 'focus is back on the opener').to.equal(true);
    expect(getComputedStyle(document.documentElement).overflowY, 'the page behind is not locked').to.not.equal('hidden');

    parent.appendChild(flow.element);
    await aTimeout(100);
    await flow.settle();
    expect(await shownDialog(flow), 'a dialog shows before open()').to.equal(null);
    await openFromButton(host);
    await expectModalOpen(flow);
    expect(flow.step).to.equal('picker');
    expect(closes, 'one close for the one visit').to.deep.equal(['permissions']);
  });

  it('closes at once from the picker with the Close button, and focus returns to the opener', async () => {
    const host = await mountModal();
    const { flow } = host;
    await openFromButton(host);
    expect(flow.step).to.equal('picker');

    await flow.click('Close');
    const close = await waitForClose(flow);
    expect(closeEvents(flow)).to.deep.equal(['request-close:close-button', 'close:picker']);
    expect(close.step).to.equal('picker');
    expect(flow.text).to.not.include(CONFIRM_TITLE);
    await expectClosed(flow);
    await expectFocusOn(host.opener);
  });

  it('closes at once from the picker with Escape', async () => {
    const host = await mountModal();
    const { flow } = host;
    await openFromButton(host);

    await sendKeys({ press: 'Escape' });
    await waitForClose(flow);
    expect(closeEvents(flow)).to.deep.equal(['request-close:escape', 'close:picker']);
    await expectClosed(flow);
    await expectFocusOn(host.opener);
  });

  it('asks for confirmation on Escape mid-flow (permissions); Leave closes with the step', async () => {
    const host = await mountModal();
    const { flow } = host;
    await openFromButton(host);
    await flow.choose('Chargify');
    await flow.click('Next');
    await flow.waitForStep('permissions');

    await sendKeys({ press: 'Escape' });
    await flow.settle();
    expect(closeEvents(flow)).to.deep.equal(['request-close:escape']);
    await expectModalOpen(flow);
    expect(await flow.heading()).to.equal(CONFIRM_TITLE);
    expect(await flow.has('button', 'Keep connecting')).to.equal(true);
    expect(await flow.has('button', 'Leave')).to.equal(true);
    await expectFocusOnHeading(CONFIRM_TITLE);

    await flow.click('Leave');
    const close = await waitForClose(flow);
    expect(close.step).to.equal('permissions');
    expect(closeEvents(flow)).to.deep.equal(['request-close:escape', 'close:permissions']);
    await expectClosed(flow);
    await expectFocusOn(host.opener);
  });

  it('on Escape mid-flow (credentials), Keep connecting returns to the step with what the user typed', async () => {
    const host = await mountModal();
    const { flow } = host;
    await openFromButton(host);
    await flow.toCredentials();
    await typeWithKeys(flow, 'Site subdomain', 'acme');

    await sendKeys({ press: 'Escape' });
    await flow.settle();
    expect(closeEvents(flow)).to.deep.equal(['request-close:escape']);
    expect(await flow.heading()).to.equal(CONFIRM_TITLE);
    expect(await allByRole(flow.element, 'heading', 'Your Chargify credentials'), 'the step is still shown').to.have.length(0);

    await flow.click('Keep connecting');
    await expectModalOpen(flow);
    expect(flow.text).to.not.include(CONFIRM_TITLE);
    expect(await flow.heading()).to.equal('Your Chargify credentials');
    expect((await flow.field('Site subdomain')).value).to.equal('acme');
    await expectFocusOnHeading('Your Chargify credentials');
    expect(flow.eventsOf('conduit-close')).to.have.length(0);
    expect(flow.step).to.equal('credentials');
  });

  it('asks on every Escape mid-flow, however many in a row, and Escape on the question answers Keep connecting', async () => {
    const host = await mountModal();
    const { flow } = host;
    await openFromButton(host);
    await flow.toCredentials();
    await typeWithKeys(flow, 'Site subdomain', 'acme');

    // Keep connecting by keyboard, three times: Chromium's close watcher gives up on `cancel` by the third.
    for (let round = 1; round <= 3; round++) {
      await sendKeys({ press: 'Escape' });
      await flow.settle();
      expect(await flow.heading(), `Escape number ${round} did not ask`).to.equal(CONFIRM_TITLE);
      await expectFocusOnHeading(CONFIRM_TITLE);
      await tabTo('button', 'Keep connecting');
      await sendKeys({ press: 'Enter' });
      await flow.settle();
      await expectFocusOnHeading('Your Chargify credentials');
    }
    // Escape, Escape, Escape…: each Escape on the question answers it, and the next asks again.
    for (let round = 1; round <= 3; round++) {
      await sendKeys({ press: 'Escape' });
      await flow.settle();
      expect(await flow.heading(), `Escape ${round} after the keyboard rounds did not ask`).to.equal(CONFIRM_TITLE);
      await sendKeys({ press: 'Escape' });
      await flow.settle();
      expect(await flow.heading(), 'Escape on the question did not go back to the step').to.equal('Your Chargify credentials');
      await expectFocusOnHeading('Your Chargify credentials');
    }
    await expectModalOpen(flow);
    expect((await flow.field('Site subdomain')).value).to.equal('acme');
    expect(flow.eventsOf('conduit-close'), 'the flow closed without the user choosing Leave').to.have.length(0);
    expect(closeEvents(flow), 'one close request per question asked').to.deep.equal(Array(6).fill('request-close:escape'));
  });

  it('the header’s Close while the question shows answers it as Keep connecting', async () => {
    const host = await mountModal();
    const { flow } = host;
    await openFromButton(host);
    await flow.toCredentials();
    await typeWithKeys(flow, 'Site subdomain', 'acme');
    await sendKeys({ press: 'Escape' });
    await flow.settle();
    expect(await flow.heading()).to.equal(CONFIRM_TITLE);

    await tabTo('button', 'Close');
    await sendKeys({ press: 'Enter' });
    await flow.settle();
    expect(await flow.heading()).to.equal('Your Chargify credentials');
    await expectFocusOnHeading('Your Chargify credentials');
    expect((await flow.field('Site subdomain')).value).to.equal('acme');
    await expectModalOpen(flow);
    expect(closeEvents(flow)).to.deep.equal(['request-close:escape']);
  });

  it('Leave from the credentials step closes, removes the API key field, and re-opening starts afresh', async () => {
    const host = await mountModal();
    const { flow } = host;
    await openFromButton(host);
    await flow.toCredentials();
    await typeWithKeys(flow, 'Site subdomain', 'acme');
    await typeWithKeys(flow, 'API key', 'chg_typed_then_left');

    await sendKeys({ press: 'Escape' });
    await flow.settle();
    expect(await flow.heading()).to.equal(CONFIRM_TITLE);
    await flow.click('Leave');
    const close = await waitForClose(flow);
    expect(close.step).to.equal('credentials');
    expect(closeEvents(flow)).to.deep.equal(['request-close:escape', 'close:credentials']);
    await expectClosed(flow);
    await expectFocusOn(host.opener);
    expect(apiKeyFieldsInDom(flow), 'an API key field is still in the DOM').to.have.length(0);
    expect(deepInputs(flow.element).map((input) => input.value)).to.not.include('chg_typed_then_left');

    const before = flow.events.length;
    await openFromButton(host);
    await expectModalOpen(flow);
    expect(flow.step).to.equal('picker');
    expect(await flow.heading()).to.equal('Choose your billing platform');
    expect(flow.text).to.not.include(CONFIRM_TITLE);
    const steps = flow.events.slice(before).filter((event) => event.type === 'conduit-step-change');
    expect(steps.map((event) => (event as unknown as { step: string }).step)).to.deep.equal(['loading', 'picker']);
    await expectFocusOnHeading('Choose your billing platform');

    await flow.toCredentials();
    expect((await flow.field('Site subdomain')).value, 'the subdomain survived a close').to.equal('');
    expect((await flow.field('API key')).value, 'the key survived a close').to.equal('');
  });

  it('Leave while the key is being checked ends the attempt: nothing more reaches the host after conduit-close', async () => {
    const host = await mountModal();
    const { flow } = host;
    await openFromButton(host);
    await flow.toCredentials();
    // Every answer from here on takes 1.5 s, so the user can leave mid-request.
    backend.scenario = 'slow';
    await typeWithKeys(flow, 'Site subdomain', 'acme');
    await typeWithKeys(flow, 'API key', 'chg_demo_acme_admin');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => flow.text.includes('Connecting…'), 'the check never started');

    await sendKeys({ press: 'Escape' });
    await flow.settle();
    expect(await flow.heading()).to.equal(CONFIRM_TITLE);
    expect(flow.text).to.include("Your account isn't connected yet");
    await flow.click('Leave');
    await waitForClose(flow);
    const closedAt = flow.events.length;

    // Long enough for the pending requests to have answered.
    await aTimeout(3500);
    const after = flow.events.slice(closedAt).map((event) => event.type);
    expect(after, 'the flow carried on after the user left').to.deep.equal([]);
    await expectClosed(flow);
  });

  it('stays open, with no confirmation, when the host cancels conduit-request-close', async () => {
    const host = await mountModal();
    const { flow } = host;
    const requests: ConduitRequestCloseEvent[] = [];
    flow.element.addEventListener('conduit-request-close', (event) => {
      requests.push(event);
      event.preventDefault();
    });
    await openFromButton(host);

    await flow.click('Close');
    await aTimeout(100);
    await flow.settle();
    expect(requests.map((event) => event.source)).to.deep.equal(['close-button']);
    expect(requests[0]!.defaultPrevented).to.equal(true);
    await expectModalOpen(flow);
    expect(await flow.heading()).to.equal('Choose your billing platform');
    expect(flow.text).to.not.include(CONFIRM_TITLE);

    await flow.toCredentials();
    await typeWithKeys(flow, 'Site subdomain', 'acme');
    await sendKeys({ press: 'Escape' });
    await aTimeout(100);
    await flow.settle();
    expect(requests.map((event) => event.source)).to.deep.equal(['close-button', 'escape']);
    await expectModalOpen(flow);
    expect(flow.text).to.not.include(CONFIRM_TITLE);
    expect(await flow.heading()).to.equal('Your Chargify credentials');
    expect((await flow.field('Site subdomain')).value).to.equal('acme');
    expect(flow.eventsOf('conduit-close')).to.have.length(0);
  });

  it('Finish on success fires conduit-finish then conduit-close, closes, and re-opening shows the connection', async () => {
    const host = await mountModal();
    const { flow } = host;
    await openFromButton(host);
    await flow.toCredentials();
    await flow.submitCredentials('acme', 'chg_demo_acme_admin');
    await flow.waitForStep('success');
    expect(await flow.heading()).to.equal('Chargify connected');

    await flow.click('Finish');
    const close = await waitForClose(flow);
    const tail = flow.events.map((event) => event.type).slice(-2);
    expect(tail).to.deep.equal(['conduit-finish', 'conduit-close']);
    expect(close.step).to.equal('success');
    expect(flow.eventsOf('conduit-request-close'), 'Finish is not a close request').to.have.length(0);
    await expectClosed(flow);
    await expectFocusOn(host.opener);
    expect(apiKeyFieldsInDom(flow), 'an API key field is still in the DOM').to.have.length(0);

    await openFromButton(host);
    await flow.waitForStep('connected');
    await expectModalOpen(flow);
    expect(await flow.heading()).to.equal('Chargify is already connected');
    expect(flow.text).to.include('Acme Inc');
    await expectFocusOnHeading('Chargify is already connected');
    expect(deepInputs(flow.element).some(labelledApiKey)).to.equal(false);
    expect(await flow.hasField('API key')).to.equal(false);
  });
});
