import { setCustomElementsManifest, type Decorator, type Preview } from '@storybook/web-components-vite';
import { html } from 'lit';
import { mswLoader } from 'msw-storybook-addon/csf3';
import { sourceLocale, targetLocales } from '../src/localization/generated/locale-codes.js';
import { applyLocale, directionOf } from '../src/localization/localization.js';
import { darkPalette } from '../src/styles/tokens.js';
import manifest from '../custom-elements.json' with { type: 'json' };
import '../src/define.js';

// Docs pages list attributes, properties, events, slots, parts and CSS properties
// from the manifest the analyzer writes from our JSDoc.
setCustomElementsManifest(manifest);

// Every locale lit-localize builds, each named in its own language: a new one
// reaches the toolbar (and the e2e test's runs) without an edit here.
const LOCALES = [sourceLocale, ...targetLocales].map((locale) => {
  const name = new Intl.DisplayNames([locale], { type: 'language' }).of(locale) ?? locale;
  // Some languages name themselves in lower case (español); a menu entry starts with a capital.
  const title = name.charAt(0).toLocaleUpperCase(locale) + name.slice(1);
  return { value: locale, title: directionOf(locale) === 'rtl' ? `${title} (right to left)` : title };
});

// The dark palette on a wrapper: every element inherits it, a step shown on its
// own as much as the whole flow (whose stories also get the `theme` attribute).
const darkCanvas = document.createElement('style');
darkCanvas.textContent = `.conduit-story[data-theme='dark'] { ${darkPalette.cssText} background: #15171f; padding: 1rem; }`;
document.head.append(darkCanvas);

const withLocaleAndTheme: Decorator = (story, { globals }) => {
  void applyLocale([globals.locale]);
  // <conduit-link> marks its own language and direction; a step shown alone takes the page's.
  return html`<div class="conduit-story" lang=${globals.locale} dir=${directionOf(globals.locale)} data-theme=${globals.theme}>
    ${story()}
  </div>`;
};

const preview: Preview = {
  // Starts MSW; each story's `parameters.msw` says how the backend behaves.
  loaders: [mswLoader()],
  tags: ['autodocs'],
  decorators: [withLocaleAndTheme],
  globalTypes: {
    locale: {
      description: 'Language of the flow',
      toolbar: { title: 'Language', icon: 'globe', items: LOCALES, dynamicTitle: true },
    },
    theme: {
      description: 'Colour theme',
      toolbar: { title: 'Theme', icon: 'mirror', items: ['light', 'dark'], dynamicTitle: true },
    },
  },
  initialGlobals: { locale: sourceLocale, theme: 'light' },
  parameters: {
    layout: 'padded',
    controls: { expanded: true },
  },
};

export default preview;
