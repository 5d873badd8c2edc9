import { expect, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { ConduitError, type ConduitErrorCode } from '../../../src/backend/errors.js';
import type { ChargifyCredentials, ConduitCredentials, SubmitCredentials } from '../../../src/index.js';
import { errorMessage } from '../../../src/localization/error-messages.js';
import { describeFocus, descriptionOf, nameOf, textOf } from '../../a11y.js';
import { copyToClipboard, mountScreen, Screen } from '../../harness.js';
import { domPlacesContaining } from '../../flow-helpers.js';
import { plain } from '../../wording.js';

const KEY = 'chg_live_9Zq2xW7pL4mN8vR3tY6u';
/** A message as the tests read the screen: without the invisible isolates around its values. */
const errorText = (...args: Parameters<typeof errorMessage>) => plain(errorMessage(...args));
const HELP_URL = 'https://docs.maxio.com/hc/en-us/articles/24294819360525-Advanced-Billing-API-Keys';
const SUBDOMAIN = 'Site subdomain';
const API_KEY = 'API key';
const US = /^United States/;
const EU = /^Europe/;

/** A `submitCredentials` the test settles by hand, recording every call. */
function controlledSubmit() {
  const calls: ChargifyCredentials[] = [];
  let settle: { resolve: () => void; reject: (error: unknown) => void } | undefined;
  const submit: SubmitCredentials = (credentials) => {
    calls.push({ ...credentials });
    return new Promise<void>((resolve, reject) => {
      settle = { resolve, reject };
    });
  };
  return {
    submit,
    calls,
    resolve: () => settle!.resolve(),
    reject: (error: unknown) => settle!.reject(error),
  };
}

/** A `submitCredentials` that answers at once: resolves, or rejects with `error`. */
function answeringSubmit(error?: unknown) {
  const calls: ChargifyCredentials[] = [];
  const submit: SubmitCredentials = async (credentials) => {
    calls.push({ ...credentials });
    if (error) throw error;
  };
  return { submit, calls };
}

function mountCredentials(submit?: SubmitCredentials) {
  return mountScreen<ConduitCredentials>(html`<conduit-credentials .submitCredentials=${submit}></conduit-credentials>`);
}

async function submitWith(screen: Screen, subdomain: string, apiKey: string): Promise<void> {
  await screen.fill(SUBDOMAIN, subdomain);
  await screen.fill(API_KEY, apiKey);
  await screen.click('Continue');
  // Let a rejected or resolved submitCredentials be shown.
  await screen.settle();
}

/** What the alert region says; '' when it says nothing (an empty region is not rendered). */
async function alertText(screen: Screen): Promise<string> {
  const alert = await screen.query('alert');
  return alert ? textOf(alert) : '';
}

async function checkedRegion(screen: Screen): Promise<string> {
  const radios = await screen.nodes<HTMLInputElement>('radio');
  return radios
    .filter((radio) => radio.element.checked)
    .map((radio) => radio.name)
    .join();
}

// Verdicts on the key itself. site_mismatch comes only when replacing a key (issue 17).
const KEY_CODES: ConduitErrorCode[] = ['invalid_credentials', 'site_mismatch'];
const GENERAL_CODES: ConduitErrorCode[] = [
  'invalid_input',
  // Chargify's unexpected 403 says nothing about the key (keys have no roles): told in the alert.
  'access_refused',
  'account_blocked',
  'rate_limited',
  'too_many_attempts',
  'upstream_unavailable',
  'conflict',
  'session_expired',
  'not_found',
  'network',
  'timeout',
  'offline',
  'bad_response',
  'invalid_config',
];

describe('<conduit-credentials> standalone', () => {
  describe('fields', () => {
    it('is titled "Your Chargify credentials"', async () => {
      const { element, screen } = await mountCredentials();
      expect(textOf(await screen.get('heading'))).to.equal('Your Chargify credentials');
      expect(element.headingText).to.equal('Your Chargify credentials');
      element.focusHeading();
      expect(await describeFocus()).to.equal('heading "Your Chargify credentials"');
    });

    it('is filled in from the keyboard in a sensible order', async () => {
      const { element } = await mountCredentials();
      element.focusHeading();
      const order: string[] = [];
      for (let i = 0; i < 6; i++) {
        await sendKeys({ press: 'Tab' });
        order.push(await describeFocus());
      }
      expect(order).to.deep.equal([
        'textbox "Site subdomain"',
        'radio "United States (chargify.com)"',
        'textbox "API key"',
        'button "Show key"',
        'button "Where do I find my API key?"',
        'button "Continue"',
      ]);
    });

    it('labels the subdomain field and describes it with an example address', async () => {
      const { screen } = await mountCredentials();
      const subdomain = await screen.get<HTMLInputElement>('textbox', SUBDOMAIN);
      expect(subdomain.type).to.equal('text');
      expect(subdomain.getAttribute('autocomplete')).to.equal('off');
      expect(subdomain.getAttribute('spellcheck')).to.equal('false');
      expect(subdomain.getAttribute('aria-invalid')).to.equal('false');
      expect(await descriptionOf(subdomain)).to.equal('The first part of your Chargify address, like acme in acme.chargify.com.');
    });

    it('takes the API key in a password field that browsers neither fill nor spell-check', async () => {
      const { screen } = await mountCredentials();
      const key = await screen.field(API_KEY);
      expect(key.type).to.equal('password');
      expect(key.getAttribute('autocomplete')).to.equal('new-password');
      expect(key.getAttribute('spellcheck')).to.equal('false');
      expect(key.getAttribute('aria-invalid')).to.equal('false');
    });

    it('offers the two regions, United States by default', async () => {
      const { screen } = await mountCredentials();
      const group = await screen.get('group', 'Region');
      const regions = await screen.nodes<HTMLInputElement>('radio');
      expect(regions.map((radio) => radio.name)).to.deep.equal(['United States (chargify.com)', 'Europe (ebilling.maxio.com)']);
      for (const radio of regions) expect(group.contains(radio.element)).to.equal(true);
      expect(await checkedRegion(screen)).to.equal('United States (chargify.com)');
    });

    it('shows the host suffix of the chosen region next to the subdomain', async () => {
      const { screen } = await mountCredentials();
      expect(screen.blocks).to.include('.chargify.com');
      expect(screen.text).not.to.include('.ebilling.maxio.com');

      await screen.choose(EU);
      expect(await checkedRegion(screen)).to.equal('Europe (ebilling.maxio.com)');
      expect(screen.blocks).to.include('.ebilling.maxio.com');
      expect(screen.blocks).not.to.include('.chargify.com');
      expect(await screen.descriptionOf(SUBDOMAIN)).to.equal(
        'The first part of your Chargify address, like acme in acme.ebilling.maxio.com.',
      );

      await screen.choose(US);
      expect(screen.blocks).to.include('.chargify.com');
      expect(await screen.descriptionOf(SUBDOMAIN)).to.include('acme.chargify.com');
    });
  });

  describe('revealing the key', () => {
    it('toggles between hidden and shown, and says which with aria-pressed', async () => {
      const { screen } = await mountCredentials();
      await screen.fill(API_KEY, KEY);
      const toggle = await screen.button('Show key');
      expect(toggle.getAttribute('aria-pressed')).to.equal('false');
      expect((await screen.field(API_KEY)).type).to.equal('password');

      await screen.click('Show key');
      expect((await screen.button('Show key')).getAttribute('aria-pressed')).to.equal('true');
      expect((await screen.field(API_KEY)).type).to.equal('text');
      expect((await screen.field(API_KEY)).value).to.equal(KEY);

      await screen.click('Show key');
      expect((await screen.button('Show key')).getAttribute('aria-pressed')).to.equal('false');
      expect((await screen.field(API_KEY)).type).to.equal('password');
    });

    it('hides the key again after a successful submit', async () => {
      const { submit } = answeringSubmit();
      const { screen } = await mountCredentials(submit);
      await screen.fill(API_KEY, KEY);
      await screen.click('Show key');
      await submitWith(screen, 'acme', KEY);
      expect((await screen.field(API_KEY)).type).to.equal('password');
      expect((await screen.button('Show key')).getAttribute('aria-pressed')).to.equal('false');
    });
  });

  describe('help finding the key', () => {
    it('is collapsed at first and opens on request', async () => {
      const { screen } = await mountCredentials();
      expect(screen.text).to.include('Where do I find my API key?');
      expect(screen.text).not.to.include('Config → Integrations → API Keys');
      screen.byText('Where do I find my API key?').click();
      await screen.settle();
      expect(screen.text).to.include('Config → Integrations → API Keys');
    });

    it('says where the key is, that only a site admin can create one, and that it is shown once', async () => {
      const { screen } = await mountCredentials();
      screen.byText('Where do I find my API key?').click();
      await screen.settle();
      expect(screen.text).to.include("Sign in to Chargify at your site's address, like acme.chargify.com.");
      expect(screen.text).to.include('Go to Config → Integrations → API Keys.');
      expect(screen.text).to.include('Select New API Key and copy the key. Chargify shows it only once.');
      expect(screen.text).to.include(
        "Only a Chargify site admin can create API keys. If you aren't one, ask a site admin to create a key for you.",
      );
    });

    it("links to Maxio's article in a new tab, and says so", async () => {
      const { screen } = await mountCredentials();
      screen.byText('Where do I find my API key?').click();
      await screen.settle();
      const link = await screen.get<HTMLAnchorElement>('link');
      expect(await nameOf(link)).to.equal("Read Maxio's guide to API keys (opens in a new tab)");
      expect(link.href).to.equal(HELP_URL);
      expect(link.target).to.equal('_blank');
      expect(link.relList.contains('noopener')).to.equal(true);
    });

    it('opens from the keyboard', async () => {
      const { screen } = await mountCredentials();
      screen.byText('Where do I find my API key?').focus();
      await sendKeys({ press: 'Enter' });
      await screen.settle();
      expect(screen.text).to.include('Go to Config → Integrations → API Keys.');
    });
  });

  describe('the site address', () => {
    it('takes the subdomain and the United States region from a pasted Chargify URL', async () => {
      const { screen } = await mountCredentials();
      await screen.choose(EU);
      await screen.paste(SUBDOMAIN, 'https://acme.chargify.com/dashboard');
      expect((await screen.field(SUBDOMAIN)).value).to.equal('acme');
      expect(await checkedRegion(screen)).to.equal('United States (chargify.com)');
      expect(screen.blocks).to.include('.chargify.com');
    });

    it('takes the subdomain and the Europe region from a pasted Maxio host', async () => {
      const { screen } = await mountCredentials();
      await screen.paste(SUBDOMAIN, 'acme.ebilling.maxio.com');
      expect((await screen.field(SUBDOMAIN)).value).to.equal('acme');
      expect(await checkedRegion(screen)).to.equal('Europe (ebilling.maxio.com)');
      expect(screen.blocks).to.include('.ebilling.maxio.com');
    });

    it('cleans a URL pasted with the keyboard', async () => {
      const { screen } = await mountCredentials();
      await copyToClipboard('https://acme.ebilling.maxio.com/dashboard');
      (await screen.field(SUBDOMAIN)).focus();
      await sendKeys({ press: 'Control+v' });
      await screen.settle();
      expect((await screen.field(SUBDOMAIN)).value).to.equal('acme');
      expect(await checkedRegion(screen)).to.equal('Europe (ebilling.maxio.com)');
    });

    it('leaves a pasted bare subdomain as it is', async () => {
      const { screen } = await mountCredentials();
      await screen.paste(SUBDOMAIN, 'acme');
      expect((await screen.field(SUBDOMAIN)).value).to.equal('acme');
      expect(await checkedRegion(screen)).to.equal('United States (chargify.com)');
    });

    it('cleans a typed URL too, once the user leaves the field', async () => {
      const { screen } = await mountCredentials();
      await screen.fill(SUBDOMAIN, 'HTTPS://Acme.ebilling.maxio.com/subscriptions?page=2');
      expect((await screen.field(SUBDOMAIN)).value).to.equal('acme');
      expect(await checkedRegion(screen)).to.equal('Europe (ebilling.maxio.com)');
    });

    it('sends what it took from a pasted URL', async () => {
      const { submit, calls } = answeringSubmit();
      const { screen } = await mountCredentials(submit);
      await screen.paste(SUBDOMAIN, 'https://acme.ebilling.maxio.com/dashboard');
      await screen.fill(API_KEY, KEY);
      await screen.click('Continue');
      expect(calls).to.deep.equal([{ apiKey: KEY, subdomain: 'acme', region: 'EU' }]);
    });
  });

  describe('submitting', () => {
    it('hands the cleaned credentials to submitCredentials', async () => {
      const { submit, calls } = answeringSubmit();
      const { screen } = await mountCredentials(submit);
      await submitWith(screen, '  Acme  ', `  ${KEY}\t `);
      expect(calls).to.deep.equal([{ apiKey: KEY, subdomain: 'acme', region: 'US' }]);
    });

    it('sends the region the user chose', async () => {
      const { submit, calls } = answeringSubmit();
      const { screen } = await mountCredentials(submit);
      await screen.choose(EU);
      await submitWith(screen, 'acme', KEY);
      expect(calls).to.deep.equal([{ apiKey: KEY, subdomain: 'acme', region: 'EU' }]);
    });

    it('submits with Enter from a field', async () => {
      const { submit, calls } = answeringSubmit();
      const { screen } = await mountCredentials(submit);
      await screen.fill(SUBDOMAIN, 'acme');
      await screen.fill(API_KEY, KEY);
      (await screen.field(API_KEY)).focus();
      await sendKeys({ press: 'Enter' });
      await screen.settle();
      expect(calls).to.deep.equal([{ apiKey: KEY, subdomain: 'acme', region: 'US' }]);
    });

    for (const [code, field, label] of [
      ['invalid_credentials', 'apiKey', API_KEY],
      ['site_not_found', 'subdomain', SUBDOMAIN],
    ] as const) {
      it(`says ${code} in the status when Enter was pressed in the field it concerns (focus does not move, so it is not read)`, async () => {
        const { submit } = answeringSubmit(new ConduitError(code, 'no'));
        const { screen } = await mountCredentials(submit);
        await screen.fill(SUBDOMAIN, 'acme');
        await screen.fill(API_KEY, KEY);
        (await screen.field(label)).focus();
        await sendKeys({ press: 'Enter' });
        await screen.settle();
        const said = (await screen.all('status')).map(textOf).join(' ');
        expect(plain(said)).to.equal(errorText(code));
        // Pressed from elsewhere, focus moves to the field and reads the error: the status stays quiet.
        await screen.fill(label, field === 'apiKey' ? KEY : 'acme');
        await screen.click('Continue');
        await screen.settle();
        expect((await screen.all('status')).map(textOf).join(' ')).to.equal('');
      });
    }

    it('empties the key field after a successful submit, and shows no error', async () => {
      const { submit } = answeringSubmit();
      const { screen } = await mountCredentials(submit);
      await submitWith(screen, 'acme', KEY);
      expect((await screen.field(API_KEY)).value).to.equal('');
      expect(await alertText(screen)).to.equal('');
      expect((await screen.button('Continue')).getAttribute('aria-disabled')).to.equal('false');
    });

    it('says it is connecting, and is aria-disabled, while submitCredentials is pending', async () => {
      const control = controlledSubmit();
      const { screen } = await mountCredentials(control.submit);
      await submitWith(screen, 'acme', KEY);
      expect(control.calls).to.have.length(1);
      const busy = await screen.button('Connecting…');
      expect(busy.getAttribute('aria-disabled')).to.equal('true');
      expect(await screen.has('button', 'Continue')).to.equal(false);
      // Screen-reader users hear that the check is under way, from a live region no
      // busy element holds back (some readers wait until aria-busy is lifted).
      const statuses = await screen.all('status');
      expect(statuses.map(textOf)).to.deep.equal(['Checking your details with Chargify…']);
      expect(statuses[0]!.closest('[aria-busy="true"]'), 'the status sits inside a busy element').to.equal(null);
      expect(screen.root.shadowRoot!.querySelector('[aria-busy="true"]'), 'the fields are marked busy').to.not.equal(null);

      control.resolve();
      await screen.settle();
      expect(await screen.has('button', 'Connecting…')).to.equal(false);
      expect((await screen.button('Continue')).getAttribute('aria-disabled')).to.equal('false');
      expect(screen.text).not.to.include('Checking your details');
    });

    it('calls submitCredentials once for ten rapid clicks', async () => {
      const control = controlledSubmit();
      const { screen } = await mountCredentials(control.submit);
      await screen.fill(SUBDOMAIN, 'acme');
      await screen.fill(API_KEY, KEY);
      const button = await screen.button('Continue');
      for (let i = 0; i < 10; i++) button.click();
      await screen.settle();
      for (let i = 0; i < 10; i++) (await screen.button(/^(Continue|Connecting…)$/)).click();
      await screen.settle();
      expect(control.calls).to.have.length(1);
      control.resolve();
      await screen.settle();
      expect(control.calls).to.have.length(1);
    });

    it('calls submitCredentials once for ten Enter presses', async () => {
      const control = controlledSubmit();
      const { screen } = await mountCredentials(control.submit);
      await screen.fill(SUBDOMAIN, 'acme');
      await screen.fill(API_KEY, KEY);
      (await screen.field(API_KEY)).focus();
      for (let i = 0; i < 10; i++) await sendKeys({ press: 'Enter' });
      await screen.settle();
      expect(control.calls).to.have.length(1);
      control.resolve();
      await screen.settle();
      expect(control.calls).to.have.length(1);
    });

    it('does not let the details change while they are being checked', async () => {
      const control = controlledSubmit();
      const { screen } = await mountCredentials(control.submit);
      await submitWith(screen, 'acme', KEY);
      (await screen.field(SUBDOMAIN)).focus();
      await sendKeys({ type: 'xyz' });
      expect((await screen.field(SUBDOMAIN)).value).to.equal('acme');
      control.resolve();
    });

    it('does not let a paste change the site or region while they are being checked', async () => {
      const control = controlledSubmit();
      const { screen } = await mountCredentials(control.submit);
      await submitWith(screen, 'acme', KEY);
      await copyToClipboard('https://other.ebilling.maxio.com/dashboard');
      (await screen.field(SUBDOMAIN)).focus();
      await sendKeys({ press: 'Control+v' });
      await screen.settle();
      expect((await screen.field(SUBDOMAIN)).value).to.equal('acme');
      expect(await checkedRegion(screen)).to.equal('United States (chargify.com)');

      // The answer is about acme in the US, so the error must be shown against acme in the US.
      control.reject(new ConduitError('site_not_found', 'no such site'));
      await screen.settle();
      expect(await screen.descriptionOf(SUBDOMAIN)).to.include(errorText('site_not_found'));
      expect((await screen.field(SUBDOMAIN)).value).to.equal('acme');
      expect(await checkedRegion(screen)).to.equal('United States (chargify.com)');
    });

    it('can be submitted again once an attempt has failed', async () => {
      const control = controlledSubmit();
      const { screen } = await mountCredentials(control.submit);
      await submitWith(screen, 'acme', KEY);
      control.reject(new ConduitError('rate_limited', 'slow down'));
      await screen.settle();
      await screen.click('Continue');
      expect(control.calls).to.have.length(2);
    });
  });

  describe('validation before submitting', () => {
    it('asks for the subdomain when it is empty', async () => {
      const { submit, calls } = answeringSubmit();
      const { screen } = await mountCredentials(submit);
      await submitWith(screen, '', KEY);
      const subdomain = await screen.field(SUBDOMAIN);
      expect(screen.text).to.include('Enter your Chargify subdomain.');
      expect(await descriptionOf(subdomain)).to.include('Enter your Chargify subdomain.');
      expect(subdomain.getAttribute('aria-invalid')).to.equal('true');
      expect((await screen.field(API_KEY)).getAttribute('aria-invalid')).to.equal('false');
      expect(await describeFocus()).to.equal('textbox "Site subdomain"');
      expect(calls).to.have.length(0);
    });

    for (const malformed of ['acme_inc', '-acme', 'acme-', 'acme inc', 'acme!']) {
      it(`rejects the malformed subdomain "${malformed}"`, async () => {
        const { submit, calls } = answeringSubmit();
        const { screen } = await mountCredentials(submit);
        await submitWith(screen, malformed, KEY);
        const subdomain = await screen.field(SUBDOMAIN);
        expect(await descriptionOf(subdomain)).to.include('Use only letters, numbers and dashes, like acme.');
        expect(screen.text).to.include('Use only letters, numbers and dashes, like acme.');
        expect(subdomain.getAttribute('aria-invalid')).to.equal('true');
        expect(await describeFocus()).to.equal('textbox "Site subdomain"');
        expect(calls).to.have.length(0);
      });
    }

    it('asks for the key when it is empty or only whitespace', async () => {
      const { submit, calls } = answeringSubmit();
      const { screen } = await mountCredentials(submit);
      for (const empty of ['', '   ']) {
        await submitWith(screen, 'acme', empty);
        const key = await screen.field(API_KEY);
        expect(await descriptionOf(key)).to.equal('Enter your API key.');
        expect(screen.text).to.include('Enter your API key.');
        expect(key.getAttribute('aria-invalid')).to.equal('true');
        expect((await screen.field(SUBDOMAIN)).getAttribute('aria-invalid')).to.equal('false');
        expect(await describeFocus()).to.equal('textbox "API key"');
      }
      expect(calls).to.have.length(0);
    });

    it('marks both fields and focuses the first when both are wrong', async () => {
      const { submit, calls } = answeringSubmit();
      const { screen } = await mountCredentials(submit);
      await submitWith(screen, '', '');
      expect((await screen.field(SUBDOMAIN)).getAttribute('aria-invalid')).to.equal('true');
      expect((await screen.field(API_KEY)).getAttribute('aria-invalid')).to.equal('true');
      expect(screen.text).to.include('Enter your Chargify subdomain.');
      expect(screen.text).to.include('Enter your API key.');
      expect(await describeFocus()).to.equal('textbox "Site subdomain"');
      expect(await alertText(screen)).to.equal('');
      expect(calls).to.have.length(0);
    });

    it('clears the messages once the fields are fixed', async () => {
      const { submit, calls } = answeringSubmit();
      const { screen } = await mountCredentials(submit);
      await submitWith(screen, 'acme_inc', '');
      await submitWith(screen, 'acme-inc', KEY);
      expect(calls).to.deep.equal([{ apiKey: KEY, subdomain: 'acme-inc', region: 'US' }]);
      expect(screen.text).not.to.include('Use only letters');
      expect(screen.text).not.to.include('Enter your API key.');
      expect((await screen.field(SUBDOMAIN)).getAttribute('aria-invalid')).to.equal('false');
      expect((await screen.field(API_KEY)).getAttribute('aria-invalid')).to.equal('false');
    });
  });

  describe('errors from submitCredentials', () => {
    for (const code of KEY_CODES) {
      it(`explains ${code} next to the key, clears the key and keeps the subdomain`, async () => {
        const { submit } = answeringSubmit(new ConduitError(code, 'Chargify said no', { correlationId: 'corr-key-1' }));
        const { screen } = await mountCredentials(submit);
        await submitWith(screen, 'Acme-Billing', KEY);

        const key = await screen.field(API_KEY);
        expect(await descriptionOf(key)).to.equal(errorText(code));
        expect(screen.text).to.include(errorText(code));
        expect(key.getAttribute('aria-invalid')).to.equal('true');
        expect(key.value).to.equal('');
        expect(await describeFocus()).to.equal('textbox "API key"');

        const subdomain = await screen.field(SUBDOMAIN);
        expect(subdomain.value).to.equal('acme-billing');
        expect(subdomain.getAttribute('aria-invalid')).to.equal('false');
        expect(await descriptionOf(subdomain)).not.to.include(errorText(code));
        expect(await alertText(screen)).to.equal('');
        expect(screen.text).to.include('Support reference: corr-key-1');
        // Our own words, never the server's.
        expect(screen.text).not.to.include('Chargify said no');
      });
    }

    it('says "offline" once when the connection drops mid-request: in the alert, not again in the status', async () => {
      const control = controlledSubmit();
      const { screen } = await mountCredentials(control.submit);
      await submitWith(screen, 'acme', KEY);
      Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => false });
      window.dispatchEvent(new Event('offline'));
      try {
        control.reject(new ConduitError('offline', 'The browser went offline.'));
        await screen.settle();
        const spoken = [await alertText(screen), ...(await screen.all('status')).map(textOf)].join('\n');
        expect(spoken.match(/You're offline/g), spoken).to.have.length(1);
        expect(await alertText(screen)).to.equal("You're offline. Reconnect to the internet, then try again.");
      } finally {
        Reflect.deleteProperty(navigator, 'onLine');
        window.dispatchEvent(new Event('online'));
      }
    });

    it('holds Continue back for five minutes at most, whatever Retry-After a backend sends', async () => {
      const { submit } = answeringSubmit(new ConduitError('rate_limited', 'slow down', { retryAfter: 86_400 }));
      const { screen } = await mountCredentials(submit);
      await submitWith(screen, 'acme', KEY);
      expect(screen.text).to.include('You can try again in 300 seconds.');
      expect((await screen.button('Continue')).getAttribute('aria-disabled')).to.equal('true');
    });

    it('says the wait once when it starts, again when Continue is pressed during it, and when it ends', async () => {
      const { submit } = answeringSubmit(new ConduitError('rate_limited', 'slow down', { retryAfter: 3 }));
      const { screen } = await mountCredentials(submit);
      const said = async () => (await screen.all('status')).map(textOf).join(' ');
      await submitWith(screen, 'acme', KEY);
      expect(await said()).to.equal('You can try again in 3 seconds.');
      // The countdown ticks on screen; the live region does not follow it.
      await waitUntil(() => screen.text.includes('You can try again in 2 seconds.'), 'the countdown ticked', { timeout: 2500 });
      expect(await said()).to.equal('You can try again in 3 seconds.');
      // Continue during the wait: it does nothing, and says how long is left.
      await screen.click('Continue');
      await screen.settle();
      expect(await said()).to.match(/^You can try again in [12] seconds?\.$/);
      await waitUntil(async () => (await said()) === 'You can try again now.', 'the end of the wait was said', { timeout: 4000 });
      expect((await screen.button('Continue')).getAttribute('aria-disabled')).to.equal('false');
    });

    it('carries on counting down when the step is moved in the page, and then lets the user retry', async () => {
      const { submit } = answeringSubmit(new ConduitError('rate_limited', 'slow down', { retryAfter: 2 }));
      const { element, screen } = await mountCredentials(submit);
      await submitWith(screen, 'acme', KEY);
      expect(screen.text).to.include('You can try again in 2 seconds.');
      const holder = element.parentElement!;
      element.remove();
      holder.append(element);
      await waitUntil(() => !screen.text.includes('You can try again in'), 'the countdown stopped when the step moved', {
        timeout: 4000,
      });
      await screen.settle();
      expect((await screen.button('Continue')).getAttribute('aria-disabled')).to.equal('false');
    });

    it('explains site_not_found next to the subdomain and keeps the key', async () => {
      const { submit } = answeringSubmit(new ConduitError('site_not_found', 'no such site', { correlationId: 'corr-site-1' }));
      const { screen } = await mountCredentials(submit);
      await submitWith(screen, 'acmee', KEY);

      const subdomain = await screen.field(SUBDOMAIN);
      expect(await descriptionOf(subdomain)).to.include(errorText('site_not_found'));
      expect(subdomain.getAttribute('aria-invalid')).to.equal('true');
      expect(subdomain.value).to.equal('acmee');
      expect(await describeFocus()).to.equal('textbox "Site subdomain"');

      const key = await screen.field(API_KEY);
      expect(key.value).to.equal(KEY);
      expect(key.getAttribute('aria-invalid')).to.equal('false');
      expect(await alertText(screen)).to.equal('');
      expect(screen.text).to.include('Support reference: corr-site-1');
      // Without a region hint there is nothing to switch to.
      expect(await screen.has('button', /^Switch to/)).to.equal(false);
    });

    it('gives an example address in the region the user chose when the site is not found', async () => {
      const { submit } = answeringSubmit(new ConduitError('site_not_found', 'no such site'));
      const { screen } = await mountCredentials(submit);
      await screen.choose(EU);
      await submitWith(screen, 'acmee', KEY);
      expect(await screen.descriptionOf(SUBDOMAIN)).to.include(
        'the subdomain is the first part of the address you sign in at, like acme in acme.ebilling.maxio.com.',
      );
      expect(screen.text).not.to.include('acme in acme.chargify.com.');
    });

    for (const code of GENERAL_CODES) {
      it(`explains ${code} in the alert with the support reference, and keeps the subdomain`, async () => {
        const { submit } = answeringSubmit(new ConduitError(code, 'raw server text', { correlationId: 'corr-7f3a' }));
        const { screen } = await mountCredentials(submit);
        await submitWith(screen, 'acme', KEY);

        expect(await alertText(screen)).to.equal(errorText(code));
        expect(screen.text).to.include('Support reference: corr-7f3a');
        expect((await screen.field(SUBDOMAIN)).value).to.equal('acme');
        expect((await screen.field(SUBDOMAIN)).getAttribute('aria-invalid')).to.equal('false');
        expect((await screen.field(API_KEY)).getAttribute('aria-invalid')).to.equal('false');
        expect(screen.text).not.to.include('raw server text');
        expect((await screen.button('Continue')).getAttribute('aria-disabled')).to.equal('false');
      });
    }

    it('explains Chargify clearing the site’s data (10010) with its own words and a countdown, not as an outage', async () => {
      const { submit } = answeringSubmit(
        new ConduitError('upstream_unavailable', 'Site data clearing is in progress.', { detailedErrorCode: 10010, retryAfter: 180, correlationId: 'corr-clr' }),
      );
      const { screen } = await mountCredentials(submit);
      await submitWith(screen, 'acme', KEY);
      expect(await alertText(screen)).to.equal("Chargify is clearing this site's data right now. Try again later.");
      expect(screen.text).to.not.include(errorText('upstream_unavailable'));
      expect(screen.text).to.include('You can try again in 180 seconds.');
      expect(screen.text).to.include('Support reference: corr-clr');
      expect((await screen.field(API_KEY)).value, 'kept for the retry').to.equal(KEY);
    });

    it('leaves out the support reference when there is no correlation id', async () => {
      const { submit } = answeringSubmit(new ConduitError('network', 'Failed to fetch'));
      const { screen } = await mountCredentials(submit);
      await submitWith(screen, 'acme', KEY);
      expect(await alertText(screen)).to.equal(errorText('network'));
      expect(screen.text).not.to.include('Support reference');
    });

    it('treats a rejection that is not a ConduitError as an unreadable answer', async () => {
      const { submit } = answeringSubmit(new TypeError('boom'));
      const { screen } = await mountCredentials(submit);
      await submitWith(screen, 'acme', KEY);
      expect(await alertText(screen)).to.equal(errorText('bad_response'));
      expect(screen.text).not.to.include('boom');
    });

    it('places an invalid_input about one field next to that field', async () => {
      const onKey = answeringSubmit(
        new ConduitError('invalid_input', 'bad', { validation: [{ itemId: 'apiKey', message: 'too short' }] }),
      );
      const keyCase = await mountCredentials(onKey.submit);
      await submitWith(keyCase.screen, 'acme', KEY);
      expect(await keyCase.screen.descriptionOf(API_KEY)).to.equal(errorText('invalid_input'));
      expect((await keyCase.screen.field(API_KEY)).value).to.equal('');
      expect(await alertText(keyCase.screen)).to.equal('');

      const onSubdomain = answeringSubmit(
        new ConduitError('invalid_input', 'bad', { validation: [{ itemId: 'subdomain', message: 'bad' }] }),
      );
      const subdomainCase = await mountCredentials(onSubdomain.submit);
      await submitWith(subdomainCase.screen, 'acme', KEY);
      expect(await subdomainCase.screen.descriptionOf(SUBDOMAIN)).to.include(errorText('invalid_input'));
      expect((await subdomainCase.screen.field(SUBDOMAIN)).getAttribute('aria-invalid')).to.equal('true');
      expect(await alertText(subdomainCase.screen)).to.equal('');
    });

    it('shows nothing for a cancelled request and is ready again', async () => {
      const { submit } = answeringSubmit(new ConduitError('aborted', 'The request was cancelled.'));
      const { screen } = await mountCredentials(submit);
      await submitWith(screen, 'acme', KEY);
      expect(await alertText(screen)).to.equal('');
      expect((await screen.button('Continue')).getAttribute('aria-disabled')).to.equal('false');
    });

    it('clears an earlier error when the next attempt succeeds', async () => {
      const control = controlledSubmit();
      const { screen } = await mountCredentials(control.submit);
      await submitWith(screen, 'acme', KEY);
      control.reject(new ConduitError('upstream_unavailable', 'down', { correlationId: 'c1' }));
      await screen.settle();
      expect(await alertText(screen)).to.include(errorText('upstream_unavailable'));

      await screen.fill(API_KEY, KEY);
      await screen.click('Continue');
      expect(await alertText(screen)).to.equal('');
      control.resolve();
      await screen.settle();
      expect(await alertText(screen)).to.equal('');
    });
  });

  describe('after a site_not_found', () => {
    // The user acts on the message; it should go away, not turn into an alert.
    it('drops the message when the user picks the other region themselves', async () => {
      const { submit } = answeringSubmit(new ConduitError('site_not_found', 'no such site', { correlationId: 'corr-2' }));
      const { screen } = await mountCredentials(submit);
      await submitWith(screen, 'acme', KEY);
      expect(await screen.descriptionOf(SUBDOMAIN)).to.include(errorText('site_not_found'));

      await screen.choose(EU);
      expect((await screen.field(SUBDOMAIN)).getAttribute('aria-invalid')).to.equal('false');
      expect(await alertText(screen)).to.equal('');
      expect(screen.text).not.to.include(errorText('site_not_found'));
    });

    it('drops the message when the user pastes a new address', async () => {
      const { submit } = answeringSubmit(new ConduitError('site_not_found', 'no such site', { correlationId: 'corr-3' }));
      const { screen } = await mountCredentials(submit);
      await submitWith(screen, 'acmee', KEY);

      await screen.paste(SUBDOMAIN, 'https://acme.chargify.com/dashboard');
      expect((await screen.field(SUBDOMAIN)).value).to.equal('acme');
      expect((await screen.field(SUBDOMAIN)).getAttribute('aria-invalid')).to.equal('false');
      expect(await alertText(screen)).to.equal('');
      expect(screen.text).not.to.include(errorText('site_not_found'));
    });
  });

  describe('correcting a field', () => {
    it('drops the key message as soon as the user types a new key', async () => {
      const { submit } = answeringSubmit(new ConduitError('invalid_credentials', 'no'));
      const { screen } = await mountCredentials(submit);
      await submitWith(screen, 'acme', KEY);
      expect(screen.text).to.include(errorText('invalid_credentials'));

      (await screen.field(API_KEY)).focus();
      await sendKeys({ type: 'c' });
      await screen.settle();
      expect(screen.text).not.to.include(errorText('invalid_credentials'));
      expect((await screen.field(API_KEY)).getAttribute('aria-invalid')).to.equal('false');
      expect(await screen.descriptionOf(API_KEY)).to.equal('');
      expect(await alertText(screen)).to.equal('');
    });

    it('drops the subdomain message as soon as the user edits the subdomain', async () => {
      const { screen } = await mountCredentials(answeringSubmit().submit);
      await submitWith(screen, 'acme_inc', KEY);
      expect(screen.text).to.include('Use only letters, numbers and dashes');

      (await screen.field(SUBDOMAIN)).focus();
      await sendKeys({ press: 'Backspace' });
      await screen.settle();
      expect(screen.text).not.to.include('Use only letters, numbers and dashes');
      expect((await screen.field(SUBDOMAIN)).getAttribute('aria-invalid')).to.equal('false');
    });

    it('keeps an error about the other field while one is edited', async () => {
      const { screen } = await mountCredentials(answeringSubmit().submit);
      await submitWith(screen, '', '');
      (await screen.field(SUBDOMAIN)).focus();
      await sendKeys({ type: 'acme' });
      await screen.settle();
      expect(screen.text).not.to.include('Enter your Chargify subdomain.');
      expect(screen.text).to.include('Enter your API key.');
      expect((await screen.field(API_KEY)).getAttribute('aria-invalid')).to.equal('true');
    });
  });

  describe('region hint', () => {
    it('offers to switch to the Europe region when the site was found there', async () => {
      const { submit, calls } = answeringSubmit(new ConduitError('site_not_found', 'elsewhere', { regionHint: 'EU' }));
      const { screen } = await mountCredentials(submit);
      await submitWith(screen, 'acme', KEY);
      expect(screen.text).to.include('This site exists in the Europe region.');
      // Heard with the field: where the site is, and the way there.
      const description = await descriptionOf(await screen.field(SUBDOMAIN));
      expect(description).to.include('This site exists in the Europe region.');
      expect(description).to.include('Switch to the Europe region');

      await screen.click('Switch to the Europe region');
      expect(await checkedRegion(screen)).to.equal('Europe (ebilling.maxio.com)');
      expect(screen.blocks).to.include('.ebilling.maxio.com');
      expect(await screen.has('button', /^Switch to/)).to.equal(false);
      expect(screen.text).not.to.include(errorText('site_not_found'));
      expect((await screen.field(SUBDOMAIN)).getAttribute('aria-invalid')).to.equal('false');
      expect(await describeFocus()).to.equal('textbox "Site subdomain"');

      // The key was kept, so Continue can go straight on with the new region.
      await screen.click('Continue');
      expect(calls.at(-1)).to.deep.equal({ apiKey: KEY, subdomain: 'acme', region: 'EU' });
    });

    it('offers to switch to the United States region from the EU one', async () => {
      const { submit } = answeringSubmit(new ConduitError('site_not_found', 'elsewhere', { regionHint: 'US' }));
      const { screen } = await mountCredentials(submit);
      await screen.choose(EU);
      await submitWith(screen, 'acme', KEY);
      await screen.click('Switch to the United States region');
      expect(await checkedRegion(screen)).to.equal('United States (chargify.com)');
    });

    it('does not offer a switch to the region already chosen', async () => {
      const { submit } = answeringSubmit(new ConduitError('site_not_found', 'elsewhere', { regionHint: 'US' }));
      const { screen } = await mountCredentials(submit);
      await submitWith(screen, 'acme', KEY);
      expect(screen.text).to.include(errorText('site_not_found'));
      expect(await screen.has('button', /^Switch to/)).to.equal(false);
    });
  });

  describe('the key stays out of the DOM', () => {
    function expectNoKeyInDom(): void {
      expect(domPlacesContaining(document.body, [KEY])).to.deep.equal([]);
    }

    it('after a successful submit, even when revealed', async () => {
      const { submit } = answeringSubmit();
      const { screen } = await mountCredentials(submit);
      await screen.fill(API_KEY, KEY);
      await screen.click('Show key');
      expectNoKeyInDom();
      await submitWith(screen, 'acme', KEY);
      expectNoKeyInDom();
    });

    it('while the submit is pending', async () => {
      const control = controlledSubmit();
      const { screen } = await mountCredentials(control.submit);
      await submitWith(screen, 'acme', KEY);
      expectNoKeyInDom();
      control.resolve();
    });

    for (const code of ['invalid_credentials', 'site_not_found', 'rate_limited', 'invalid_input'] as ConduitErrorCode[]) {
      it(`after a ${code} failure`, async () => {
        // A careless backend echoing the key must not get it onto the page.
        const { submit } = answeringSubmit(
          new ConduitError(code, `Key ${KEY} rejected`, { correlationId: 'corr-9', validation: [{ itemId: 'x', message: KEY }] }),
        );
        const { screen } = await mountCredentials(submit);
        await screen.fill(API_KEY, KEY);
        await screen.click('Show key');
        await submitWith(screen, 'acme', KEY);
        expect(screen.text).to.include(errorText(code));
        expectNoKeyInDom();
      });
    }
  });

  describe('leaving the step', () => {
    it('empties the key field when the step is removed from the page', async () => {
      const { element, screen } = await mountCredentials();
      await screen.fill(SUBDOMAIN, 'acme');
      await screen.fill(API_KEY, KEY);
      const parent = element.parentElement!;
      element.remove();
      parent.append(element);
      await screen.settle();
      expect((await screen.field(API_KEY)).value).to.equal('');
      expect((await screen.field(API_KEY)).type).to.equal('password');
    });
  });

  describe('accessibility', () => {
    it('has no axe violations when idle', async () => {
      const { element } = await mountCredentials();
      await expect(element).to.be.accessible();
    });

    it('has no axe violations with the help open', async () => {
      const { element, screen } = await mountCredentials();
      screen.byText('Where do I find my API key?').click();
      await screen.settle();
      await expect(element).to.be.accessible();
    });

    it('has no axe violations with both fields invalid', async () => {
      const { element, screen } = await mountCredentials(answeringSubmit().submit);
      await submitWith(screen, '', '');
      await expect(element).to.be.accessible();
    });

    it('has no axe violations with a malformed subdomain', async () => {
      const { element, screen } = await mountCredentials(answeringSubmit().submit);
      await submitWith(screen, 'acme_inc', KEY);
      await expect(element).to.be.accessible();
    });

    it('has no axe violations while connecting', async () => {
      const control = controlledSubmit();
      const { element, screen } = await mountCredentials(control.submit);
      await submitWith(screen, 'acme', KEY);
      await expect(element).to.be.accessible();
      control.resolve();
    });

    it('has no axe violations with a key error', async () => {
      const { element, screen } = await mountCredentials(answeringSubmit(new ConduitError('invalid_credentials', 'no')).submit);
      await submitWith(screen, 'acme', KEY);
      await expect(element).to.be.accessible();
    });

    it('has no axe violations with a site error and a region hint', async () => {
      const { element, screen } = await mountCredentials(
        answeringSubmit(new ConduitError('site_not_found', 'no', { regionHint: 'EU' })).submit,
      );
      await submitWith(screen, 'acme', KEY);
      await expect(element).to.be.accessible();
    });

    it('has no axe violations with an error in the alert', async () => {
      const { element, screen } = await mountCredentials(
        answeringSubmit(new ConduitError('upstream_unavailable', 'no', { correlationId: 'corr-1' })).submit,
      );
      await submitWith(screen, 'acme', KEY);
      await expect(element).to.be.accessible();
    });
  });
});
