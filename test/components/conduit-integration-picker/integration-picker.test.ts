import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { render } from 'lit';
import { catalogue, longCatalogue } from '../../../mocks/catalogue.js';
import type { ConduitIntegrationPicker, ConduitIntegrationSelectEvent, Integration } from '../../../src/index.js';
import { describeFocus, isRendered, nameOf, textOf } from '../../a11y.js';
import { readsLeftToRight } from '../../bidi.js';
import { mountScreen, mountStep, recordEvents, Screen } from '../../harness.js';
import { plain } from '../../wording.js';

// A one-pixel SVG the browser can load, and an image it cannot decode.
const WORKING_LOGO = `data:image/svg+xml,${encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>')}`;
const BROKEN_LOGO = 'data:image/png;base64,bm90IGFuIGltYWdl';

function mountPicker(integrations: Integration[]) {
  return mountScreen<ConduitIntegrationPicker>(html`<conduit-integration-picker .integrations=${integrations}></conduit-integration-picker>`);
}

/** Mounts the picker inside another component's shadow root, as a partner's own element would. */
async function mountInsideShadowRoot(integrations: Integration[]) {
  const host = await fixture<HTMLDivElement>(html`<div></div>`);
  const shadow = host.attachShadow({ mode: 'open' });
  render(html`<conduit-integration-picker .integrations=${integrations}></conduit-integration-picker>`, shadow);
  const element = shadow.firstElementChild as ConduitIntegrationPicker;
  const screen = new Screen(element);
  await screen.settle();
  return { host, element, screen };
}

/** The picker standalone on an Arabic page, right to left; resolves once it speaks Arabic. */
async function mountInArabic(integrations: Integration[]) {
  const holder = await fixture<HTMLDivElement>(html`<div lang="ar" dir="rtl"></div>`);
  render(html`<conduit-integration-picker .integrations=${integrations}></conduit-integration-picker>`, holder);
  const element = holder.firstElementChild as ConduitIntegrationPicker;
  const screen = new Screen(element);
  await waitUntil(async () => (await screen.has('searchbox', 'البحث في المنصات')), 'the picker never spoke Arabic');
  await screen.settle();
  return { element, screen };
}

/** What the live status regions say, however many there are. */
async function statusText(screen: Screen): Promise<string> {
  return plain(
    (await screen.all('status'))
      .map(textOf)
      .filter(Boolean)
      .join(' '),
  );
}

async function tileNames(screen: Screen): Promise<string[]> {
  return (await screen.nodes('radio')).map((radio) => radio.name);
}

/** The names of the checked radios. */
async function checkedTiles(screen: Screen): Promise<string[]> {
  return (await screen.nodes<HTMLInputElement>('radio')).filter((radio) => radio.element.checked).map((radio) => radio.name);
}

/** What the user sees on a tile: its whole visible face, monogram included. */
async function tileFace(screen: Screen, name: string | RegExp): Promise<string> {
  return textOf((await screen.field(name)).labels![0]!);
}

async function tileImages(screen: Screen, name: string | RegExp): Promise<HTMLImageElement[]> {
  const tile = (await screen.field(name)).labels![0]!;
  return Array.from(tile.getElementsByTagName('img')).filter(isRendered);
}

