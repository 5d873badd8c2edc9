import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { ConduitFinishEvent } from '../../../src/index.js';
import { allByRole, focusedElement, nameOf } from '../../a11y.js';
import { expectFocusOn, expectFocusOnHeading, expectPoliteAnnouncement, languageOf, politeAnnouncements, tabTo } from '../../flow-helpers.js';
import { expectAccessible, VARIANTS } from '../../axe-variants.js';
import { backend, Flow } from '../../harness.js';

async function waitForText(flow: Flow, text: string, timeout = 5000): Promise<void> {
  await waitUntil(() => flow.text.includes(text), `"${text}" never appeared in: ${flow.text}`, { timeout });
  await flow.settle();
}

/**
 * After a user-driven transition: focus on the new heading, which a screen reader
 * reads; the live region adds only the step's place, so the heading is heard once.
 */
async function expectArrivedAt(flow: Flow, heading: string, position?: [number, number]): Promise<void> {
  expect(await flow.heading()).to.equal(heading);
  await expectFocusOnHeading(heading);
  if (position) await expectPoliteAnnouncement(flow.element, `Step ${position[0]} of ${position[1]}`);
  expect((await politeAnnouncements(flow.element)).join(' '), 'the heading said a second time').to.not.include(heading);
}

/** The element focus is on, through shadow roots; 'body' when focus left the flow for nowhere. */
function deepFocus(): string {
  const active = focusedElement();
  return !active || active === document.body ? 'body' : `${active.localName}.${active.className}`;
}

for (const variant of VARIANTS) {
  describe(`<conduit-link> accessibility: axe in every state, ${variant.name}`, () => {
    it('loading', async () => {
      const flow = await Flow.mount({ scenario: 'slow', noWait: true });
      await flow.settle();
      expect(flow.text).to.include('Loading…');
      await expectAccessible(flow, variant);
    });

    it('picker', async () => {
      const flow = await Flow.mount();
      expect(flow.step).to.equal('picker');
      await expectAccessible(flow, variant);
    });

    it('picker with Chargify chosen', async () => {
      const flow = await Flow.mount();
      await flow.choose('Chargify');
      await expectAccessible(flow, variant);
    });

    it('empty catalogue', async () => {
      const flow = await Flow.mount({ scenario: 'empty' });
      expect(flow.text).to.include('No platforms are available to connect right now.');
      await expectAccessible(flow, variant);
    });

    it('permissions', async () => {
      const flow = await Flow.mount();
      await flow.choose('Chargify');
      await flow.click('Next');
      await flow.waitForStep('permissions');
      await expectAccessible(flow, variant);
    });

    it('credentials, idle', async () => {
      const flow = await Flow.mount();
      await flow.toCredentials();
      await expectAccessible(flow, variant);
    });

    it('credentials, with the help opened and the key revealed', async () => {
      const flow = await Flow.mount();
      await flow.toCredentials();
      (await allByRole<HTMLElement>(flow.element, 'button', 'Where do I find my API key?'))[0]!.click();
      await flow.fill('API key', 'chg_something');
      await flow.click('Show key');
      await flow.settle();
      expect(flow.text).to.include('Config → Integrations → API Keys');
      await expectAccessible(flow, variant);
    });

    it('credentials, with inline validation errors', async () => {
      const flow = await Flow.mount();
      await flow.toCredentials();
      await flow.click('Continue');
      expect(flow.text).to.include('Enter your Chargify subdomain.');
      expect(flow.text).to.include('Enter your API key.');
      await expectAccessible(flow, variant);

      await flow.fill('Site subdomain', 'not a subdomain!');
      await flow.fill('API key', 'chg_something');
      await flow.click('Continue');
      expect(flow.text).to.include('Use only letters, numbers and dashes');
      await expectAccessible(flow, variant);
    });

    it('credentials, busy', async () => {
      const flow = await Flow.mount({ scenario: 'hang' });
      await flow.toCredentials();
      await flow.submitCredentials('acme', 'chg_demo_acme_admin');
      await waitForText(flow, 'Connecting…');
      await expectAccessible(flow, variant);
    });

    for (const [scenario, message] of [
      ['error:account_blocked', 'Chargify has blocked access to this account'],
      ['error:access_refused', 'Chargify refused access to this site'],
      ['error:invalid_credentials', "Chargify didn't accept this API key"],
      ['error:site_not_found', "We couldn't reach a Chargify site at this address"],
      ['error:upstream_unavailable', "Chargify isn't responding right now"],
    ] as const) {
      it(`credentials, with a backend error (${scenario})`, async () => {
        const flow = await Flow.mount({ scenario });
        await flow.toCredentials();
        await flow.submitCredentials('acme', 'chg_demo_acme_admin');
        await flow.idle();
        await waitForText(flow, message);
        await expectAccessible(flow, variant);
      });
    }

    it('credentials, with the region hint', async () => {
      const flow = await Flow.mount();
      await flow.toCredentials();
      await flow.submitCredentials('euro-shop', 'chg_demo_euro_admin');
      await flow.idle();
      await waitForText(flow, 'Switch to the Europe region');
      await expectAccessible(flow, variant);
    });

    it('success', async () => {
      const flow = await Flow.mount();
      await flow.toCredentials();
      await flow.submitCredentials('acme', 'chg_demo_acme_admin');
      await flow.waitForStep('success');
      await expectAccessible(flow, variant);
    });

    it('connected', async () => {
      const flow = await Flow.mount({ scenario: 'connected' });
      expect(flow.step).to.equal('connected');
      expect(await flow.heading()).to.equal('Chargify is already connected');
      await expectAccessible(flow, variant);
    });

    it('fatal error: backend unreachable', async () => {
      const flow = await Flow.mount({ scenario: 'unreachable' });
      expect(flow.step).to.equal('error');
      expect(await flow.heading()).to.equal('Something went wrong');
      await expectAccessible(flow, variant);
    });

    it('fatal error: session expired', async () => {
      const flow = await Flow.mount({ attributes: { 'session-token': 'expired-x' } });
      expect(flow.step).to.equal('error');
      expect(await flow.heading()).to.equal('Your session has expired');
      await expectAccessible(flow, variant);
    });

    it('modal, open', async () => {
      const flow = await Flow.mount({ attributes: { mode: 'modal' }, noWait: true });
      await flow.open('picker');
      expect(await allByRole(flow.element, 'dialog')).to.have.length(1);
      await expectAccessible(flow, variant);
    });

    it('modal, asking to confirm leaving', async () => {
      const flow = await Flow.mount({ attributes: { mode: 'modal' }, noWait: true });
      await flow.open('picker');
      await flow.toCredentials();
      await flow.click('Close');
      expect(await flow.heading()).to.equal('Leave without connecting?');
      await expectAccessible(flow, variant);
    });
  });
}

