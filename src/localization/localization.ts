import type { msg as litMsg, StrResult } from '@lit/localize';
import type { ReactiveControllerHost } from 'lit';
import { sourceLocale, targetLocales } from './generated/locale-codes.js';

/** Partner wording, per locale then message id, layered over ours. `{0}`, `{1}`… stand for the message's values. */
export type ConduitTexts = Readonly<Record<string, Readonly<Record<string, string>>>>;

// Translated str templates hold, in `values`, the index of each source value.
type Translated = string | StrResult;
type Templates = Readonly<Record<string, Translated>>;

// Explicit loaders: template-literal dynamic imports 404 in the test runner
// and get inlined by Vite. Each locale is its own file, fetched only when used.
const loaders: Record<string, () => Promise<{ templates: Templates }>> = {
  ar: () => import('./generated/ar.js'),
  de: () => import('./generated/de.js'),
  es: () => import('./generated/es.js'),
  fr: () => import('./generated/fr.js'),
  it: () => import('./generated/it.js'),
  nl: () => import('./generated/nl.js'),
  'pt-BR': () => import('./generated/pt-BR.js'),
};

const RIGHT_TO_LEFT = new Set(['ar', 'fa', 'he', 'ur']);

// Our own small runtime rather than @lit/localize's configureLocalization: that
// one is a page-wide singleton, so a host app that uses it too would either
// break ours or be broken by it. One language for all our elements at a time.
let active = sourceLocale;
let templates: Templates = {};
let texts: ConduitTexts = {};
// Each flow's texts, in the order they were set: the latest wins where two give the same message.
const textsByOwner = new Map<object, ConduitTexts>();
let latestRequest = 0;
const hosts = new Set<ReactiveControllerHost>();

function changed(): void {
  for (const host of hosts) host.requestUpdate();
}

/** Re-renders the element whenever the language or the partner's texts change. */
export function localized() {
  return (element: { addInitializer(init: (host: ReactiveControllerHost & HTMLElement) => void): void }) => {
    element.addInitializer((host) =>
      host.addController({
        hostConnected: () => hosts.add(host),
        hostDisconnected: () => hosts.delete(host),
      }),
    );
  };
}

function fill(strings: readonly string[], values: readonly unknown[], order?: readonly unknown[]): string {
  let text = strings[0]!;
  for (let i = 1; i < strings.length; i++) text += String(values[order ? (order[i - 1] as number) : i - 1]) + strings[i];
  return text;
}

function fromOverride(override: string, values: readonly unknown[]): string {
  return override.replace(/\{(\d+)\}/g, (placeholder, index: string) =>
    Number(index) < values.length ? String(values[Number(index)]) : placeholder,
  );
}

function translate(template: string | StrResult, options?: { id?: string }): string {
  const values = typeof template === 'string' ? [] : template.values;
  const id = options?.id ?? '';
  // A partner's fr-CA wording goes over their fr wording, which goes over ours.
  const override = texts[active]?.[id] ?? texts[language(active)]?.[id];
  if (override !== undefined) return fromOverride(override, values);
  const translated = templates[id];
  if (typeof translated === 'string') return translated;
  if (translated) return fill(translated.strings, values, translated.values);
  return typeof template === 'string' ? template : fill(template.strings, values);
}

/**
 * `msg` with the signature of @lit/localize's, so `lit-localize extract` finds
 * every call, but looked up in our catalogue and the partner's texts.
 */
export const msg = translate as unknown as typeof litMsg;

function language(locale: string): string {
  return locale.split('-')[0]!;
}

function supported(): string[] {
  return [sourceLocale, ...targetLocales, ...Object.keys(texts)];
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

/** The first of the requested tags we can speak, else English. */
function resolveLocale(requested: readonly (string | null | undefined)[]): string {
  for (const tag of requested) {
    const locale = tag ? closest(tag, supported()) : undefined;
    if (locale) return locale;
  }
  return sourceLocale;
}

/**
 * Switches every element to the best match; resolves once the locale's file
 * has loaded. A file that cannot load (offline, or blocked by its integrity
 * hash) leaves the language as it was: the flow stays usable, and the next
 * request tries the file again.
 */
export async function applyLocale(requested: readonly (string | null | undefined)[]): Promise<void> {
  const locale = resolveLocale(requested);
  const request = ++latestRequest;
  // A locale that only the partner's texts add (fr-CA, say) is shown over our closest catalogue.
  const catalogue = closest(locale, Object.keys(loaders));
  let loaded: Templates = {};
  if (catalogue) {
    try {
      loaded = (await loaders[catalogue]!()).templates;
    } catch (error) {
      console.warn(`<conduit-link>: the ${catalogue} translation could not be loaded; the language stays ${active}.`, error);
      return;
    }
  }
  // A later request won while this file loaded.
  if (request !== latestRequest || (locale === active && loaded === templates)) return;
  active = locale;
  templates = loaded;
  changed();
}

type Messages = Record<string, string>;

// Each texts object a partner sets, checked once: a wrong entry is warned about
// once, however often the flow renders or comes back to the page.
const checked = new WeakMap<object, ConduitTexts>();

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function kindOf(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

// No prototype: a partner's "__proto__" or "constructor" stays a plain key.
function emptyRecord<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

function usableMessages(locale: string, messages: Record<string, unknown>): Messages {
  const usable = emptyRecord<string>();
  for (const [id, text] of Object.entries(messages)) {
    if (typeof text === 'string') usable[id] = text;
    else console.warn(`<conduit-link>: texts["${locale}"]["${id}"] is ${kindOf(text)}, not a string; our own wording is shown.`);
  }
  return usable;
}

/** The partner's texts without what cannot be shown: a language that is not an object of messages, a message that is not a string. */
function usableTexts(value: unknown): ConduitTexts {
  if (value === null || value === undefined) return {};
  if (!isRecord(value)) {
    console.warn(`<conduit-link>: texts is ${kindOf(value)}, not an object of languages; it is ignored.`);
    return {};
  }
  const known = checked.get(value);
  if (known) return known;
  const usable = emptyRecord<Messages>();
  for (const [locale, messages] of Object.entries(value)) {
    if (isRecord(messages)) usable[locale] = usableMessages(locale, messages);
    else console.warn(`<conduit-link>: texts["${locale}"] is ${kindOf(messages)}, not an object of messages; it is ignored.`);
  }
  checked.set(value, usable);
  return usable;
}

/**
 * Sets one flow's wording, layered over the other flows' on the page; an
 * empty object (as when the flow leaves the page) withdraws it. What cannot
 * be shown is left out, with a warning, and our own wording stays.
 */
export function applyTexts(owner: object, next: ConduitTexts): void {
  const usable = usableTexts(next);
  const empty = Object.keys(usable).length === 0;
  if (textsByOwner.get(owner) === usable || (empty && !textsByOwner.has(owner))) return;
  textsByOwner.delete(owner);
  if (!empty) textsByOwner.set(owner, usable);
  const merged = emptyRecord<Messages>();
  for (const byLocale of textsByOwner.values()) {
    for (const [locale, messages] of Object.entries(byLocale)) {
      merged[locale] = Object.assign(emptyRecord<string>(), merged[locale], messages);
    }
  }
  texts = merged;
  changed();
}

export function currentLocale(): string {
  return active;
}

/** The writing direction of a locale. */
export function directionOf(locale: string): 'ltr' | 'rtl' {
  return RIGHT_TO_LEFT.has(language(locale)) ? 'rtl' : 'ltr';
}

/** A number in the active locale's digits (Arabic uses its own). */
export function formatNumber(value: number): string {
  return new Intl.NumberFormat(active).format(value);
}
