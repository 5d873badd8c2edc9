/** A message template with values, as `str` makes it and the catalogue fills it. */
export interface StrResult {
  readonly strTag: true;
  readonly strings: readonly string[];
  readonly values: readonly unknown[];
}

/**
 * Tags a message template that has values: `msg(str`Step ${n}`, …)`. The brand
 * property is how `lit-localize extract` recognises the tag (it reads types, not
 * imports), so it finds every template without this module pretending to be
 * @lit/localize.
 */
export interface StrTag {
  (strings: TemplateStringsArray, ...values: unknown[]): StrResult;
  readonly _LIT_LOCALIZE_STR_?: never;
}

export const str: StrTag = (strings, ...values) => ({ strTag: true, strings, values });
