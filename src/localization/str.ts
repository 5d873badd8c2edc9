import type { str as litStr } from '@lit/localize';

/**
 * @lit/localize's `str` tag (same shape, same type, so `lit-localize extract`
 * still finds every template), without its runtime set-up: the builds point the
 * generated locale modules' `import { str } from '@lit/localize'` here too.
 */
export const str = ((strings: TemplateStringsArray, ...values: unknown[]) => ({ strTag: true, strings, values })) as unknown as typeof litStr;
