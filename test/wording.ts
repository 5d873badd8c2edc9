// The flow's words in every language it ships, for tests that drive it by the
// names the user reads: the English source of the messages they press or look
// for, and the translated catalogues the build generates.
import { templates as ar } from '../src/localization/generated/ar.js';
import { templates as de } from '../src/localization/generated/de.js';
import { templates as es } from '../src/localization/generated/es.js';
import { templates as fr } from '../src/localization/generated/fr.js';
import { templates as it_ } from '../src/localization/generated/it.js';
import { templates as nl } from '../src/localization/generated/nl.js';
import { templates as ptBR } from '../src/localization/generated/pt-BR.js';
import { normalise } from './a11y.js';

export type TargetLocale = 'ar' | 'de' | 'es' | 'fr' | 'it' | 'nl' | 'pt-BR';
export const TARGET_LOCALES: readonly TargetLocale[] = ['ar', 'de', 'es', 'fr', 'it', 'nl', 'pt-BR'];
export const CATALOGUES: Record<TargetLocale, Readonly<Record<string, unknown>>> = { ar, de, es, fr, it: it_, nl, 'pt-BR': ptBR };

// English has no catalogue (it is the source, in the msg() calls): the messages tests use are written out.
export const ENGLISH: Readonly<Record<string, string>> = {
  'conduit.common.next': 'Next',
  'conduit.credentials.submit': 'Continue',
  'conduit.credentials.title': 'Your Chargify credentials',
  'conduit.credentials.subdomainLabel': 'Site subdomain',
  'conduit.credentials.keyLabel': 'API key',
  'conduit.credentials.regionUS': 'United States',
  'conduit.credentials.regionEU': 'Europe',
  'conduit.credentials.helpTitle': 'Where do I find my API key?',
  'conduit.link.back': 'Back',
  'conduit.link.close': 'Close',
  'conduit.link.confirmStay': 'Keep connecting',
  'conduit.picker.title': 'Choose your billing platform',
  'conduit.picker.intro': 'Select the platform you use for billing and subscriptions.',
};

/** A plain message (no values), by id, as one language words it. */
export type Say = (id: string) => string;

/**
 * Plain messages as `locale` words them, with their spaces as the harness
 * reads them (French puts no-break spaces before `?` and `:`).
 */
export function sayIn(locale: string): Say {
  return (id) => {
    const text = locale === 'en' ? ENGLISH[id] : CATALOGUES[locale as TargetLocale]?.[id];
    if (typeof text !== 'string') throw new Error(`The test has no plain ${locale} text for ${id}`);
    return normalise(text);
  };
}
