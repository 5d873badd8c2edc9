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
import { isolate } from '../src/localization/localization.js';
import { str } from '../src/localization/str.js';
import { normalise } from './a11y.js';

export { isolate };

const ISOLATES = /[\u2066-\u2069]/g;

/** Text without the bidirectional isolates around inserted values: invisible, and not spoken, so not what a test compares. */
export function plain(text: string): string {
  return text.replace(ISOLATES, '');
}

export type TargetLocale = 'ar' | 'de' | 'es' | 'fr' | 'it' | 'nl' | 'pt-BR';
export const TARGET_LOCALES: readonly TargetLocale[] = ['ar', 'de', 'es', 'fr', 'it', 'nl', 'pt-BR'];
export const CATALOGUES: Record<TargetLocale, Readonly<Record<string, unknown>>> = { ar, de, es, fr, it: it_, nl, 'pt-BR': ptBR };

/** A message with values, as `str` writes it: the text around them, and which value goes in each gap. */
interface Template {
  strings: readonly string[];
  values: readonly unknown[];
}

// English has no catalogue (it is the source, in the msg() calls): the messages tests use are written out.
export const ENGLISH: Readonly<Record<string, string | Template>> = {
  'conduit.lifecycle.disconnect': 'Disconnect Chargify',
  'conduit.credentials.handoffOffer': "I don't have the admin key — send this step to a colleague",
  'conduit.common.next': 'Next',
  'conduit.credentials.submit': 'Continue',
  'conduit.credentials.title': 'Your Chargify credentials',
  'conduit.credentials.subdomainLabel': 'Site subdomain',
  'conduit.credentials.keyLabel': 'API key',
  'conduit.credentials.busy': 'Connecting…',
  'conduit.credentials.regionUS': 'United States',
  'conduit.credentials.regionEU': 'Europe',
  'conduit.credentials.helpTitle': 'Where do I find my API key?',
  'conduit.link.back': 'Back',
  'conduit.link.close': 'Close',
  'conduit.link.confirmStay': 'Keep connecting',
  'conduit.picker.title': 'Choose your billing platform',
  'conduit.picker.intro': 'Select the platform you use for billing and subscriptions.',
  'conduit.permissions.accessTitle': 'What the API key allows',
  'conduit.credentials.helpNavigate': 'Go to Config → Integrations → API Keys.',
  'conduit.credentials.keyLooksLikeId': "That looks like the key's ID, not the key. Paste the long code Chargify showed when the key was created.",
  'conduit.credentials.regionHint': str`This site exists in the ${0} region.`,
  'conduit.error.accountBlocked':
    'Chargify has blocked access to this account, usually because its trial ended or it was cancelled. Ask your Chargify account owner to reactivate it, then try again.',
  'conduit.link.confirmTitle': 'Leave without connecting?',
  'conduit.success.title': 'Chargify connected',
};

/** A message, by id, as one language words it, with `values` in its gaps. */
export type Say = (id: string, values?: readonly string[]) => string;

/**
 * Messages as `locale` words them, with their spaces as the harness reads them
 * (French puts no-break spaces before `?` and `:`). A translation may put the
 * values in another order: each gap says which value it takes.
 */
export function sayIn(locale: string): Say {
  return (id, values = []) => {
    const message = (locale === 'en' ? ENGLISH : CATALOGUES[locale as TargetLocale])?.[id] as string | Template | undefined;
    if (message === undefined) throw new Error(`The test has no ${locale} text for ${id}`);
    if (typeof message === 'string') return normalise(message);
    return normalise(
      message.strings.reduce((text, part, gap) => {
        const which = message.values[gap - 1] as number;
        const value = values[which];
        if (value === undefined) throw new Error(`${id} in ${locale} needs value ${which}; the test gave ${values.length}`);
        // As the flow inserts it: isolated (see `isolate`).
        return text + isolate(value) + part;
      }),
    );
  };
}
