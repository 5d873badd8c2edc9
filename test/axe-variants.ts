// How the axe suites check each state: as reached, in the dark theme, and
// right to left in Arabic (test/flow-a11y.test.ts, test/lifecycle-a11y.test.ts).
import { expect, waitUntil } from '@open-wc/testing';
import { expectDark, expectLight } from './paint.js';
import { firstText, type Flow } from './harness.js';

/** How each state is checked: as reached, in the dark theme, and right to left in Arabic. */
export interface Variant {
  name: string;
  attributes: Record<string, string>;
  /** That the variant is really what axe is about to check. */
  expectApplied: (flow: Flow) => Promise<void>;
}

export const VARIANTS: Variant[] = [
  { name: 'light', attributes: {}, expectApplied: (flow) => expectLight(flow.element) },
  { name: 'dark', attributes: { theme: 'dark' }, expectApplied: (flow) => expectDark(flow.element) },
  {
    name: 'Arabic, right to left',
    attributes: { locale: 'ar' },
    expectApplied: async (flow) => {
      const text = await firstText(flow.element);
      expect(getComputedStyle(text).direction, `the direction "${text.textContent?.trim()}" runs in`).to.equal('rtl');
    },
  },
];

function renderedLanguage(flow: Flow): string | null | undefined {
  return flow.element.shadowRoot?.querySelector('[lang]')?.getAttribute('lang');
}

/**
 * Axe on the state the test reached, in the variant: the state is reached in
 * English and light (the harness speaks English), switched in place, checked,
 * and switched back so the test can go on.
 */
export async function expectAccessible(flow: Flow, variant: Variant): Promise<void> {
  const entries = Object.entries(variant.attributes);
  const language = variant.attributes.locale;
  for (const [name, value] of entries) flow.element.setAttribute(name, value);
  if (language) await waitUntil(() => renderedLanguage(flow) === language, `never rendered in ${language}`);
  await flow.settle();
  await variant.expectApplied(flow);
  await expect(flow.element).to.be.accessible();
  for (const [name] of entries) flow.element.removeAttribute(name);
  if (language) await waitUntil(() => renderedLanguage(flow) === 'en', 'never returned to English');
  await flow.settle();
}