describe('<conduit-link> accessibility: language', () => {
  it('has no axe violations in German', async () => {
    const flow = await Flow.mount({ attributes: { locale: 'de' } });
    await flow.waitForHeading('Wählen Sie Ihre Abrechnungsplattform');
    await expect(flow.element).to.be.accessible();
  });

  it('marks its text with the language it renders in, on a page in another language', async () => {
    const pageLanguage = document.documentElement.lang;
    document.documentElement.lang = 'en';
    try {
      const flow = await Flow.mount({ attributes: { locale: 'de' } });
      await flow.waitForHeading('Wählen Sie Ihre Abrechnungsplattform');
      const heading = (await allByRole(flow.element, 'heading', 'Wählen Sie Ihre Abrechnungsplattform'))[0]!;
      expect(languageOf(heading), 'the German heading is marked as English').to.match(/^de\b/);
    } finally {
      document.documentElement.lang = pageLanguage;
    }
  });
});

describe('<conduit-link> accessibility: focus and announcements', () => {
  it('does not take focus on page load, but announces the first step', async () => {
    const flow = await Flow.mount();
    expect(await flow.heading()).to.equal('Choose your billing platform');
    await expectPoliteAnnouncement(flow.element, 'Step 1 of 4: Choose your billing platform');
    const active = focusedElement();
    expect(active === null || active === document.body, `focus was taken to ${active?.localName}`).to.equal(true);
  });

  it('moves focus to the new heading and announces each step, forwards and back', async () => {
    const flow = await Flow.mount();
    await flow.choose('Chargify');
    await flow.click('Next');
    await flow.waitForStep('permissions');
    await expectArrivedAt(flow, 'Connect to Chargify', [2, 4]);

    await flow.click('Next');
    await flow.waitForStep('credentials');
    await expectArrivedAt(flow, 'Your Chargify credentials', [3, 4]);

    await flow.click(/Back/);
    await flow.waitForStep('permissions');
    await expectArrivedAt(flow, 'Connect to Chargify', [2, 4]);

    await flow.click(/Back/);
    await flow.waitForStep('picker');
    await expectArrivedAt(flow, 'Choose your billing platform', [1, 4]);

    await flow.toCredentials();
    await expectArrivedAt(flow, 'Your Chargify credentials', [3, 4]);
    await flow.submitCredentials('acme', 'chg_demo_acme_admin');
    await flow.waitForStep('success');
    await expectArrivedAt(flow, 'Chargify connected', [4, 4]);
  });

  it('numbers the steps from the permissions when the integration is preselected', async () => {
    const flow = await Flow.mount({ attributes: { integration: 'chargify' } });
    expect(flow.step).to.equal('permissions');
    await expectPoliteAnnouncement(flow.element, 'Step 1 of 3: Connect to Chargify');
    await flow.click('Next');
    await flow.waitForStep('credentials');
    await expectArrivedAt(flow, 'Your Chargify credentials', [2, 3]);
  });

  it('moves focus to the heading when the user starts again after a fatal error', async () => {
    const flow = await Flow.mount({ scenario: 'unreachable' });
    expect(await flow.heading()).to.equal('Something went wrong');
    await flow.click('Try again');
    // Still unreachable: the user lands on the error again, told so, with focus on it.
    await flow.waitForStep((step) => step === 'loading');
    await flow.waitForStep('error');
    await expectArrivedAt(flow, 'Something went wrong');
  });

  /** Samples where focus is, every frame, until stopped: what a screen-reader user was on, moment by moment. */
  function watchFocus(): { stop(): string[] } {
    const seen = new Set<string>();
    let watching = true;
    const watch = () => {
      seen.add(deepFocus());
      if (watching) requestAnimationFrame(watch);
    };
    watch();
    return {
      stop: () => {
        watching = false;
        return [...seen];
      },
    };
  }

  it('keeps focus inside the flow while it reloads after Try again, then puts it on the new heading', async () => {
    const flow = await Flow.mount({ scenario: 'unreachable' });
    (await flow.button('Try again')).focus();
    const focus = watchFocus();
    await sendKeys({ press: 'Enter' });
    await flow.waitForStep((step) => step === 'loading');
    await flow.settle();
    expect(deepFocus(), 'while it loads').to.match(/^div\..*loading/);
    await flow.waitForStep('error');
    expect(focus.stop(), 'focus went to the page').to.not.include('body');
    await expectArrivedAt(flow, 'Something went wrong');
  });

  it('keeps focus inside the flow while it starts again with a fresh token, then puts it on the picker heading', async () => {
    const flow = await Flow.mount({ attributes: { 'session-token': 'expired-x' } });
    const startAgain = await flow.button('Start again');
    flow.element.setAttribute('session-token', 'tok_valid');
    startAgain.focus();
    const focus = watchFocus();
    await sendKeys({ press: 'Enter' });
    await flow.waitForStep('picker');
    expect(focus.stop(), 'focus went to the page').to.not.include('body');
    await expectArrivedAt(flow, 'Choose your billing platform', [1, 4]);
  });

  it('moves focus to the picker heading when a retry after a fatal error succeeds', async () => {
    const flow = await Flow.mount({ attributes: { 'session-token': 'expired-x' } });
    expect(await flow.heading()).to.equal('Your session has expired');
    // The fresh token and the click in one task, as the user's click after the host's refresh.
    const startAgain = await flow.button('Start again');
    flow.element.setAttribute('session-token', 'tok_valid');
    startAgain.focus();
    startAgain.click();
    await flow.waitForStep('picker');
    await expectArrivedAt(flow, 'Choose your billing platform', [1, 4]);
  });

  it('moves focus to the connection when the backend says one was linked meanwhile (conflict)', async () => {
    const flow = await Flow.mount({ scenario: 'error:conflict' });
    await flow.toCredentials();
    // Someone else linked the account while this user was typing.
    backend.linkElsewhere({ subdomain: 'acme', region: 'US', siteId: 48213, siteName: 'Acme Inc', currency: 'USD', test: false });
    await flow.submitCredentials('acme', 'chg_demo_acme_admin');
    await flow.waitForStep('connected');
    await expectArrivedAt(flow, 'Chargify is already connected');
  });

  it('moves focus to the error when the session expires on Continue', async () => {
    const flow = await Flow.mount({ scenario: 'error:session_expired' });
    await flow.toCredentials();
    await flow.submitCredentials('acme', 'chg_demo_acme_admin');
    await flow.waitForStep('error');
    await expectArrivedAt(flow, 'Your session has expired');
  });

  it('focuses the field to fix when a validation or backend error appears', async () => {
    const flow = await Flow.mount();
    await flow.toCredentials();
    await flow.click('Continue');
    expect(focusedElement(), 'focus is not on the subdomain field').to.equal(await flow.field('Site subdomain'));
    expect((await flow.field('Site subdomain')).getAttribute('aria-invalid')).to.equal('true');

    await flow.fill('Site subdomain', 'acme');
    await flow.fill('API key', 'chg_wrong');
    await flow.click('Continue');
    await flow.idle();
    await waitForText(flow, "Chargify didn't accept this API key");
    await expectFocusOn(await flow.field('API key'));
  });
});

