// Languages, as a user and a partner meet them: every step in every shipped
// language with no English left over, how the language is chosen, switching
// it mid-flow, the partner's own wording (`texts`), a host page that uses
// @lit/localize itself, right-to-left Arabic, and the consent record.
//
// The flow is driven by the names the user reads, so in a target language the
// names of the few controls a test presses come from that language's catalogue.
import { expect, waitUntil } from '@open-wc/testing';
import { configureLocalization } from '@lit/localize';
import type { ConduitConsentEvent, ConduitErrorEvent } from '../src/index.js';
import type { ConduitTexts } from '../src/localization/localization.js';
import { targetLocales } from '../src/localization/generated/locale-codes.js';
import { DEMO_KEYS } from '../mocks/chargify.js';
import { allByRole, escapeRegExp, isRendered, matches, normalise, type Matcher } from './a11y.js';
import { captureConsole, languageOf, type ConsoleCapture } from './flow-helpers.js';
import { backend, Flow, Screen, type FlowOptions } from './harness.js';
import { waitFor } from './wait.js';
import { ENGLISH, plain, sayIn, TARGET_LOCALES, type Say, type TargetLocale } from './wording.js';

// ---------------------------------------------------------------------------
// Reading what the flow shows
// ---------------------------------------------------------------------------

/** The languages the flow marks its headings and live regions with (the frame's lang). */
async function languagesShown(flow: Flow): Promise<string[]> {
  const marked = await allByRole(flow.element, 'heading');
  marked.push(...(await allByRole(flow.element, 'status')));
  return [...new Set(marked.map(languageOf))];
}

const NAME_ATTRIBUTES = ['aria-label', 'alt', 'title', 'placeholder'];

/**
 * Every run of text a user reads or hears, through shadow roots: rendered text
 * (visually hidden text included) and the accessible names given by attributes.
 */
function readableTexts(root: Element): string[] {
  const found: string[] = [];
  const visit = (node: Node) => {
    if (node.nodeType === Node.TEXT_NODE) {
      const parent = node.parentElement;
      if (parent && isRendered(parent)) found.push(plain(normalise(node.textContent ?? '')));
      return;
    }
    if (node instanceof Element) {
      if (isRendered(node)) {
        for (const name of NAME_ATTRIBUTES) if (node.getAttribute(name)) found.push(plain(normalise(node.getAttribute(name)!)));
      }
      if (node.shadowRoot) visit(node.shadowRoot);
    }
    node.childNodes.forEach(visit);
  };
  visit(root);
  return found.filter(Boolean);
}

/** A run of text cut into sentences and labels: the unit a translation could miss. */
function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?:…])\s+/)
    .map((part) => part.trim())
    .filter((part) => /\p{L}/u.test(part));
}

// Words that are the same in every language: names, not messages.
const NAMES: ReadonlySet<string> = new Set([
  'Chargify',
  'Maxio',
  'Northwind Capital',
  'Acme Inc',
  'Euro Shop GmbH',
  'acme',
  'API',
  'ID',
  'New API Key',
  'Config → Integrations → API Keys',
]);
const HOST_NAME = /^\.?[a-z0-9-]+(\.[a-z0-9-]+)+$/;
const MONOGRAM = /^[A-Z]{1,2}$/;
const SUPPORT_REFERENCE = /^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/i;
// The hand-off link: a URL, the same in every language.
const URL_TEXT = /^https:\/\/\S+$/;

// Messages a language really words as English does.
const SAME_IN: Readonly<Partial<Record<TargetLocale, readonly string[]>>> = {
  de: ['Region', 'Site', 'Status'],
  fr: ['Europe', 'Site'],
  nl: ['Platforms', 'Site', 'Status'],
  'pt-BR': ['Site', 'Status'],
};

function mayStayEnglish(sentence: string, locale: TargetLocale): boolean {
  return (
    NAMES.has(sentence) ||
    HOST_NAME.test(sentence) ||
    MONOGRAM.test(sentence) ||
    SUPPORT_REFERENCE.test(sentence) ||
    URL_TEXT.test(sentence) ||
    (SAME_IN[locale] ?? []).includes(sentence)
  );
}

/** `text` as whole words; a number stands for any number, in any digits (Arabic ones included). */
function asWords(text: string): RegExp {
  const pattern = escapeRegExp(text).replace(/\d+/g, '\\p{N}+');
  return new RegExp(`(?<![\\p{L}\\p{N}])${pattern}(?![\\p{L}\\p{N}])`, 'u');
}

