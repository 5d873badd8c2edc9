import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { ConduitConsentEvent, ConduitPermissions } from '../../../src/index.js';
import { describeFocus, textOf } from '../../a11y.js';
import { readsLeftToRight, renderedRuns } from '../../bidi.js';
import { mountScreen, recordEvents, Screen } from '../../harness.js';
import { isolate, plain } from '../../wording.js';

const SCOPES = [
  'Site information: name, currency and settings',
  'Customers',
  'Subscriptions',
  'Products and product families',
  'Invoices',
  'Payments and transactions',
];

/** The headings as the user reads them. */
async function headings(screen: Screen): Promise<string[]> {
  return (await screen.all('heading')).map((heading) => plain(textOf(heading)));
}

async function mountPermissions(partnerName?: string) {
  const { element, screen } = await mountScreen<ConduitPermissions>(
    partnerName === undefined
      ? html`<conduit-permissions></conduit-permissions>`
      : html`<conduit-permissions partner-name=${partnerName}></conduit-permissions>`,
  );
  const consents = recordEvents<ConduitConsentEvent>(element.parentElement!, 'conduit-consent');
  return { element, screen, consents };
}

describe('<conduit-permissions> standalone', () => {
  describe('what the user reads', () => {
    it('is titled "Connect to Chargify"', async () => {
      const { element, screen } = await mountPermissions('Northwind Capital');
      expect((await headings(screen))[0]).to.equal('Connect to Chargify');
      expect(plain(element.headingText)).to.equal('Connect to Chargify');
    });

    it('names the partner and lists the six kinds of data it will read', async () => {
      const { screen } = await mountPermissions('Northwind Capital');
      expect(plain(screen.text)).to.include('Northwind Capital will be able to read this data from your Chargify account:');
      expect(await screen.all('list')).to.have.length(1);
      expect((await screen.all('listitem')).map(textOf)).to.deep.equal(SCOPES);
    });

    it('says the key gives full access, and that reading only is the partner’s commitment', async () => {
      const { screen } = await mountPermissions('Northwind Capital');
      expect(textOf(await screen.get('heading', 'What the API key allows'))).to.equal('What the API key allows');
      expect(screen.blocks.map(plain)).to.include('A Chargify API key gives full access to your site: Chargify has no read-only keys.');
      expect(screen.blocks.map(plain)).to.include('Northwind Capital commits to reading only the data listed above.');
    });

    it('promises nothing Chargify or the flow does not do', async () => {
      const { screen } = await mountPermissions('Northwind Capital');
      // Chargify has no read-only keys, and the flow offers no Disconnect.
      expect(screen.text).to.not.match(/read-only access|can't create, change or delete|disconnect/i);
      expect(await screen.has('heading', 'Read-only access')).to.equal(false);
    });

    it('says why the data is needed', async () => {
      const { screen } = await mountPermissions('Northwind Capital');
      expect(await screen.has('heading', 'Why this is needed')).to.equal(true);
      expect(plain(screen.text)).to.include(
        'Northwind Capital uses it to understand your billing, subscriptions and revenue, so it can offer you its services.',
      );
    });

    it('says how to stay in control: a key just for the partner, deleted in Chargify to cut access', async () => {
      const { screen } = await mountPermissions('Northwind Capital');
      expect(await screen.has('heading', 'Staying in control')).to.equal(true);
      expect(screen.blocks.map(plain)).to.include(
        "Create a key just for Northwind Capital, named after it. To cut Northwind Capital's access at any time, delete that key in Chargify under Config → Integrations → API Keys.",
      );
    });

    it('shows the sections in order: the data, what the key allows, why, staying in control', async () => {
      const { screen } = await mountPermissions('Northwind Capital');
      expect(await headings(screen)).to.deep.equal([
        'Connect to Chargify',
        'What the API key allows',
        'Why this is needed',
        'Staying in control',
      ]);
    });

    it('falls back to "This app" without a partner name', async () => {
      const { screen } = await mountPermissions();
      const text = plain(screen.text);
      expect(text).to.include('This app will be able to read this data from your Chargify account:');
      expect(text).to.include('This app commits to reading only the data listed above.');
      expect(text).to.include("Create a key just for This app, named after it. To cut This app's access at any time");
    });

    it('follows a change of partner-name', async () => {
      const { element, screen } = await mountPermissions('Northwind Capital');
      element.setAttribute('partner-name', 'Contoso Lending');
      await screen.settle();
      expect(plain(screen.text)).to.include('Contoso Lending will be able to read this data');
      expect(screen.text).not.to.include('Northwind Capital');
    });
  });

  describe('consent', () => {
    it('fires conduit-consent once on Next, with the integration, locale and an ISO time', async () => {
      const { screen, consents } = await mountPermissions('Northwind Capital');
      const before = Date.now();
      await screen.click('Next');
      const after = Date.now();

      expect(consents).to.have.length(1);
      const consent = consents[0]!;
      expect(consent.bubbles).to.equal(true);
      expect(consent.composed).to.equal(true);
      expect(consent.integrationKey).to.equal('chargify');
      expect(consent.locale).to.equal('en');
      expect(consent.acceptedAt).to.match(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
      expect(new Date(consent.acceptedAt).toISOString()).to.equal(consent.acceptedAt);
      const accepted = Date.parse(consent.acceptedAt);
      expect(accepted).to.be.within(before, after);
    });

    it('records exactly the statements the user was shown, in order', async () => {
      const { screen, consents } = await mountPermissions('Northwind Capital');
      const shown = screen.blocks.map(plain).filter((block) => block !== 'Next');
      await screen.click('Next');

      const lines = plain(consents[0]!.text).split('\n');
      expect(lines.map((line) => line.replace(/^- /, ''))).to.deep.equal(shown);
      // Each data scope is recorded as a list item.
      expect(lines.filter((line) => line.startsWith('- '))).to.deep.equal(SCOPES.map((scope) => `- ${scope}`));
      expect(lines).to.deep.equal([
        'Connect to Chargify',
        'Northwind Capital will be able to read this data from your Chargify account:',
        ...SCOPES.map((scope) => `- ${scope}`),
        'What the API key allows',
        'A Chargify API key gives full access to your site: Chargify has no read-only keys.',
        'Northwind Capital commits to reading only the data listed above.',
        'Why this is needed',
        'Northwind Capital uses it to understand your billing, subscriptions and revenue, so it can offer you its services.',
        'Staying in control',
        "Create a key just for Northwind Capital, named after it. To cut Northwind Capital's access at any time, delete that key in Chargify under Config → Integrations → API Keys.",
      ]);
      // Nothing the key cannot enforce, and no Disconnect the flow does not offer.
      expect(consents[0]!.text).to.not.match(/read-only access|can't create, change or delete|disconnect/i);
    });

    it('records the fallback wording when there is no partner name', async () => {
      const { screen, consents } = await mountPermissions();
      const shown = screen.blocks.map(plain).filter((block) => block !== 'Next');
      await screen.click('Next');
      const lines = plain(consents[0]!.text).split('\n').map((line) => line.replace(/^- /, ''));
      expect(lines).to.deep.equal(shown);
      expect(lines).to.include('This app will be able to read this data from your Chargify account:');
    });

    it('records each sentence with its values isolated, character for character as rendered', async () => {
      const { element, screen, consents } = await mountPermissions('Acme Inc.');
      const rendered = renderedRuns(element).filter((run) => run !== 'Next');
      await screen.click('Next');
      const lines = consents[0]!.text.split('\n').map((line) => line.replace(/^- /, ''));
      expect(lines).to.deep.equal(rendered);
      expect(lines[1]).to.equal(`${isolate('Acme Inc.')} will be able to read this data from your ${isolate('Chargify')} account:`);
    });

    it('in Arabic, shows “Acme Inc.” with its full stop at its end, and records the sentence as shown', async () => {
      const holder = await fixture<HTMLDivElement>(html`<div lang="ar" dir="rtl"><conduit-permissions partner-name="Acme Inc."></conduit-permissions></div>`);
      const element = holder.firstElementChild as ConduitPermissions;
      const screen = new Screen(element);
      const consents = recordEvents<ConduitConsentEvent>(holder, 'conduit-consent');
      await waitUntil(() => plain(screen.text).includes('سيتمكّن Acme Inc. من'), `the step never spoke Arabic: ${screen.text}`);
      await screen.settle();
      expect(readsLeftToRight(element, 'Acme Inc.'), '“Acme Inc.” shows as “.Acme Inc”').to.equal(true);
      const rendered = renderedRuns(element);
      await screen.click('التالي');
      const lines = consents[0]!.text.split('\n').map((line) => line.replace(/^- /, ''));
      expect(lines).to.deep.equal(rendered.filter((run) => run !== 'التالي'));
      expect(lines[1]).to.include(isolate('Acme Inc.'));
    });

    it('records the integration the step is for', async () => {
      const { element, screen, consents } = await mountPermissions('Northwind Capital');
      element.setAttribute('integration-key', 'chargify-eu-test');
      await screen.settle();
      await screen.click('Next');
      expect(consents[0]!.integrationKey).to.equal('chargify-eu-test');
    });

    it('fires nothing until the user presses Next', async () => {
      const { consents } = await mountPermissions('Northwind Capital');
      expect(consents).to.have.length(0);
    });

    it('can be accepted from the keyboard', async () => {
      const { element, screen, consents } = await mountPermissions('Northwind Capital');
      element.focusHeading();
      await sendKeys({ press: 'Tab' });
      expect(await describeFocus()).to.equal('button "Next"');
      await sendKeys({ press: 'Enter' });
      await screen.settle();
      expect(consents).to.have.length(1);
    });
  });

  describe('accessibility', () => {
    it('has no axe violations with a partner name', async () => {
      const { element } = await mountPermissions('Northwind Capital');
      await expect(element).to.be.accessible();
    });

    it('has no axe violations without a partner name', async () => {
      const { element } = await mountPermissions();
      await expect(element).to.be.accessible();
    });
  });
});