/** From the picker to "Chargify connected" with the keyboard alone. */
async function connectByKeyboard(flow: Flow): Promise<void> {
  const tile = (await tabTo('radio', 'Chargify')) as HTMLInputElement;
  await sendKeys({ press: 'Space' });
  await flow.settle();
  expect(tile.checked, 'Space did not choose Chargify').to.equal(true);
  await tabTo('button', 'Next');
  await sendKeys({ press: 'Enter' });
  await flow.waitForStep('permissions');
  await expectArrivedAt(flow, 'Connect to Chargify', [2, 4]);

  await tabTo('button', 'Next');
  await sendKeys({ press: 'Enter' });
  await flow.waitForStep('credentials');
  await expectArrivedAt(flow, 'Your Chargify credentials', [3, 4]);

  await tabTo('textbox', 'Site subdomain');
  await sendKeys({ type: 'acme' });
  const us = (await tabTo('radio', /United States/)) as HTMLInputElement;
  expect(us.checked).to.equal(true);
  await sendKeys({ press: 'ArrowRight' });
  await flow.settle();
  const eu = focusedElement() as HTMLInputElement;
  expect(await nameOf(eu), 'the arrow key did not move to Europe').to.match(/Europe/);
  expect(eu.checked).to.equal(true);
  expect(flow.text).to.include('.ebilling.maxio.com');
  await sendKeys({ press: 'ArrowLeft' });
  await flow.settle();
  expect(focusedElement()).to.equal(us);
  expect(us.checked).to.equal(true);

  await tabTo('textbox', 'API key');
  await sendKeys({ type: 'chg_demo_acme_admin' });
  await tabTo('button', 'Continue');
  await sendKeys({ press: 'Enter' });
  await flow.waitForStep('success');
  await expectArrivedAt(flow, 'Chargify connected', [4, 4]);
  expect(flow.text).to.include('Acme Inc');
}