describe('<conduit-integration-picker> standalone', () => {
  describe('tiles', () => {
    it('shows a tile only for each enabled integration', async () => {
      const { screen } = await mountPicker(longCatalogue);
      expect((await tileNames(screen)).map((name) => name.replace(/ Beta$/, ''))).to.deep.equal([
        'Chargify',
        'Chargebee',
        'Recurly',
        'Zuora',
        'Paddle',
        'Stripe Billing',
        'Maxio SaaSOptics',
        'Lago',
      ]);
      expect(screen.text).not.to.include('Legacy Billing');
    });

    it('offers only Chargify from the backend catalogue, where the others are disabled', async () => {
      const { screen } = await mountPicker(catalogue);
      expect(await tileNames(screen)).to.deep.equal(['Chargify']);
      expect(screen.text).not.to.include('Recurly');
      expect(screen.text).not.to.include('Zuora');
    });

    it('presents the tiles as one group of radio buttons named "Platforms"', async () => {
      const { screen } = await mountPicker(longCatalogue);
      const group = await screen.get('group', 'Platforms');
      expect(await screen.all('radio')).to.have.length(8);
      for (const radio of await screen.all('radio')) expect(group.contains(radio)).to.equal(true);
      expect((await screen.get('heading')).textContent!.trim()).to.equal('Choose your billing platform');
    });

    it('shows a monogram instead of a logo when an integration has no logoUrl', async () => {
      const { screen } = await mountPicker(longCatalogue);
      expect(await tileImages(screen, /^Stripe Billing/)).to.have.length(0);
      expect(await tileFace(screen, /^Stripe Billing/)).to.equal('SB Stripe Billing');
      expect(await tileFace(screen, /^Chargify/)).to.equal('C Chargify');
      // The monogram is decoration: the radio is named by the platform's name alone.
      expect(await nameOf(await screen.field(/^Stripe Billing/))).to.equal('Stripe Billing');
    });

    it('shows the logo, and no monogram, when the logo loads', async () => {
      const { screen } = await mountPicker([{ ...catalogue[0]!, logoUrl: WORKING_LOGO }]);
      await waitUntil(async () => (await tileImages(screen, 'Chargify'))[0]?.complete, 'logo never loaded');
      await screen.settle();
      expect(await tileImages(screen, 'Chargify')).to.have.length(1);
      expect(await tileFace(screen, 'Chargify')).to.equal('Chargify');
    });

    it('falls back to the monogram when the logo image fails to load', async () => {
      const { screen } = await mountPicker([{ ...catalogue[0]!, logoUrl: BROKEN_LOGO }, { ...longCatalogue[5]!, logoUrl: BROKEN_LOGO }]);
      await waitUntil(async () => (await tileImages(screen, /^Stripe Billing/)).length === 0, 'the broken logo stayed on screen');
      await waitUntil(async () => (await tileImages(screen, 'Chargify')).length === 0, 'the broken logo stayed on screen');
      await screen.settle();
      expect(await tileFace(screen, 'Chargify')).to.equal('C Chargify');
      expect(await tileFace(screen, /^Stripe Billing/)).to.equal('SB Stripe Billing');
    });

    it('marks beta integrations with a Beta badge, and only those', async () => {
      const { screen } = await mountPicker(longCatalogue);
      expect(await tileFace(screen, /^Zuora/)).to.match(/\bBeta$/);
      expect(await tileFace(screen, /^Maxio SaaSOptics/)).to.match(/\bBeta$/);
      for (const name of ['Chargify', 'Chargebee', 'Recurly', 'Paddle', 'Stripe Billing', 'Lago']) {
        expect(await tileFace(screen, name), name).not.to.include('Beta');
      }
      expect(screen.blocks.filter((block) => block === 'Beta')).to.have.length(2);
    });
  });

  describe('search', () => {
    it('is not offered with six enabled integrations or fewer', async () => {
      const six = longCatalogue.filter((integration) => integration.enabled).slice(0, 6);
      const { screen } = await mountPicker(six);
      expect(await tileNames(screen)).to.have.length(6);
      expect(await screen.has('searchbox')).to.equal(false);
      expect(screen.text).not.to.include('Search platforms');
    });

    it('does not count disabled integrations towards the threshold', async () => {
      const sixPlusDisabled = [...longCatalogue.filter((integration) => integration.enabled).slice(0, 6), ...catalogue.slice(1)];
      const { screen } = await mountPicker(sixPlusDisabled.map((integration, i) => ({ ...integration, key: `k${i}` })));
      expect(await screen.has('searchbox')).to.equal(false);
    });

    it('is offered with seven enabled integrations', async () => {
      const seven = longCatalogue.filter((integration) => integration.enabled).slice(0, 7);
      const { screen } = await mountPicker(seven);
      expect(await screen.has('searchbox', 'Search platforms')).to.equal(true);
    });

    it('filters the tiles by name as the user types, ignoring case', async () => {
      const { screen } = await mountPicker(longCatalogue);
      (await screen.get('searchbox', 'Search platforms')).focus();
      await sendKeys({ type: 'CHARG' });
      await screen.settle();
      expect(await tileNames(screen)).to.deep.equal(['Chargify', 'Chargebee']);

      await sendKeys({ type: 'ify' });
      await screen.settle();
      expect(await tileNames(screen)).to.deep.equal(['Chargify']);
    });

    it('matches anywhere in the name', async () => {
      const { screen } = await mountPicker(longCatalogue);
      await screen.fill('Search platforms', 'billing');
      expect(await tileNames(screen)).to.deep.equal(['Stripe Billing']);
    });

    it('says so when nothing matches, and shows every tile again when the search is cleared', async () => {
      const { screen } = await mountPicker(longCatalogue);
      await screen.fill('Search platforms', '  xero  ');
      expect(await tileNames(screen)).to.deep.equal([]);
      expect(await statusText(screen)).to.equal('No platforms match “xero”.');

      await screen.fill('Search platforms', '');
      expect(await tileNames(screen)).to.have.length(8);
      expect(await statusText(screen)).to.equal('');
      expect(screen.text).not.to.include('No platforms match');
    });

    it('tells screen readers about no match through a live region that was already there', async () => {
      // A role=status element inserted together with its message is not reliably
      // announced; the region has to exist before its content changes (WCAG 4.1.3).
      const { screen } = await mountPicker(longCatalogue);
      const before = await screen.all('status');
      expect(before.length, 'live regions before searching').to.be.greaterThan(0);
      await screen.fill('Search platforms', 'xero');
      const after = (await screen.all('status')).filter((region) => plain(textOf(region)) === 'No platforms match “xero”.');
      expect(after.length).to.equal(1);
      expect(before.includes(after[0]!), 'the message appeared in a region that was there before').to.equal(true);
    });
  });

  describe('search, announced', () => {
    it('says how many platforms match while the user types, in a live region that was already there', async () => {
      const { screen } = await mountPicker(longCatalogue);
      const regions = await screen.all('status');
      (await screen.get('searchbox', 'Search platforms')).focus();
      await sendKeys({ type: 'a' });
      await screen.settle();
      expect(await tileNames(screen)).to.have.length(6);
      expect(await statusText(screen)).to.equal('6 platforms match.');
      await sendKeys({ type: 'r' });
      await screen.settle();
      expect(await tileNames(screen)).to.deep.equal(['Chargify', 'Chargebee']);
      // English has no dual: two is "other".
      expect(await statusText(screen)).to.equal('2 platforms match.');
      await sendKeys({ type: 'gi' });
      await screen.settle();
      expect(await statusText(screen)).to.equal('One platform matches.');
      const speaking = regions.filter((region) => plain(textOf(region)) === 'One platform matches.');
      expect(speaking, 'the count is said in a region that was there before the search').to.have.length(1);

      // No search, nothing to count: the full list says nothing.
      await screen.fill('Search platforms', '');
      expect(await statusText(screen)).to.equal('');
    });

    it('counts in the plural forms of the language: Arabic’s one, two, few and many', async () => {
      // Plan A, Plan AA … Plan AAAAAAAAAAAA: a search for n letters A leaves 13 − n plans.
      const plans = Array.from({ length: 12 }, (_, i) => ({ ...longCatalogue[0]!, key: `plan-${i}`, name: `Plan ${'A'.repeat(i + 1)}` }));
      const { screen } = await mountInArabic(plans);
      const said: string[] = [];
      for (const letters of [12, 11, 10, 2]) {
        await screen.fill('البحث في المنصات', 'A'.repeat(letters));
        said.push(await statusText(screen));
      }
      // The count in the locale's own digits, as the flow formats every number.
      const [three, eleven] = [3, 11].map((count) => new Intl.NumberFormat('ar').format(count));
      expect(said).to.deep.equal(['منصة واحدة مطابقة.', 'منصتان مطابقتان.', `${three} منصات مطابقة.`, `${eleven} منصة مطابقة.`]);
    });

    it('keeps a search for “C++” in its own order inside an Arabic sentence', async () => {
      const { screen } = await mountInArabic(longCatalogue);
      await screen.fill('البحث في المنصات', 'C++');
      expect(await statusText(screen)).to.equal('لا توجد منصات تطابق «C++».');
      // Where the user sees each character: C first, then the two pluses.
      expect(readsLeftToRight(screen.root, 'C++'), '“C++” shows as “++C”').to.equal(true);
    });
  });

  describe('empty catalogue', () => {
    it('says no platform is available when the catalogue is empty', async () => {
      const { screen } = await mountPicker([]);
      expect(await statusText(screen)).to.equal('No platforms are available to connect right now.');
      expect(await screen.all('radio')).to.have.length(0);
      expect((await screen.button('Next')).disabled).to.equal(true);
    });

    it('says the same when every integration is disabled', async () => {
      const { screen } = await mountPicker(catalogue.map((integration) => ({ ...integration, enabled: false })));
      expect(await statusText(screen)).to.equal('No platforms are available to connect right now.');
      expect(await screen.all('radio')).to.have.length(0);
    });
  });

  describe('choosing and Next', () => {
    it('keeps Next disabled until an integration is chosen', async () => {
      const { element, screen } = await mountPicker(longCatalogue);
      const events = recordEvents(element.parentElement!, 'conduit-integration-select');
      expect((await screen.button('Next')).disabled).to.equal(true);
      (await screen.button('Next')).click();
      await screen.settle();
      expect(events).to.have.length(0);

      await screen.choose(/^Chargebee/);
      expect((await screen.field(/^Chargebee/)).checked).to.equal(true);
      expect((await screen.button('Next')).disabled).to.equal(false);
    });

    it('fires conduit-integration-select once, with the key, when Next is pressed', async () => {
      const { host, screen } = await mountInsideShadowRoot(longCatalogue);
      // Listening outside the shadow root the picker lives in: only a bubbling, composed event gets here.
      const events = recordEvents<ConduitIntegrationSelectEvent>(document, 'conduit-integration-select');
      const atHost = recordEvents(host, 'conduit-integration-select');
      await screen.choose(/^Zuora/);
      expect(events).to.have.length(0);

      await screen.click('Next');
      expect(events).to.have.length(1);
      expect(atHost).to.have.length(1);
      expect(events[0]!.integrationKey).to.equal('zuora');
      expect(events[0]!.bubbles).to.equal(true);
      expect(events[0]!.composed).to.equal(true);
    });

    it('sends the last choice when the user changes their mind', async () => {
      const { element, screen } = await mountPicker(longCatalogue);
      const events = recordEvents<ConduitIntegrationSelectEvent>(element.parentElement!, 'conduit-integration-select');
      await screen.choose(/^Zuora/);
      await screen.choose('Chargify');
      expect((await screen.field(/^Zuora/)).checked).to.equal(false);
      await screen.click('Next');
      expect(events.map((event) => event.integrationKey)).to.deep.equal(['chargify']);
    });

    it('shows a preselected integration as chosen', async () => {
      const element = await mountStep<ConduitIntegrationPicker>(
        html`<conduit-integration-picker selected="chargebee" .integrations=${longCatalogue}></conduit-integration-picker>`,
      );
      const screen = new Screen(element);
      expect((await screen.field('Chargebee')).checked).to.equal(true);
      expect((await screen.button('Next')).disabled).to.equal(false);
    });
  });

  describe('keyboard', () => {
    it('is one tab stop: Tab enters the group, arrows move the selection, Tab leaves for Next', async () => {
      const { element, screen } = await mountPicker(longCatalogue);
      const events = recordEvents<ConduitIntegrationSelectEvent>(element.parentElement!, 'conduit-integration-select');
      element.focusHeading();
      expect(await describeFocus()).to.equal('heading "Choose your billing platform"');

      await sendKeys({ press: 'Tab' });
      expect(await describeFocus()).to.equal('searchbox "Search platforms"');

      await sendKeys({ press: 'Tab' });
      expect(await describeFocus()).to.equal('radio "Chargify"');

      await sendKeys({ press: 'ArrowDown' });
      await screen.settle();
      expect(await describeFocus()).to.equal('radio "Chargebee"');
      expect(await checkedTiles(screen)).to.deep.equal(['Chargebee']);

      await sendKeys({ press: 'ArrowRight' });
      await screen.settle();
      expect(await describeFocus()).to.equal('radio "Recurly"');
      expect(await checkedTiles(screen)).to.deep.equal(['Recurly']);

      await sendKeys({ press: 'ArrowUp' });
      await screen.settle();
      expect(await describeFocus()).to.equal('radio "Chargebee"');
      expect((await screen.button('Next')).disabled).to.equal(false);

      await sendKeys({ press: 'Tab' });
      expect(await describeFocus()).to.equal('button "Next"');

      await sendKeys({ press: 'Shift+Tab' });
      expect(await describeFocus()).to.equal('radio "Chargebee"');
      expect(events).to.have.length(0);
    });

    it('goes straight from the heading to the tiles when there is no search box', async () => {
      const { element, screen } = await mountPicker(longCatalogue.slice(0, 3));
      element.focusHeading();
      await sendKeys({ press: 'Tab' });
      expect(await describeFocus()).to.equal('radio "Chargify"');
      await sendKeys({ press: 'ArrowLeft' });
      await screen.settle();
      // Arrows wrap around, as in any radio group.
      expect(await describeFocus()).to.equal('radio "Recurly"');
      expect((await screen.field('Recurly')).checked).to.equal(true);
    });

    it('selects with Space and submits with Enter on the chosen tile', async () => {
      const { element, screen } = await mountPicker(longCatalogue);
      const events = recordEvents<ConduitIntegrationSelectEvent>(element.parentElement!, 'conduit-integration-select');
      (await screen.field('Chargify')).focus();
      await sendKeys({ press: 'Space' });
      await screen.settle();
      expect((await screen.field('Chargify')).checked).to.equal(true);

      await sendKeys({ press: 'Enter' });
      await screen.settle();
      expect(events.map((event) => event.integrationKey)).to.deep.equal(['chargify']);
    });

    it('submits with Enter after choosing with the arrow keys', async () => {
      const { element, screen } = await mountPicker(longCatalogue);
      const events = recordEvents<ConduitIntegrationSelectEvent>(element.parentElement!, 'conduit-integration-select');
      (await screen.field('Chargify')).focus();
      await sendKeys({ press: 'ArrowDown' });
      await sendKeys({ press: 'Enter' });
      await screen.settle();
      expect(events.map((event) => event.integrationKey)).to.deep.equal(['chargebee']);
    });

    it('does nothing on Enter while nothing is chosen', async () => {
      const { element, screen } = await mountPicker(longCatalogue);
      const events = recordEvents(element.parentElement!, 'conduit-integration-select');
      (await screen.get('searchbox', 'Search platforms')).focus();
      await sendKeys({ press: 'Enter' });
      await screen.settle();
      expect(events).to.have.length(0);
    });
  });

  describe('accessibility', () => {
    it('has no axe violations with the long catalogue', async () => {
      const { element } = await mountPicker(longCatalogue);
      await expect(element).to.be.accessible();
    });

    it('has no axe violations with a choice made', async () => {
      const { element, screen } = await mountPicker(longCatalogue);
      await screen.choose(/^Zuora/);
      await expect(element).to.be.accessible();
    });

    it('has no axe violations when nothing matches the search', async () => {
      const { element, screen } = await mountPicker(longCatalogue);
      await screen.fill('Search platforms', 'xero');
      await expect(element).to.be.accessible();
    });

    it('has no axe violations with an empty catalogue', async () => {
      const { element } = await mountPicker([]);
      await expect(element).to.be.accessible();
    });

    it('has no axe violations with logos and broken logos', async () => {
      const { element, screen } = await mountPicker([
        { ...catalogue[0]!, logoUrl: WORKING_LOGO },
        { ...longCatalogue[1]!, logoUrl: BROKEN_LOGO },
      ]);
      await waitUntil(async () => (await tileImages(screen, 'Chargebee')).length === 0, 'the broken logo stayed on screen');
      await expect(element).to.be.accessible();
    });
  });
});
