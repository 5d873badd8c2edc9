// What the flow says about Chargify is true (issue 15). Chargify's API keys have
// no roles or scopes: a key gives full access to its site and only a site admin
// can create one. So no message, event or demo answer may describe a key's
// permissions, the role of whoever made it, or a read-only key; the consent
// screen promises only what is so; and what the user is told while Chargify is
// slow or busy matches how it behaves.
import { expect } from '@open-wc/testing';
import type { Scenario } from '../mocks/backend.js';
import { DEMO_KEYS } from '../mocks/chargify.js';
import type { ConduitErrorCode, ConduitErrorEvent } from '../src/index.js';
import { errorMessage } from '../src/localization/error-messages.js';
import { allByRole } from './a11y.js';
import { Flow } from './harness.js';
import { CATALOGUES, TARGET_LOCALES } from './wording.js';

const ALL_CODES = [
  'invalid_input',
  'invalid_credentials',
  'site_not_found',
  'access_refused',
  'account_blocked',
  'site_mismatch',
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
  'server_error',
  'aborted',
  'invalid_config',
] as const satisfies readonly ConduitErrorCode[];
// Fails to compile when a code is added to the public type and not to the list above.
const everyCode: [Exclude<ConduitErrorCode, (typeof ALL_CODES)[number]>] extends [never] ? true : false = true;

// Words that would describe a key's permissions or its maker's role.
const ROLE_WORDS = /permission|\brole|scope|admin|read-only|enough access/i;

describe('what the flow says about Chargify keys is true', () => {
  it('no error message describes a permission, role or scope of a key (every code, 10010 included)', () => {
    expect(everyCode).to.equal(true);
    for (const code of ALL_CODES) {
      for (const detail of [null, 10004, 10008, 10010]) {
        expect(errorMessage(code, 'US', detail), `${code} / ${detail}`).to.not.match(ROLE_WORDS);
      }
    }
  });

  it('access_refused names no cause, and sends the user to the app’s support with the reference', () => {
    expect(errorMessage('access_refused')).to.equal(
      "Chargify refused access to this site. Contact the support team of the app you're using and give them the support reference.",
    );
  });

  it('site data clearing (10010) has its own message, never the outage’s nor "reactivate"; 10008 keeps the outage’s', () => {
    expect(errorMessage('upstream_unavailable', 'US', 10010)).to.equal("Chargify is clearing this site's data right now. Try again later.");
    expect(errorMessage('upstream_unavailable', 'US', 10008)).to.equal("Chargify isn't responding right now. Try again in a few minutes.");
    expect(errorMessage('upstream_unavailable')).to.equal("Chargify isn't responding right now. Try again in a few minutes.");
    expect(errorMessage('upstream_unavailable', 'US', 10010)).to.not.match(/reactivate|account owner/i);
  });

  it('Chargify throttling asks for a few minutes, as Chargify advises', () => {
    expect(errorMessage('rate_limited')).to.equal(
      'Chargify is getting too many requests for your site right now. Wait a few minutes, then try again.',
    );
  });

  it('no shipped language keeps the old verdict or the old promises, and each has the new messages', () => {
    const gone = [
      'conduit.error.insufficientPermissions',
      'conduit.permissions.readOnlyTitle',
      'conduit.permissions.readOnly',
      'conduit.permissions.revokeTitle',
      'conduit.permissions.revoke',
    ];
    const added = [
      'conduit.error.accessRefused',
      'conduit.error.siteDataClearing',
      'conduit.credentials.slow',
      'conduit.permissions.accessTitle',
      'conduit.permissions.access',
      'conduit.permissions.commitment',
      'conduit.permissions.controlTitle',
      'conduit.permissions.control',
    ];
    for (const locale of TARGET_LOCALES) {
      const catalogue = CATALOGUES[locale];
      expect(gone.filter((id) => id in catalogue), `${locale} still has`).to.deep.equal([]);
      expect(added.filter((id) => !(id in catalogue)), `${locale} lacks`).to.deep.equal([]);
    }
  });

  it('gives the backend 40 s by default (request-timeout), longer than the 30 s the backend waits for Chargify', async () => {
    const flow = await Flow.mount();
    expect(flow.element.requestTimeout).to.equal(40_000);
    expect(flow.element.hasAttribute('request-timeout')).to.equal(false);
  });

  it('asks for "an API key", not an admin one; who can create a key is help, before anything is typed', async () => {
    const flow = await Flow.mount();
    await flow.toCredentials();
    expect(flow.text).to.include('Enter your site and an API key. We check them with Chargify before connecting.');
    expect(flow.text, 'nothing about admins until the help is opened').to.not.match(/admin/i);
    const [help] = await allByRole(flow.element, 'button', 'Where do I find my API key?');
    help!.click();
    await flow.settle();
    expect(flow.text).to.include("Only a Chargify site admin can create API keys. If you aren't one, ask a site admin to create a key for you.");
  });

  // Each verdict the mock backend can give on a key, through the flow as a user meets it.
  const verdicts: [Scenario, string, ConduitErrorCode][] = [
    ['error:invalid_credentials', DEMO_KEYS.acmeAdmin, 'invalid_credentials'],
    ['error:site_not_found', DEMO_KEYS.acmeAdmin, 'site_not_found'],
    ['error:access_refused', DEMO_KEYS.acmeAdmin, 'access_refused'],
    ['error:account_blocked', DEMO_KEYS.acmeAdmin, 'account_blocked'],
    // The key the demo once called read-only: Chargify has no such key, so it is just not acme's key.
    ['demo', 'chg_demo_acme_readonly', 'invalid_credentials'],
  ];
  for (const [scenario, key, code] of verdicts) {
    it(`${scenario} with ${key}: ${code}, and no event or text describes a key's permissions or role`, async () => {
      const flow = await Flow.mount({ scenario });
      await flow.toCredentials();
      await flow.submitCredentials('acme', key);
      await flow.idle();
      const events = flow.eventsOf<ConduitErrorEvent>('conduit-error');
      expect(events.map((event) => event.code)).to.deep.equal([code]);
      for (const event of events) expect(event.message).to.not.match(ROLE_WORDS);
      expect(flow.text).to.not.match(ROLE_WORDS);
    });
  }
});
