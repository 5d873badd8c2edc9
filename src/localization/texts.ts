// A partner's `texts`, checked once per object: what cannot be shown (a language
// that is not an object of messages, a message that is not a string) is left
// out with one console warning each, and our own wording stays.

/** Partner wording, per locale then message id, layered over ours. `{0}`, `{1}`… stand for the message's values. */
export type ConduitTexts = Readonly<Record<string, Readonly<Record<string, string>>>>;

type Messages = Record<string, string>;

const checked = new WeakMap<object, ConduitTexts>();
const NONE: ConduitTexts = Object.freeze({});

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

/** The partner's texts without what cannot be shown; the same object gives the same answer, warned about once. */
export function usableTexts(value: unknown): ConduitTexts {
  if (value === null || value === undefined) return NONE;
  if (!isRecord(value)) {
    console.warn(`<conduit-link>: texts is ${kindOf(value)}, not an object of languages; it is ignored.`);
    return NONE;
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
