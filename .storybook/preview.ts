import { setCustomElementsManifest, type Decorator, type Preview } from '@storybook/web-components-vite';
import { html } from 'lit';
import { mswLoader } from 'msw-storybook-addon/csf3';
import { GLOBALS_UPDATED, SET_GLOBALS } from 'storybook/internal/core-events';
import { addons } from 'storybook/preview-api';
import { sourceLocale, targetLocales } from '../src/localization/generated/locale-codes.js';
import { directionOf } from '../src/localization/localization.js';
import { darkPalette } from '../src/styles/tokens.js';
import manifest from '../custom-elements.json' with { type: 'json' };
import '../src/define.js';
// Stories show steps on their own too, outside any <conduit-link> that would load them: defined at once.
import '../src/later-steps.js';
import '../src/lifecycle-steps.js';

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

// On a docs page every story shares one page and one mock service worker, so a
// story with its own backend answers or a play function (the flow, the
// credentials step) renders in a frame of its own there (`docs.story.inline =
// false` in its file), as on its canvas. Storybook loads that frame without the
// docs page's globals; these lines put them in the frame's address, which
// Storybook builds from PREVIEW_URL (a change of globals redraws the docs page,
// frames included, so each frame follows the toolbar).
type Globals = Record<string, unknown>;
let pageGlobals: Globals = {};
const channel = addons.getChannel();
for (const event of [SET_GLOBALS, GLOBALS_UPDATED]) channel.on(event, ({ globals }: { globals: Globals }) => void (pageGlobals = globals));
Object.defineProperty(globalThis, 'PREVIEW_URL', {
  configurable: true,
  get: () => {
    const pairs = Object.entries(pageGlobals).filter(([key]) => key === 'locale' || key === 'theme');
    return pairs.length > 0 ? `iframe.html?globals=${pairs.map(([key, value]) => `${key}:${String(value)}`).join(';')}` : 'iframe.html';
  },
});

// A story's frame talks to its parent as if to Storybook's manager; a docs page
// would take its frames' messages (globals set, story rendered) for its own and
// draw itself again, reloading every frame. Only the manager, or the page itself,
// speaks to a page.
window.addEventListener(
  'message',
  (event) => {
    if (event.source !== window.parent && event.source !== window) event.stopImmediatePropagation();
  },
  { capture: true },
);

const withLocaleAndTheme: Decorator = (story, { globals }) => {
  // <conduit-link> marks its own language and direction; a step shown alone reads the lang set here.
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
