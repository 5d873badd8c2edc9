import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { sourceLocale, targetLocales } from './generated/locale-codes.js';
import type { StrResult } from './str.js';
import { usableTexts, type ConduitTexts } from './texts.js';

// Each flow speaks its own language (its `locale`, else the nearest `lang`), with
// its own partner texts. A flow owns a Catalogue; its steps find it through the
// shadow root they render in, and a LocalizeController makes `msg()` read it
// while the element renders. The runtime is ours rather than @lit/localize's
// configureLocalization, which is one language per page: a host app using
// @lit/localize itself can never collide with it. `lit-localize extract` still
// finds every message: it recognises `msg` and `str` by their branded types.

export type { ConduitTexts } from './texts.js';

// Translated str templates hold, in `values`, the index of each source value.
type Translated = string | StrResult;
type Templates = Readonly<Record<string, Translated>>;

export interface MsgOptions {
  id?: string;
  desc?: string;
}

/** Looks a message up in the catalogue of the element rendering now. */
export interface Msg {
  (template: string | StrResult, options?: MsgOptions): string;
  readonly _LIT_LOCALIZE_MSG_?: never;
}

// Explicit loaders: template-literal dynamic imports 404 in the test runner
// and get inlined by Vite. Each locale is its own file, fetched only when used,
// once for the page however many flows speak it.
const loaders: Record<string, () => Promise<{ templates: Templates }>> = {
  ar: () => import('./generated/ar.js'),
  de: () => import('./generated/de.js'),
  es: () => import('./generated/es.js'),
  fr: () => import('./generated/fr.js'),
  it: () => import('./generated/it.js'),
  nl: () => import('./generated/nl.js'),
  'pt-BR': () => import('./generated/pt-BR.js'),
};
const loaded = new Map<string, Promise<Templates>>();

function load(locale: string): Promise<Templates> {
  let templates = loaded.get(locale);
  if (!templates) {
    templates = loaders[locale]!().then((module) => module.templates);
    // A file that failed (offline, refused by its hash) is tried again next time.
    templates.catch(() => loaded.delete(locale));
    loaded.set(locale, templates);
  }
  return templates;
}

const RIGHT_TO_LEFT = new Set(['ar', 'fa', 'he', 'ur']);

function language(locale: string): string {
  return locale.split('-')[0]!;
}

/** The best of `locales` for one BCP 47 tag, or undefined: exact, then its language, then a regional variant of it. */
function closest(tag: string, locales: readonly string[]): string | undefined {
  const wanted = tag.toLowerCase();
  return (
    locales.find((locale) => locale.toLowerCase() === wanted) ??
    locales.find((locale) => locale.toLowerCase() === language(wanted)) ??
    locales.find((locale) => language(locale.toLowerCase()) === language(wanted))
  );
}

/**
 * A value as it goes into a sentence: between U+2068 FIRST STRONG ISOLATE and U+2069
 * POP DIRECTIONAL ISOLATE, so it keeps its own direction inside a sentence of the
 * other (in Arabic, "Acme Inc." would read ".Acme Inc", a search for "C++" «++C», and a
 * reference that starts with digits would be read to support in the wrong order).
 * Every value of every message, ours or the partner's, in every language. The marks
 * are invisible and not spoken; a text an event carries (the consent) keeps them, as
 * that is the text the user saw.
 */
export function isolate(value: unknown): string {
  return `\u2068${String(value)}\u2069`;
}

function fill(strings: readonly string[], values: readonly unknown[], order?: readonly unknown[]): string {
  let text = strings[0]!;
  for (let i = 1; i < strings.length; i++) text += isolate(values[order ? (order[i - 1] as number) : i - 1]) + strings[i];
  return text;
}

function fromOverride(override: string, values: readonly unknown[]): string {
  return override.replace(/\{(\d+)\}/g, (placeholder, index: string) =>
    Number(index) < values.length ? isolate(values[Number(index)]) : placeholder,
  );
}

