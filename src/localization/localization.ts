import { configureLocalization, type LocaleModule } from '@lit/localize';
import { sourceLocale, targetLocales } from './generated/locale-codes.js';

type Controls = ReturnType<typeof configureLocalization>;

// Explicit loaders: template-literal dynamic imports 404 in the test runner
// and get inlined by Vite.
const loaders: Record<string, () => Promise<LocaleModule>> = {
  de: () => import('./generated/de.js'),
};

let controls: Controls | null | undefined;

// A host page may already have configured @lit/localize (it throws on a second
// call); then we keep its locale rather than break the page.
function localization(): Controls | null {
  if (controls === undefined) {
    try {
      controls = configureLocalization({
        sourceLocale,
        targetLocales,
        loadLocale: (locale) => loaders[locale]!(),
      });
    } catch {
      controls = null;
    }
  }
  return controls;
}

const supported = new Set<string>([sourceLocale, ...targetLocales]);

/** The best locale we have for a BCP 47 tag: exact, then its language, else the source. */
export function resolveLocale(requested: string | undefined): string {
  if (!requested) return sourceLocale;
  if (supported.has(requested)) return requested;
  const language = requested.split('-')[0]!.toLowerCase();
  return supported.has(language) ? language : sourceLocale;
}

/** Switches the rendered language; resolves once the locale module is loaded. */
export async function applyLocale(requested: string | undefined): Promise<void> {
  const locale = resolveLocale(requested);
  const active = localization();
  if (active && active.getLocale() !== locale) await active.setLocale(locale);
}

export function currentLocale(): string {
  return localization()?.getLocale() ?? sourceLocale;
}