describe('<conduit-link> accessibility: keyboard only', () => {
  it('completes the whole journey with Tab, arrow keys, Space, Enter and typing', async () => {
    const flow = await Flow.mount();
    await connectByKeyboard(flow);

    await tabTo('button', 'Finish');
    await sendKeys({ press: 'Enter' });
    await flow.settle();
    expect(flow.eventsOf<ConduitFinishEvent>('conduit-finish')).to.have.length(1);
    expect(await flow.heading()).to.equal('Chargify connected');
  });

  it('completes the journey in the modal, from the host button back to it', async () => {
    const opener = await fixture<HTMLButtonElement>(html`<button type="button">Connect your billing system</button>`);
    const flow = await Flow.mount({ attributes: { mode: 'modal' }, noWait: true });
    opener.addEventListener('click', () => flow.element.open());
    await tabTo('button', 'Connect your billing system');
    await sendKeys({ press: 'Enter' });
    await flow.waitForStep('picker');
    await expectArrivedAt(flow, 'Choose your billing platform', [1, 4]);
    await connectByKeyboard(flow);

    await tabTo('button', 'Finish');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => flow.eventsOf('conduit-close').length === 1, 'the modal did not close');
    expect(flow.events.map((event) => event.type).slice(-2)).to.deep.equal(['conduit-finish', 'conduit-close']);
    await expectFocusOn(opener, 1000);
  });

  it('submits the credentials with Enter from the API key field', async () => {
    const flow = await Flow.mount();
    await flow.toCredentials();
    await tabTo('textbox', 'Site subdomain');
    await sendKeys({ type: 'acme' });
    await tabTo('textbox', 'API key');
    await sendKeys({ type: 'chg_demo_acme_admin' });
    await sendKeys({ press: 'Enter' });
    await flow.waitForStep('success');
    expect(await flow.heading()).to.equal('Chargify connected');
  });
});
