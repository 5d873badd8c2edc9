// Values inside sentences keep their own direction (issue 21, item 3): every
// value of every message, in every language, ours or the partner's wording, is
// isolated between U+2068 and U+2069. How it looks in Arabic is tested where
// each value is shown (the consent, the search, the support reference).
import { expect } from '@open-wc/testing';
import { Catalogue } from '../src/localization/localization.js';
import { str, type StrResult } from '../src/localization/str.js';
import { CATALOGUES, isolate, TARGET_LOCALES } from './wording.js';

/** A message with values, as the generated catalogues hold it. */
function isTemplate(message: unknown): message is StrResult {
  return typeof message === 'object' && message !== null && 'values' in message;
}

/** Stand-ins for a message's values: one per gap, in the source's order. */
function standIns(template: StrResult): string[] {
  const count = Math.max(...template.values.map(Number)) + 1;
  return Array.from({ length: count }, (_, i) => `VALUE${i}`);
}

describe('values inside messages', () => {
  for (const locale of TARGET_LOCALES) {
    it(`${locale}: every value of every message is isolated`, async () => {
      const catalogue = new Catalogue();
      await catalogue.applyLocale([locale]);
      const notIsolated: string[] = [];
      let checked = 0;
      for (const [id, message] of Object.entries(CATALOGUES[locale])) {
        if (!isTemplate(message)) continue;
        const values = standIns(message);
        const text = catalogue.translate({ strTag: true, strings: ['', ...values.map(() => '')], values }, { id });
        for (const value of new Set(message.values.map((index) => values[Number(index)]!))) {
          checked++;
          if (!text.includes(isolate(value))) notIsolated.push(`${id}: ${text}`);
        }
      }
      expect(checked, 'no message with values was found').to.be.greaterThan(20);
      expect(notIsolated).to.deep.equal([]);
    });
  }

  it('en: the source messages isolate their values', () => {
    const catalogue = new Catalogue();
    const partner = 'Acme Inc.';
    expect(catalogue.translate(str`${partner} can now read data from this Chargify site.`, { id: 'conduit.success.body' })).to.equal(
      '\u2068Acme Inc.\u2069 can now read data from this Chargify site.',
    );
  });

  it('the partner’s own wording isolates the values it places', () => {
    const catalogue = new Catalogue();
    catalogue.applyTexts({ en: { 'conduit.error.reference': 'Quote {0} to support' } });
    const reference = '12345678-abcd';
    expect(catalogue.translate(str`Support reference: ${reference}`, { id: 'conduit.error.reference' })).to.equal(
      'Quote \u206812345678-abcd\u2069 to support',
    );
  });
});