const WORD = /[\p{L}\p{N}]+(?:['’]\p{L}+)*/gu;
const NAME_WORDS: ReadonlySet<string> = new Set(
  [...NAMES, 'acme.chargify.com', 'ebilling.maxio.com'].flatMap((name) => name.match(WORD) ?? []),
);
const PHRASE_WORDS = 3;

/**
 * Runs of three words of a sentence, at least two of them ordinary English
 * words (not names, not numbers): what is left of an untranslated message
 * whose values (a duration, a region) are translated.
 */
function phrases(sentence: string): string[] {
  const words = [...sentence.matchAll(WORD)];
  const found: string[] = [];
  for (let i = 0; i + PHRASE_WORDS <= words.length; i++) {
    const run = words.slice(i, i + PHRASE_WORDS);
    const ordinary = run.filter(([word]) => /\p{L}/u.test(word) && !NAME_WORDS.has(word));
    if (ordinary.length < 2) continue;
    const last = run.at(-1)!;
    found.push(sentence.slice(run[0]!.index, last.index + last[0].length));
  }
  return found;
}

/**
 * The sentences of `source` (English, or the language before a switch) still
 * read in the rendering in `locale`: whole, or in part (three words in a row)
 * around translated values.
 */
function leftOvers(source: readonly string[], translated: readonly string[], locale: TargetLocale): string[] {
  const text = translated.join('\n');
  const leftOvers: string[] = [];
  for (const sentence of new Set(source.flatMap(sentences))) {
    if (mayStayEnglish(sentence, locale)) continue;
    if (asWords(sentence).test(text)) leftOvers.push(sentence);
    else if (phrases(sentence).some((phrase) => asWords(phrase).test(text))) leftOvers.push(`${sentence} (in part)`);
  }
  return leftOvers;
}

// ---------------------------------------------------------------------------
// Driving the flow in any language
// ---------------------------------------------------------------------------

async function toPermissions(flow: Flow, say: Say): Promise<void> {
  await flow.choose('Chargify');
  await flow.click(say('conduit.common.next'));
  await flow.waitForStep('permissions');
}

async function toCredentials(flow: Flow, say: Say): Promise<void> {
  await toPermissions(flow, say);
  await flow.click(say('conduit.common.next'));
  await flow.waitForStep('credentials');
}

async function submit(flow: Flow, say: Say, subdomain: string, apiKey: string): Promise<void> {
  await flow.fill(say('conduit.credentials.subdomainLabel'), subdomain);
  await flow.fill(say('conduit.credentials.keyLabel'), apiKey);
  await flow.click(say('conduit.credentials.submit'));
}

/** Submits, then waits for the backend's verdict: an error reported, or another step. */
async function submitAndAwaitAnswer(flow: Flow, say: Say, subdomain: string, apiKey: string, timeout = 5000): Promise<void> {
  const reported = flow.eventsOf('conduit-error').length;
  await submit(flow, say, subdomain, apiKey);
  await waitUntil(() => flow.eventsOf('conduit-error').length > reported || flow.step !== 'credentials', 'the backend never answered', {
    timeout,
  });
  await flow.settle();
}

function errorMessages(flow: Flow): string[] {
  return flow.eventsOf<ConduitErrorEvent>('conduit-error').map((event) => plain(event.message));
}

async function waitForLanguage(flow: Flow, locale: string): Promise<void> {
  await waitFor(
    async () => (await languagesShown(flow)).join() === locale,
    async () => `The flow never showed ${locale}; it is marked ${JSON.stringify(await languagesShown(flow))}: ${flow.text}`,
    { timeout: 3000 },
  );
  await flow.settle();
}

// ---------------------------------------------------------------------------
// Every state a user can meet, reached the same way in every language
// ---------------------------------------------------------------------------

interface State {
  name: string;
  /** What the state shows in English, so the reference proves the state was reached. */
  shows: readonly Matcher[];
  options?: FlowOptions;
  /** `Retry-After` of the mock backend's 429 and 503 answers. */
  retryAfterSeconds?: number;
  /** A modal flow: opened before anything is read. */
  modal?: boolean;
  reach?: (flow: Flow, say: Say) => Promise<void>;
}

const STATES: readonly State[] = [
  { name: 'loading', shows: ['Loading…'], options: { scenario: 'slow', noWait: true } },
  { name: 'picker', shows: ['Choose your billing platform', 'Step 1 of 4'] },
  { name: 'empty catalogue', shows: ['No platforms are available to connect right now.'], options: { scenario: 'empty' } },
  { name: 'permissions', shows: ['Connect to Chargify', 'Back'], reach: toPermissions },
  {
    name: 'credentials, idle, help open',
    shows: ["Only a Chargify site admin can create API keys. If you aren't one, ask a site admin to create a key for you."],
    reach: async (flow, say) => {
      await toCredentials(flow, say);
      const [help] = await allByRole(flow.element, 'button', say('conduit.credentials.helpTitle'));
      if (!help) throw new Error(`No “${say('conduit.credentials.helpTitle')}” disclosure in: ${flow.text}`);
      help.click();
      await flow.settle();
    },
  },
  {
    name: 'credentials, fields left empty',
    shows: ['Enter your Chargify subdomain.', 'Enter your API key.'],
    reach: async (flow, say) => {
      await toCredentials(flow, say);
      await flow.click(say('conduit.credentials.submit'));
    },
  },
  {
    name: 'credentials, malformed subdomain and a key id',
    shows: ['Use only letters, numbers and dashes, like acme.', "That looks like the key's ID, not the key."],
    reach: async (flow, say) => {
      await toCredentials(flow, say);
      await submit(flow, say, 'not valid!', '12345');
    },
  },
  {
    name: 'credentials, busy',
    shows: ['Connecting…', 'Checking your details with Chargify…'],
    options: { scenario: 'hang' },
    reach: async (flow, say) => {
      await toCredentials(flow, say);
      await submit(flow, say, 'acme', DEMO_KEYS.acmeAdmin);
      await waitUntil(() => flow.eventsOf('conduit-connection-started').length > 0, 'no connection started');
      await flow.settle();
    },
  },
  {
    name: 'credentials, key refused (invalid_credentials)',
    shows: ["Chargify didn't accept this API key for this site.", 'Copy support reference'],
    options: { scenario: 'error:invalid_credentials' },
    reach: async (flow, say) => {
      await toCredentials(flow, say);
      await submitAndAwaitAnswer(flow, say, 'acme', 'chg_not_the_key');
    },
  },
  {
    name: 'credentials, access refused (an unexpected 403)',
    shows: ['Chargify refused access to this site.', 'Copy support reference'],
    options: { scenario: 'error:access_refused' },
    reach: async (flow, say) => {
      await toCredentials(flow, say);
      await submitAndAwaitAnswer(flow, say, 'acme', DEMO_KEYS.acmeAdmin);
    },
  },
  {
    name: 'credentials, site data clearing with a countdown',
    shows: ["Chargify is clearing this site's data right now. Try again later.", /You can try again in 1(20|19) seconds\./],
    options: { scenario: 'error:site_data_clearing' },
    retryAfterSeconds: 120,
    reach: async (flow, say) => {
      await toCredentials(flow, say);
      await submitAndAwaitAnswer(flow, say, 'acme', DEMO_KEYS.acmeAdmin);
    },
  },
  {
    name: 'credentials, site in the other region',
    shows: ['This site exists in the Europe region.', 'Switch to the Europe region'],
    reach: async (flow, say) => {
      await toCredentials(flow, say);
      await submitAndAwaitAnswer(flow, say, 'euro-shop', DEMO_KEYS.euroShopAdmin);
    },
  },
  {
    name: 'credentials, rate limited with a countdown',
    shows: ['Chargify is getting too many requests for your site right now.', /You can try again in 1(20|19) seconds\./],
    options: { scenario: 'error:rate_limited' },
    retryAfterSeconds: 120,
    reach: async (flow, say) => {
      await toCredentials(flow, say);
      await submitAndAwaitAnswer(flow, say, 'acme', DEMO_KEYS.acmeAdmin);
    },
  },
  {
    name: 'credentials, too many attempts with a countdown',
    shows: ['Too many attempts to connect. For your security, wait before trying again.', /You can try again in 1(20|19) seconds\./],
    options: { scenario: 'error:too_many_attempts' },
    retryAfterSeconds: 120,
    reach: async (flow, say) => {
      await toCredentials(flow, say);
      await submitAndAwaitAnswer(flow, say, 'acme', DEMO_KEYS.acmeAdmin);
    },
  },
  {
    name: 'success (a test site)',
    shows: ['Chargify connected', 'Test site'],
    reach: async (flow, say) => {
      await toCredentials(flow, say);
      await flow.choose(new RegExp(`^${escapeRegExp(say('conduit.credentials.regionEU'))} `));
      await submitAndAwaitAnswer(flow, say, 'euro-shop', DEMO_KEYS.euroShopAdmin);
      await flow.waitForStep('success');
    },
  },
  { name: 'already connected', shows: ['Chargify is already connected', 'Replace API key', 'Last checked'], options: { scenario: 'connected' } },
  { name: 'deauthorized', shows: ['Chargify no longer accepts the key', 'Enter a new key'], options: { scenario: 'deauthorized' } },
  {
    name: 'disconnect confirmation',
    shows: ['Disconnect Acme Inc?'],
    options: { scenario: 'connected' },
    reach: async (flow, say) => {
      await flow.click(say('conduit.lifecycle.disconnect'));
      await flow.waitForStep('disconnect');
    },
  },
  {
    name: 'hand-off link',
    shows: ['Send this step to a colleague', 'Copy link'],
    options: { attributes: { 'handoff-url': 'https://partner.example/colleague' } },
    reach: async (flow, say) => {
      await toCredentials(flow, say);
      await flow.click(say('conduit.credentials.handoffOffer'));
      await flow.waitForStep('handoff');
    },
  },
  {
    name: 'session expired',
    shows: ['Your session has expired', 'Start again'],
    options: { scenario: 'error:session_expired' },
    reach: async (flow, say) => {
      await toCredentials(flow, say);
      await submitAndAwaitAnswer(flow, say, 'acme', DEMO_KEYS.acmeAdmin);
      await flow.waitForStep('error');
    },
  },
  {
    name: 'company not found',
    shows: ['Something went wrong', "We couldn't find your company's details."],
    options: { scenario: 'error:not_found' },
    reach: async (flow, say) => {
      await toCredentials(flow, say);
      await submitAndAwaitAnswer(flow, say, 'acme', DEMO_KEYS.acmeAdmin);
      await flow.waitForStep('error');
    },
  },
  {
    name: 'modal, asking before leaving',
    shows: ['Leave without connecting?', 'Connect your billing platform'],
    modal: true,
    reach: async (flow, say) => {
      await toPermissions(flow, say);
      await flow.click(say('conduit.link.close'));
    },
  },
];

interface Rendering {
  /** The languages the flow marked its text with. */
  languages: string[];
  texts: string[];
}

/** Mounts the flow in `locale`, brings it to `state`, reads it, and removes it (all our elements share one language). */
async function render(state: State, locale: string): Promise<Rendering> {
  backend.retryAfterSeconds = state.retryAfterSeconds ?? 0;
  const options = state.options ?? {};
  const attributes = { ...options.attributes, locale, ...(state.modal ? { mode: 'modal' } : {}) };
  const flow = await Flow.mount({ ...options, attributes, noWait: options.noWait || state.modal });
  try {
    if (state.modal) await flow.open('picker');
    await waitForLanguage(flow, locale);
    await state.reach?.(flow, sayIn(locale));
    await flow.settle();
    return { languages: await languagesShown(flow), texts: [...readableTexts(flow.element), ...errorMessages(flow)] };
  } finally {
    flow.element.remove();
    backend.retryAfterSeconds = 0;
  }
}

/** For each state, what is read in English that is still read in `locale`. */
async function englishLeftIn(locale: TargetLocale, english: ReadonlyMap<string, Rendering>): Promise<string[]> {
  const problems: string[] = [];
  for (const state of STATES) {
    const translated = await render(state, locale);
    if (translated.languages.join() !== locale) problems.push(`${state.name}: marked ${JSON.stringify(translated.languages)}`);
    for (const sentence of leftOvers(english.get(state.name)!.texts, translated.texts, locale)) {
      problems.push(`${state.name}: “${sentence}”`);
    }
  }
  return problems;
}

afterEach(() => {
  backend.retryAfterSeconds = 0;
});

// ---------------------------------------------------------------------------
// 1. Every state, every language, no English left
// ---------------------------------------------------------------------------

describe('<conduit-link> in every language: no English left', () => {
  const english = new Map<string, Rendering>();

  before(async function () {
    this.timeout(60_000);
    for (const state of STATES) english.set(state.name, await render(state, 'en'));
  });

  it('tests every locale the build ships', () => {
    expect([...targetLocales]).to.deep.equal([...TARGET_LOCALES]);
  });

  it('compares against English renderings that really reached each state', () => {
    for (const state of STATES) {
      const rendering = english.get(state.name)!;
      expect(rendering.languages, state.name).to.deep.equal(['en']);
      const text = rendering.texts.join('\n');
      for (const shown of state.shows) {
        const found = typeof shown === 'string' ? text.includes(shown) : matches(shown, text);
        expect(found, `${state.name} does not show “${String(shown)}”: ${text}`).to.equal(true);
      }
    }
  });

  it('notices a message left in English: whole, inside a translation, or around translated values (the check itself)', async () => {
    const state = STATES.find((candidate) => candidate.name === 'credentials, rate limited with a countdown')!;
    const reference = await render(state, 'en');
    const texts = {
      de: {
        'conduit.link.back': 'Back',
        'conduit.credentials.intro': 'Geben Sie Ihre Site und einen API-Schlüssel ein. We check them with Chargify before connecting.',
        'conduit.error.retryIn': 'You can try again {0}.',
      },
    };
    const german = await render({ ...state, options: { ...state.options, properties: { texts } } }, 'de');
    // The countdown may have ticked between the two renderings.
    const found = leftOvers(reference.texts, german.texts, 'de').map((sentence) => sentence.replace(/\d+/g, 'N'));
    expect(found).to.have.members(['Back', 'We check them with Chargify before connecting.', 'You can try again in N seconds. (in part)']);
  });

  for (const locale of TARGET_LOCALES) {
    it(`${locale}: every step, error and screen is in ${locale} and marked lang="${locale}"`, async function () {
      this.timeout(60_000);
      expect(await englishLeftIn(locale, english)).to.deep.equal([]);
    });
  }
});

// ---------------------------------------------------------------------------
// 2. Which language: attribute, nearest lang, document, browser, English
// ---------------------------------------------------------------------------

/** Waits until the picker reads in `locale` and is marked with it. */
async function expectPickerIn(flow: Flow, locale: string, timeout = 3000): Promise<void> {
  const title = sayIn(locale)('conduit.picker.title');
  await waitFor(
    async () => (await flow.heading()) === title && (await languagesShown(flow)).join() === locale,
    async () => `Expected the picker in ${locale} (“${title}”), but it reads “${await flow.heading()}”, marked ${JSON.stringify(await languagesShown(flow))}`,
    { timeout },
  );
}

/** Mounts the flow, then moves it into the tree `build` makes inside its holder, as a host app might. */
async function mountInside(build: (holder: HTMLElement) => ParentNode, attributes: Record<string, string> = {}): Promise<Flow> {
  const flow = await Flow.mount({ noWait: true, attributes });
  build(flow.element.parentElement!).append(flow.element);
  await flow.waitForStep('picker');
  return flow;
}

function withLang(parent: ParentNode, lang: string): HTMLElement {
  const element = document.createElement('div');
  element.lang = lang;
  parent.append(element);
  return element;
}

describe('<conduit-link> chooses its language', () => {
  const pageLang = document.documentElement.getAttribute('lang');

  afterEach(() => {
    if (pageLang === null) document.documentElement.removeAttribute('lang');
    else document.documentElement.setAttribute('lang', pageLang);
  });

  it('from its locale attribute, before any lang around it', async () => {
    document.documentElement.lang = 'fr';
    const flow = await mountInside((holder) => withLang(holder, 'it'), { locale: 'de' });
    await expectPickerIn(flow, 'de');
  });

  it('from the nearest lang attribute, before the document’s', async () => {
    document.documentElement.lang = 'fr';
    const flow = await mountInside((holder) => withLang(withLang(holder, 'it'), 'nl'));
    await expectPickerIn(flow, 'nl');
  });

  it('from a lang outside the shadow root it is rendered in', async () => {
    document.documentElement.lang = 'fr';
    const flow = await mountInside((holder) => {
      const host = withLang(holder, 'es').appendChild(document.createElement('div'));
      return host.attachShadow({ mode: 'open' });
    });
    await expectPickerIn(flow, 'es');
  });

  it('from the document’s lang', async () => {
    document.documentElement.lang = 'it';
    const flow = await Flow.mount();
    await expectPickerIn(flow, 'it');
  });

  it('from a region tag of the document’s lang (de-AT → de)', async () => {
    document.documentElement.lang = 'de-AT';
    const flow = await Flow.mount();
    await expectPickerIn(flow, 'de');
  });

  for (const [tag, locale] of [
    ['de-AT', 'de'],
    ['pt', 'pt-BR'],
    ['pt-PT', 'pt-BR'],
    ['fr-CA', 'fr'],
    ['ar-EG', 'ar'],
    ['PT-br', 'pt-BR'],
    ['en-GB', 'en'],
  ] as const) {
    it(`falls back from ${tag} to ${locale}`, async () => {
      const flow = await Flow.mount({ attributes: { locale: tag } });
      await expectPickerIn(flow, locale);
    });
  }

  it('from the browser’s languages when nothing on the page names one, the first it speaks', async () => {
    document.documentElement.removeAttribute('lang');
    Object.defineProperty(navigator, 'languages', { configurable: true, get: () => ['tlh', 'nl-BE', 'de'] });
    try {
      const flow = await Flow.mount();
      await expectPickerIn(flow, 'nl');
    } finally {
      Reflect.deleteProperty(navigator, 'languages');
    }
  });

  it('in English when it has nothing for the language asked for', async () => {
    document.documentElement.lang = 'tlh';
    const flow = await Flow.mount({ attributes: { locale: 'tlh' } });
    await expectPickerIn(flow, 'en');
  });

  it('follows a change of the page’s lang at run time, unless a locale attribute is set', async () => {
    document.documentElement.lang = 'de';
    const flow = await Flow.mount();
    await expectPickerIn(flow, 'de');

    document.documentElement.lang = 'fr';
    await expectPickerIn(flow, 'fr');

    flow.element.setAttribute('locale', 'nl');
    await expectPickerIn(flow, 'nl');
    document.documentElement.lang = 'it';
    // As long as following the page took above; the attribute must win.
    await flow.settle();
    await flow.settle();
    expect(await flow.heading(), 'the locale attribute gave way to the page’s lang').to.equal(sayIn('nl')('conduit.picker.title'));

    flow.element.removeAttribute('locale');
    await expectPickerIn(flow, 'it');
  });
});

// ---------------------------------------------------------------------------
// 3. Switching language mid-flow
// ---------------------------------------------------------------------------

function regionRadio(flow: Flow, locale: string, region: 'regionUS' | 'regionEU'): Promise<HTMLInputElement> {
  return flow.field(new RegExp(`^${escapeRegExp(sayIn(locale)(`conduit.credentials.${region}`))} \\(`));
}

/** What the user has in front of them on the credentials step, in `locale`. */
async function credentialsSeen(flow: Flow, locale: string) {
  const say = sayIn(locale);
  return {
    step: flow.step,
    subdomain: (await flow.field(say('conduit.credentials.subdomainLabel'))).value,
    europe: (await regionRadio(flow, locale, 'regionEU')).checked,
    unitedStates: (await regionRadio(flow, locale, 'regionUS')).checked,
  };
}

describe('<conduit-link> switching language at run time', () => {
  it('keeps the step, what was typed, the chosen region and the error shown', async () => {
    const flow = await Flow.mount({ attributes: { locale: 'de' } });
    await expectPickerIn(flow, 'de');
    expect(plain(flow.text)).to.include('Schritt 1 von 4');
    await toCredentials(flow, sayIn('de'));
    expect(await flow.heading()).to.equal('Ihre Chargify-Zugangsdaten');

    // acme is a US site: asked for in Europe, Chargify finds no such site there.
    await flow.choose(/^Europa \(/);
    await submitAndAwaitAnswer(flow, sayIn('de'), 'acme', 'chg_some_key');
    // The example address is the chosen region's.
    expect(plain(flow.text)).to.include('Wir konnten unter dieser Adresse keine Chargify-Site erreichen');
    expect(plain(flow.text)).to.include('z. B. acme in acme.ebilling.maxio.com.');
    const before = await credentialsSeen(flow, 'de');
    expect(before).to.deep.equal({ step: 'credentials', subdomain: 'acme', europe: true, unitedStates: false });

    flow.element.locale = 'fr';
    await flow.waitForHeading('Vos identifiants Chargify');
    await flow.settle();
    expect(await credentialsSeen(flow, 'fr')).to.deep.equal(before);
    expect(plain(flow.text)).to.include('par exemple acme dans acme.ebilling.maxio.com.');
    expect(plain(flow.text)).to.include('Ce site se trouve dans la région États-Unis.');

    flow.element.locale = 'en-GB';
    await flow.waitForHeading('Your Chargify credentials');
    await flow.settle();
    expect(await credentialsSeen(flow, 'en')).to.deep.equal(before);
    expect(plain(flow.text)).to.include(
      "We couldn't reach a Chargify site at this address, or the key doesn't belong to it. Check both: the subdomain is the first part of the address you sign in at, like acme in acme.ebilling.maxio.com.",
    );

    // What the user consented to stays in the language they read it in.
    const consent = flow.eventsOf<ConduitConsentEvent>('conduit-consent');
    expect(consent.map((event) => event.locale)).to.deep.equal(['de']);
    expect(plain(consent[0]!.text)).to.include('Mit Chargify verbinden');
  });

  it('leaves nothing of the previous language behind, live regions included', async () => {
    const flow = await Flow.mount({ attributes: { locale: 'de' } });
    await waitForLanguage(flow, 'de');
    await toCredentials(flow, sayIn('de'));
    const german = readableTexts(flow.element);

    flow.element.locale = 'fr';
    await waitForLanguage(flow, 'fr');
    expect(await flow.heading()).to.equal(sayIn('fr')('conduit.credentials.title'));
    expect(leftOvers(german, readableTexts(flow.element), 'fr'), 'German still on a French screen').to.deep.equal([]);
  });

  for (const requests of [
    ['fr', 'de', 'ar', 'nl'],
    ['de', 'ar', 'en'],
    ['en', 'it', 'es', 'pt-BR'],
  ]) {
    it(`ends in the last language asked for after quick switches: ${requests.join(' → ')}`, async () => {
      const flow = await Flow.mount({ attributes: { locale: 'en' } });
      await toCredentials(flow, sayIn('en'));
      await flow.fill(sayIn('en')('conduit.credentials.subdomainLabel'), 'acme');
      // Each request reaches the element (one update each) while the previous language may still be loading.
      for (const locale of requests) {
        flow.element.locale = locale;
        await flow.element.updateComplete;
      }
      const last = requests.at(-1)!;
      await waitForLanguage(flow, last);
      await flow.settle();
      expect(await languagesShown(flow)).to.deep.equal([last]);
      expect(await flow.heading()).to.equal(sayIn(last)('conduit.credentials.title'));
      expect(await credentialsSeen(flow, last)).to.deep.include({ step: 'credentials', subdomain: 'acme' });
    });
  }
});

// ---------------------------------------------------------------------------
// 4. The partner's wording
// ---------------------------------------------------------------------------

describe('<conduit-link> with the partner’s texts', () => {
  it('replaces a plain message, only in the language it is given for', async () => {
    const title = 'Choisissez votre outil de facturation';
    const flow = await Flow.mount({
      attributes: { locale: 'fr' },
      properties: { texts: { fr: { 'conduit.picker.title': title } } },
    });
    await flow.waitForHeading(title);
    expect(flow.text, 'the rest stays ours').to.include(sayIn('fr')('conduit.picker.intro'));

    flow.element.locale = 'de';
    await expectPickerIn(flow, 'de');
    flow.element.locale = 'en';
    await expectPickerIn(flow, 'en');
    flow.element.locale = 'fr';
    await flow.waitForHeading(title);
  });

  it('fills a message’s values, in the order the partner writes them', async () => {
    const flow = await Flow.mount({
      attributes: { locale: 'de' },
      properties: {
        texts: {
          de: {
            'conduit.permissions.title': '{0} verbinden',
            'conduit.permissions.intro': '{1}-Daten, die {0} lesen wird:',
          },
        },
      },
    });
    await toPermissions(flow, sayIn('de'));
    expect(plain(await flow.heading())).to.equal('Chargify verbinden');
    expect(plain(flow.text)).to.include('Chargify-Daten, die Northwind Capital lesen wird:');
    expect(flow.text).to.include(sayIn('de')('conduit.permissions.accessTitle'));
  });

  it('applies a language’s wording to its regional variants (fr → fr-CA)', async () => {
    const flow = await Flow.mount({
      attributes: { locale: 'fr-CA' },
      properties: { texts: { fr: { 'conduit.picker.title': 'Choisissez votre outil de facturation' } } },
    });
    await flow.waitForHeading('Choisissez votre outil de facturation');
    expect(flow.text).to.include(sayIn('fr')('conduit.picker.intro'));
  });

  it('keeps our translation under wording given for a regional variant only (fr-CA)', async () => {
    const title = 'Choisissez votre plateforme de facturation (Canada)';
    const flow = await Flow.mount({
      attributes: { locale: 'fr-CA' },
      properties: { texts: { 'fr-CA': { 'conduit.picker.title': title } } },
    });
    await flow.waitForHeading(title);
    await flow.settle();
    // One partner message must not turn the other ninety-four back into English.
    expect(flow.text).to.include(sayIn('fr')('conduit.picker.intro'));
    expect(await flow.has('button', sayIn('fr')('conduit.common.next')), 'a French Next button').to.equal(true);
  });

  it('are the flow’s own: a second flow on the page without texts speaks our wording, and the first keeps its own', async () => {
    const title = 'Choisissez votre outil de facturation';
    const first = await Flow.mount({ attributes: { locale: 'fr' }, properties: { texts: { fr: { 'conduit.picker.title': title } } } });
    await first.waitForHeading(title);
    const second = await Flow.mount({ attributes: { locale: 'fr' }, keepBackend: true });
    await expectPickerIn(second, 'fr');
    await first.settle();
    expect(await first.heading(), 'the first flow keeps the partner’s title').to.equal(title);
  });

  it('two flows on one page speak two languages: locale="de" and locale="fr" each show their own', async () => {
    const german = await Flow.mount({ attributes: { locale: 'de' } });
    const french = await Flow.mount({ attributes: { locale: 'fr' }, keepBackend: true });
    await expectPickerIn(german, 'de');
    await expectPickerIn(french, 'fr');
    // And stay so while either re-renders.
    french.element.partnerName = 'Nordwind';
    await french.settle();
    await expectPickerIn(german, 'de');
  });

  it('re-renders when the texts change at run time, and an empty object restores ours', async () => {
    const flow = await Flow.mount({ attributes: { locale: 'fr' } });
    await expectPickerIn(flow, 'fr');

    flow.element.texts = { fr: { 'conduit.picker.title': 'Votre outil de facturation' } };
    await flow.waitForHeading('Votre outil de facturation');

    flow.element.texts = { fr: { 'conduit.picker.title': 'Quel outil utilisez-vous ?' } };
    await flow.waitForHeading('Quel outil utilisez-vous ?');

    flow.element.texts = {};
    await expectPickerIn(flow, 'fr');
  });

  it('speaks a language only the partner provides (ja), English for the rest', async () => {
    const flow = await Flow.mount({
      attributes: { locale: 'ja' },
      properties: { texts: { ja: { 'conduit.picker.title': '請求プラットフォームを選択してください', 'conduit.common.next': '次へ' } } },
    });
    await flow.waitForHeading('請求プラットフォームを選択してください');
    expect(await languagesShown(flow)).to.deep.equal(['ja']);
    expect(flow.text).to.include(ENGLISH['conduit.picker.intro']);
    await flow.choose('Chargify');
    await flow.click('次へ');
    await flow.waitForStep('permissions');
    expect(plain(await flow.heading())).to.equal('Connect to Chargify');
    expect(await languagesShown(flow)).to.deep.equal(['ja']);
  });

  describe('with entries that cannot be shown', () => {
    let capture: ConsoleCapture;

    beforeEach(() => {
      capture = captureConsole();
    });

    afterEach(() => {
      capture.restore();
    });

    /** The console warnings that name `needle`. */
    function warningsNaming(needle: string): string[] {
      return capture.output.filter((line) => line.startsWith('console.warn') && line.includes(needle));
    }

    function expectNothingUncaught(): void {
      expect(capture.output.filter((line) => /^(uncaught|unhandled)/.test(line))).to.deep.equal([]);
    }

    // What a partner's JSON or a typo can hand over: the type says strings, the page may not.
    const partnerTexts = (value: unknown) => value as ConduitTexts;

    it('keeps our wording for a message that is not a string (a number, an object, null), and warns once for each', async () => {
      const flow = await Flow.mount({
        properties: {
          texts: partnerTexts({
            en: { 'conduit.picker.title': 42, 'conduit.picker.intro': { text: 'Pick one' }, 'conduit.common.next': null, 'conduit.link.back': 'Go back' },
          }),
        },
      });
      expect(await flow.heading()).to.equal(ENGLISH['conduit.picker.title']);
      expect(flow.text).to.include(ENGLISH['conduit.picker.intro']);
      // Many renders later: another step, another language and back.
      await toPermissions(flow, sayIn('en'));
      expect(await flow.has('button', /Go back/), 'the entry that is a string still applies').to.equal(true);
      flow.element.locale = 'de';
      await waitForLanguage(flow, 'de');
      flow.element.locale = 'en';
      await waitForLanguage(flow, 'en');

      for (const id of ['conduit.picker.title', 'conduit.picker.intro', 'conduit.common.next']) {
        expect(warningsNaming(`"${id}"`), id).to.have.length(1);
      }
      expect(warningsNaming('<conduit-link>'), 'no other warning').to.have.length(3);
      expectNothingUncaught();
    });

    it('warns again when new texts are set, not when the same texts are set again or the flow comes back to the page', async () => {
      const texts = partnerTexts({ en: { 'conduit.picker.title': 42 } });
      const flow = await Flow.mount({ properties: { texts } });
      flow.element.texts = texts;
      const holder = flow.element.parentElement!;
      flow.element.remove();
      holder.append(flow.element);
      await flow.waitForHeading(ENGLISH['conduit.picker.title'] as string);
      expect(warningsNaming('"conduit.picker.title"')).to.have.length(1);

      flow.element.texts = partnerTexts({ en: { 'conduit.picker.title': 42 } });
      await flow.settle();
      expect(warningsNaming('"conduit.picker.title"')).to.have.length(2);
      expect(await flow.heading()).to.equal(ENGLISH['conduit.picker.title']);
      expectNothingUncaught();
    });

    it('ignores a language whose wording is not an object of messages, warning once for it', async () => {
      const flow = await Flow.mount({
        properties: { texts: partnerTexts({ fr: 'Bonjour', de: null, it: ['Ciao'], en: { 'conduit.picker.title': 'Pick your billing tool' } }) },
      });
      await flow.waitForHeading('Pick your billing tool');
      for (const locale of ['fr', 'de', 'it'] as const) {
        flow.element.locale = locale;
        await expectPickerIn(flow, locale);
      }
      for (const locale of ['fr', 'de', 'it']) expect(warningsNaming(`texts["${locale}"]`), locale).to.have.length(1);
      expect(warningsNaming('<conduit-link>'), 'no other warning').to.have.length(3);
      expectNothingUncaught();
    });

    it('takes texts that are not an object at all as none', async () => {
      const flow = await Flow.mount({ properties: { texts: partnerTexts('Choose') } });
      await expectPickerIn(flow, 'en');
      flow.element.texts = partnerTexts(null);
      await flow.settle();
      await expectPickerIn(flow, 'en');
      expect(warningsNaming('<conduit-link>: texts is a string')).to.have.length(1);
      expectNothingUncaught();
    });
  });

  it('also words the message of the conduit-error event', async () => {
    const wording = 'Der Schlüssel wurde abgelehnt. Bitte fügen Sie ihn erneut ein.';
    const flow = await Flow.mount({
      scenario: 'error:invalid_credentials',
      attributes: { locale: 'de' },
      properties: { texts: { de: { 'conduit.error.invalidCredentials': wording } } },
    });
    await toCredentials(flow, sayIn('de'));
    await submitAndAwaitAnswer(flow, sayIn('de'), 'acme', 'chg_not_the_key');
    expect(flow.eventsOf<ConduitErrorEvent>('conduit-error').map((event) => [event.code, event.message])).to.deep.equal([
      ['invalid_credentials', wording],
    ]);
    expect(flow.text).to.include(wording);
  });
});

// ---------------------------------------------------------------------------
// 6. Arabic, right to left
// ---------------------------------------------------------------------------

const POSITION: Readonly<Record<'en' | 'ar', RegExp>> = {
  en: /^Step \S+ of \S+$/,
  ar: /^الخطوة \S+ من \S+$/,
};

/** Where the header's Back button and the step's main button sit, as the user sees them. */
async function layoutOf(flow: Flow, locale: 'en' | 'ar') {
  const say = sayIn(locale);
  const back = (await flow.button(say('conduit.link.back'))).getBoundingClientRect();
  // The header's, not the live region's, which says the same.
  const position = new Screen(flow.part('header') as HTMLElement).byText(POSITION[locale]).getBoundingClientRect();
  const primary = (await flow.button(say('conduit.common.next'))).getBoundingClientRect();
  const card = flow.element.getBoundingClientRect();
  return {
    back: back.right <= position.left + 1 ? 'left of the step position' : back.left >= position.right - 1 ? 'right of the step position' : 'overlapping',
    primary: primary.left - card.left < card.right - primary.right ? 'left side' : 'right side',
  };
}

describe('<conduit-link> in Arabic', () => {
  it('is right to left: Back to the right of the step position, the main button on the left', async () => {
    const flow = await Flow.mount({ attributes: { locale: 'en' } });
    await toPermissions(flow, sayIn('en'));
    expect(await layoutOf(flow, 'en')).to.deep.equal({ back: 'left of the step position', primary: 'right side' });

    flow.element.locale = 'ar';
    await waitForLanguage(flow, 'ar');
    const heading = (await allByRole(flow.element, 'heading'))[0]!;
    expect(getComputedStyle(heading).direction).to.equal('rtl');
    expect(await layoutOf(flow, 'ar')).to.deep.equal({ back: 'right of the step position', primary: 'left side' });
  });

  it('keeps the site address left to right', async () => {
    const flow = await Flow.mount({ attributes: { locale: 'ar' } });
    await waitForLanguage(flow, 'ar');
    await toCredentials(flow, sayIn('ar'));
    const field = await flow.field(sayIn('ar')('conduit.credentials.subdomainLabel'));
    await flow.fill(sayIn('ar')('conduit.credentials.subdomainLabel'), 'acme');
    expect(getComputedStyle(field).direction).to.equal('ltr');
    // acme.chargify.com reads left to right: the typed subdomain, then the suffix.
    const suffix = flow.byText('.chargify.com').getBoundingClientRect();
    expect(suffix.left, 'the suffix is right of the subdomain field').to.be.at.least(field.getBoundingClientRect().right - 1);
  });

  it('counts down with the Arabic dual: “خلال ثانيتين” for 2 seconds', async function () {
    this.timeout(15_000);
    // Chargify asks to wait 2 s; after the client's two automatic waits, the user is told how long is left.
    backend.retryAfterSeconds = 2;
    const flow = await Flow.mount({ scenario: 'error:rate_limited', attributes: { locale: 'ar' } });
    await waitForLanguage(flow, 'ar');
    await toCredentials(flow, sayIn('ar'));
    await submitAndAwaitAnswer(flow, sayIn('ar'), 'acme', DEMO_KEYS.acmeAdmin, 8000);
    expect(flow.text).to.include(sayIn('ar')('conduit.error.rateLimited'));
    expect(plain(flow.text)).to.include('يمكنك المحاولة مرة أخرى خلال ثانيتين.');
  });
});

// ---------------------------------------------------------------------------
// 7. The consent record
// ---------------------------------------------------------------------------

describe('<conduit-link> consent in French', () => {
  it('records the French text the user read, and the locale', async () => {
    const flow = await Flow.mount({ attributes: { locale: 'fr' } });
    await waitForLanguage(flow, 'fr');
    await toPermissions(flow, sayIn('fr'));
    const shown = plain(flow.text);
    await flow.click('Suivant');
    await flow.waitForStep('credentials');

    const consents = flow.eventsOf<ConduitConsentEvent>('conduit-consent');
    expect(consents.map((event) => [event.integrationKey, event.locale])).to.deep.equal([['chargify', 'fr']]);
    const lines = consents[0]!.text.split('\n').map((line) => plain(normalise(line)));
    expect(lines[0]).to.equal('Connecter Chargify');
    expect(lines).to.include('Northwind Capital pourra lire les données suivantes de votre compte Chargify :');
    expect(lines).to.include('- Factures');
    // What the key allows, the partner's commitment, and how to stay in control: in French, as shown.
    const fr = (id: string, values?: string[]) => plain(sayIn('fr')(id, values));
    expect(lines).to.include.members([
      fr('conduit.permissions.accessTitle'),
      fr('conduit.permissions.access', ['Chargify', 'Chargify']),
      fr('conduit.permissions.commitment', ['Northwind Capital']),
      fr('conduit.permissions.controlTitle'),
      fr('conduit.permissions.control', ['Northwind Capital', 'Northwind Capital', 'Chargify']),
    ]);
    expect(lines).to.include('Une clé API Chargify donne un accès complet à votre site : Chargify ne propose pas de clés en lecture seule.');
    for (const line of lines) expect(shown, 'every line was on screen').to.include(line.replace(/^- /, ''));
    expect(consents[0]!.text).to.not.match(/will be able to read|read-only access|Why this is needed|full access|commits to/i);
  });

  it('records the partner’s own wording of its commitment, exactly as shown', async () => {
    const commitment = 'Northwind Capital s’engage à ne lire que ces données, et à ne jamais rien modifier.';
    const flow = await Flow.mount({
      attributes: { locale: 'fr' },
      properties: { texts: { fr: { 'conduit.permissions.commitment': '{0} s’engage à ne lire que ces données, et à ne jamais rien modifier.' } } },
    });
    await waitForLanguage(flow, 'fr');
    await toPermissions(flow, sayIn('fr'));
    expect(plain(flow.text)).to.include(commitment);
    expect(flow.text, 'our own commitment is replaced, not added to').to.not.include(sayIn('fr')('conduit.permissions.commitment', ['Northwind Capital']));
    await flow.click(sayIn('fr')('conduit.common.next'));
    await flow.waitForStep('credentials');
    const lines = flow.eventsOf<ConduitConsentEvent>('conduit-consent')[0]!.text.split('\n').map((line) => plain(normalise(line)));
    expect(lines).to.include(commitment);
    // The rest stays what the key really allows, in our words.
    expect(lines).to.include(plain(sayIn('fr')('conduit.permissions.access', ['Chargify', 'Chargify'])));
  });
});

// ---------------------------------------------------------------------------
// 5. A host page that configured @lit/localize itself (last: it cannot be undone)
// ---------------------------------------------------------------------------

describe('<conduit-link> on a page that uses @lit/localize itself', () => {
  it('still renders our German, and leaves the page’s own localization alone', async () => {
    let pageLocalization: ReturnType<typeof configureLocalization> | undefined;
    expect(() => {
      pageLocalization = configureLocalization({
        sourceLocale: 'en',
        targetLocales: ['xx'],
        loadLocale: async () => ({ templates: {} }),
      });
    }).to.not.throw();
    await pageLocalization!.setLocale('xx');

    const flow = await Flow.mount({ attributes: { locale: 'de' } });
    await expectPickerIn(flow, 'de');
    await toPermissions(flow, sayIn('de'));
    expect(plain(await flow.heading())).to.equal('Mit Chargify verbinden');
    expect(pageLocalization!.getLocale()).to.equal('xx');
  });
});
