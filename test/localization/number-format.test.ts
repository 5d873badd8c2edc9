// The flow writes small numbers ("Step 2 of 4", how many integrations match) without
// building an Intl formatter where it can (see LATIN_DIGITS in localization.ts): here
// every such number, in every shipped language, is what Intl itself would write.
import { expect } from '@open-wc/testing';
import { Catalogue } from '../../src/localization/localization.js';
import { sourceLocale, targetLocales } from '../../src/localization/generated/locale-codes.js';

describe('numbers and plural forms in each language', () => {
  for (const locale of [sourceLocale, ...targetLocales]) {
    it(`${locale}: 0–1,200 as Intl.NumberFormat writes them, and English plural forms as Intl.PluralRules picks them`, () => {
      const catalogue = new Catalogue();
      catalogue.locale = locale;
      const format = new Intl.NumberFormat(locale);
      const rules = new Intl.PluralRules(locale);
      const wrong: string[] = [];
      for (let value = 0; value <= 1200; value++) {
        if (catalogue.formatNumber(value) !== format.format(value)) wrong.push(`${value} → ${catalogue.formatNumber(value)}`);
        if (catalogue.pluralCategory(value) !== rules.select(value)) wrong.push(`${value}: ${catalogue.pluralCategory(value)}`);
      }
      expect(wrong.slice(0, 5)).to.deep.equal([]);
    });
  }

  it('writes Arabic in its own digits', () => {
    const catalogue = new Catalogue();
    catalogue.locale = 'ar';
    expect(catalogue.formatNumber(4)).to.equal(new Intl.NumberFormat('ar').format(4));
  });
});