// One formatter per locale: building one costs far more than using it (TOOLCHAIN, trap 15).
const numberFormats = new Map<string, Intl.NumberFormat>();
// The shipped languages written with Latin digits. Building the first Intl.NumberFormat
// or Intl.PluralRules of a page loads ICU data: about 30 ms of the first screen's
// script, 120 ms on a slow phone's CPU (measured, `npm run bench`). In these a
// whole number under a thousand reads as JavaScript writes it, so none is needed.
const LATIN_DIGITS: ReadonlySet<string> = new Set(['en', 'de', 'es', 'fr', 'it', 'nl', 'pt-BR']);
const pluralRules = new Map<string, Intl.PluralRules>();

/** One flow's language: its locale, that locale's messages and the partner's texts. */
export class Catalogue {
  locale = sourceLocale;
  #templates: Templates = {};
  #texts: ConduitTexts = {};
  #latest = 0;
  readonly #hosts = new Set<ReactiveControllerHost>();

  attach(host: ReactiveControllerHost): void {
    this.#hosts.add(host);
  }

  detach(host: ReactiveControllerHost): void {
    this.#hosts.delete(host);
  }

  /**
   * Speaks the first of the requested tags we can; resolves once its file has
   * loaded. A file that cannot load leaves the language as it was: the flow stays
   * usable, and the next request tries the file again.
   */
  async applyLocale(requested: readonly (string | null | undefined)[]): Promise<void> {
    const supported = [sourceLocale, ...targetLocales, ...Object.keys(this.#texts)];
    const locale = requested.map((tag) => (tag ? closest(tag, supported) : undefined)).find(Boolean) ?? sourceLocale;
    const request = ++this.#latest;
    // A locale that only the partner's texts add (fr-CA, say) is shown over our closest catalogue.
    const file = closest(locale, Object.keys(loaders));
    let templates: Templates = {};
    if (file) {
      try {
        templates = await load(file);
      } catch (error) {
        console.warn(`<conduit-link>: the ${file} translation could not be loaded; the language stays ${this.locale}.`, error);
        return;
      }
    }
    // A later request won while this file loaded.
    if (request !== this.#latest || (locale === this.locale && templates === this.#templates)) return;
    this.locale = locale;
    this.#templates = templates;
    this.#changed();
  }

  /** The partner's wording, without what cannot be shown (each such entry warned about once). */
  applyTexts(texts: unknown): void {
    const usable = usableTexts(texts);
    if (usable === this.#texts) return;
    this.#texts = usable;
    this.#changed();
  }

  get direction(): 'ltr' | 'rtl' {
    return directionOf(this.locale);
  }

  translate(template: string | StrResult, options?: MsgOptions): string {
    const values = typeof template === 'string' ? [] : template.values;
    const id = options?.id ?? '';
    // A partner's fr-CA wording goes over their fr wording, which goes over ours.
    const override = this.#texts[this.locale]?.[id] ?? this.#texts[language(this.locale)]?.[id];
    if (override !== undefined) return fromOverride(override, values);
    const translated = this.#templates[id];
    if (typeof translated === 'string') return translated;
    if (translated) return fill(translated.strings, values, translated.values);
    return typeof template === 'string' ? template : fill(template.strings, values);
  }

  formatNumber(value: number): string {
    if (LATIN_DIGITS.has(this.locale) && Number.isInteger(value) && value >= 0 && value < 1000) return String(value);
    let format = numberFormats.get(this.locale);
    if (!format) numberFormats.set(this.locale, (format = new Intl.NumberFormat(this.locale)));
    return format.format(value);
  }

  pluralCategory(value: number): Intl.LDMLPluralRule {
    // English whole numbers (CLDR): one for 1, other for the rest; see LATIN_DIGITS for why.
    if (this.locale === 'en' && Number.isInteger(value)) return value === 1 ? 'one' : 'other';
    let rules = pluralRules.get(this.locale);
    if (!rules) pluralRules.set(this.locale, (rules = new Intl.PluralRules(this.locale)));
    return rules.select(value);
  }

  #changed(): void {
    for (const host of this.#hosts) host.requestUpdate();
  }
}

// The catalogue `msg()` reads: the element rendering now, or the code it runs.
let speaking = new Catalogue();

/** Runs `work` in `catalogue`'s language: for messages made outside render (an event's text). */
export function speak<T>(catalogue: Catalogue, work: () => T): T {
  const previous = speaking;
  speaking = catalogue;
  try {
    return work();
  } finally {
    speaking = previous;
  }
}

export const msg: Msg = (template, options) => speaking.translate(template, options);

/** The locale of the element rendering now. */
export function currentLocale(): string {
  return speaking.locale;
}

/** A number in the locale's digits (Arabic uses its own). */
export function formatNumber(value: number): string {
  return speaking.formatNumber(value);
}

/**
 * The locale's plural form for `value` (CLDR: zero, one, two, few, many, other), to
 * pick one message per form: Arabic has all six, English two.
 */
export function pluralCategory(value: number): Intl.LDMLPluralRule {
  return speaking.pluralCategory(value);
}

/** The writing direction of a locale. */
export function directionOf(locale: string): 'ltr' | 'rtl' {
  return RIGHT_TO_LEFT.has(language(locale)) ? 'rtl' : 'ltr';
}

/** The nearest `lang` attribute above the element, looking out through shadow roots. */
export function inheritedLang(element: Element): string | undefined {
  let node: Node | null = element;
  while (node) {
    if (node instanceof Element && node.hasAttribute('lang')) return node.getAttribute('lang') ?? undefined;
    node = node instanceof ShadowRoot ? node.host : node.parentNode;
  }
  return undefined;
}

/** Where a flow keeps its catalogue, for the steps it renders to find. */
export const CATALOGUE = Symbol('conduit.catalogue');

/** The catalogue of the flow an element renders in, through however many shadow roots. */
function flowCatalogue(element: Element): Catalogue | undefined {
  let root = element.getRootNode();
  while (root instanceof ShadowRoot) {
    const host = root.host as Element & { [CATALOGUE]?: Catalogue };
    if (host[CATALOGUE]) return host[CATALOGUE];
    root = host.getRootNode();
  }
  return undefined;
}

/**
 * Gives an element its flow's language: the catalogue of the `<conduit-link>` it
 * renders in, or, standing alone (a story, a test), one of its own from the
 * nearest `lang`. `msg()` reads it while the element renders; `run()` for work
 * done outside render.
 */
export class LocalizeController implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  #catalogue: Catalogue;
  readonly #owned: boolean;
  #previous: Catalogue | null = null;

  constructor(host: ReactiveControllerHost & HTMLElement, catalogue?: Catalogue) {
    this.#host = host;
    this.#owned = catalogue !== undefined;
    this.#catalogue = catalogue ?? new Catalogue();
    host.addController(this);
  }

  get catalogue(): Catalogue {
    return this.#catalogue;
  }

  hostConnected(): void {
    if (!this.#owned) {
      const ofFlow = flowCatalogue(this.#host);
      if (ofFlow) this.#catalogue = ofFlow;
      else void this.#catalogue.applyLocale([inheritedLang(this.#host), ...navigator.languages]);
    }
    this.#catalogue.attach(this.#host);
  }

  hostDisconnected(): void {
    this.#catalogue.detach(this.#host);
  }

  hostUpdate(): void {
    this.#previous = speaking;
    speaking = this.#catalogue;
  }

  hostUpdated(): void {
    if (this.#previous) speaking = this.#previous;
    this.#previous = null;
  }

  run<T>(work: () => T): T {
    return speak(this.#catalogue, work);
  }
}
