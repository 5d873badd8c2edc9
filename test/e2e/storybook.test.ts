// Every story in the built Storybook, opened in Chromium the way a reader opens
// it: it must render and finish (play functions included) with no console error
// and no uncaught error, and axe must find no WCAG 2.2 AA violation in it. Every
// story in the default globals (English, light), then again in Arabic right to
// left and dark, and in German (the longest words); the flow walked to its end in
// each other toolbar language, dark. Each run checks in the page that its language
// and theme reached the story: the wrapper's lang, direction and background, and
// the story's own words. The build is the real `npm run build-storybook` (which
// `npm test` runs first), served as static files with MSW's service worker at
// the root, as a deployed Storybook is.
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, relative, sep } from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import type { Browser, BrowserContext, Frame, Page, Request } from 'playwright-core';
import { closeServer, launchChromium, listen } from './browser.js';
import { builtStorybookDir, REPO } from './built-dist.js';

const AXE_SOURCE = readFileSync(join(REPO, 'node_modules', 'axe-core', 'axe.min.js'));
// Where the test's server gives axe to the pages (not a path of the build), so
// the browser compiles it once per context rather than once per story.
const AXE_PATH = '/__test__/axe.min.js';
// WCAG 2.0, 2.1 and 2.2, levels A and AA (axe has no rule of its own tagged wcag22a).
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

// Pages checked at once. Most of a page's time is waiting (MSW starting, the
// backend's quiet time), so more than the cores Chromium has.
const CONCURRENCY = 6;
// A story waits at most this long for its backend: 'slow' answers within it,
// 'hang' never does, by design, and is checked as it stands then.
const NETWORK_CAP_MS = 6_000;
// No request in flight for this long counts as settled...
const QUIET_MS = 300;
// ...and this long once the story has called its backend: the client retries a
// network failure, a 429 or a 5xx after a backoff of up to a second (or a short
// Retry-After) with nothing in flight meanwhile, so the failure a story shows
// (e.g. the backend unreachable) comes only after the last retry.
const BACKEND_QUIET_MS = 1_500;

// The preview's initialGlobals: what a story opened without globals must show.
const DEFAULT_GLOBALS: Required<Globals> = { locale: 'en', theme: 'light' };
// The toolbar's languages that are written right to left.
const RIGHT_TO_LEFT = new Set(['ar']);
// WCAG's relative luminance where black and white text contrast equally: a
// background below it is dark.
const DARK_LUMINANCE = 0.179;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Every file of the build by URL path. */
function readBuild(root: string, directory = root, files = new Map<string, Buffer>()): Map<string, Buffer> {
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) readBuild(root, path, files);
    else files.set(`/${relative(root, path).split(sep).join('/')}`, readFileSync(path));
  }
  return files;
}

function storybookServer(files: Map<string, Buffer>): Server {
  return createServer((request, response) => {
    let path = decodeURIComponent(new URL(request.url ?? '/', 'http://storybook').pathname);
    if (path.endsWith('/')) path += 'index.html';
    const body = path === AXE_PATH ? AXE_SOURCE : files.get(path);
    if (!body) {
      // iframe.html links no icon, so Chromium asks for /favicon.ico, which no
      // build has; its 404 would log a console error that is not a story's.
      response.statusCode = path === '/favicon.ico' ? 204 : 404;
      response.end();
      return;
    }
    // mockServiceWorker.js must come as JavaScript, or the browser refuses to register it.
    response.setHeader('Content-Type', TYPES[extname(path)] ?? 'application/octet-stream');
    // Vite's assets/ are named by content hash; the rest may change between builds.
    const immutable = path.startsWith('/assets/') || path === AXE_PATH;
    response.setHeader('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    response.end(body);
  });
}

interface IndexEntry {
  type: 'story' | 'docs';
  id: string;
  title: string;
  name: string;
  /** The file the entry comes from: a docs page and its stories share it. */
  importPath: string;
  /** Storybook's (such as 'play-fn' for a story with a play function) and ours ('walks-flow'). */
  tags?: string[];
}

interface Globals {
  locale?: string;
  theme?: string;
}

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

interface StoryState {
  errorDisplay: string | null;
  globals: Record<string, unknown>;
}

/** What the preview's decorator made of the globals, as the page shows it. */
interface StoryWrapper {
  lang: string | null;
  dir: string | null;
  theme: string | null;
  /** Computed. */
  direction: string;
  /** The computed background the story sits on: the wrapper's, or the nearest opaque one above it. */
  background: string | null;
  /** Each visible text node in the story, shadow roots included, its white space collapsed. */
  texts: string[];
}

// In the page: the decorator's wrapper and what it holds.
const READ_STORY_WRAPPER = `(() => {
  const wrapper = document.querySelector('#storybook-root .conduit-story');
  if (!wrapper) return null;
  let background = null;
  for (let element = wrapper; element && !background; element = element.parentElement) {
    const color = getComputedStyle(element).backgroundColor;
    if (color !== 'transparent' && !/^rgba\\(.*,\\s*0\\)$/.test(color)) background = color;
  }
  const texts = [];
  const read = (node) => {
    for (const child of node.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) {
        const text = child.data.replace(/\\s+/g, ' ').trim();
        const parent = child.parentElement ?? child.parentNode.host;
        if (text && parent.checkVisibility()) texts.push(text);
      } else if (child.nodeType === Node.ELEMENT_NODE) {
        if (child.shadowRoot) read(child.shadowRoot);
        read(child);
      }
    }
  };
  read(wrapper);
  return {
    lang: wrapper.getAttribute('lang'),
    dir: wrapper.getAttribute('dir'),
    theme: wrapper.dataset.theme ?? null,
    direction: getComputedStyle(wrapper).direction,
    background,
    texts,
  };
})()`;

/**
 * The messages `locale` words otherwise than English, from its xliff file, which
 * holds both (and which the locale modules the page loads are built from). Only
 * whole messages: one with a value in it (`<x …/>`) or an XML escape is left out.
 */
function translatedMessages(locale: string): Set<string> {
  const xliff = readFileSync(join(REPO, 'xliff', `${locale}.xlf`), 'utf8');
  const messages = new Set<string>();
  for (const [, source, target] of xliff.matchAll(/<source>(.*?)<\/source>\s*<target>(.*?)<\/target>/gs)) {
    if (target !== source && !/[<&]/.test(target!)) messages.add(target!.replace(/\s+/g, ' ').trim());
  }
  assert(messages.size > 0, `xliff/${locale}.xlf has translated messages`);
  return messages;
}

/** WCAG's relative luminance of a computed `rgb()`/`rgba()` colour, or null for another form. */
function luminance(color: string): number | null {
  const match = /^rgba?\((\d+(?:\.\d+)?),\s*(\d+(?:\.\d+)?),\s*(\d+(?:\.\d+)?)/.exec(color);
  if (!match) return null;
  const [red, green, blue] = match.slice(1).map((channel) => {
    const value = Number(channel) / 255;
    return value <= 0.04045 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * red! + 0.7152 * green! + 0.0722 * blue!;
}

/**
 * What is wrong with how the story shows `expected`: Storybook holding the
 * globals proves nothing if the decorator did not apply them, and a story left
 * in English and light would pass every other check.
 */
function globalsProblems(wrapper: StoryWrapper | null, expected: Required<Globals>, translated: ReadonlySet<string> | undefined): string[] {
  if (!wrapper) return ['no .conduit-story wrapper around the story: the preview\'s decorator did not run'];
  const problems: string[] = [];
  const direction = RIGHT_TO_LEFT.has(expected.locale) ? 'rtl' : 'ltr';
  if (wrapper.lang !== expected.locale) problems.push(`the wrapper's lang is ${JSON.stringify(wrapper.lang)}, not ${JSON.stringify(expected.locale)}`);
  if (wrapper.dir !== direction) problems.push(`the wrapper's dir is ${JSON.stringify(wrapper.dir)}, not ${JSON.stringify(direction)}`);
  if (wrapper.direction !== direction) problems.push(`the story is laid out ${wrapper.direction}, not ${direction}`);
  if (wrapper.theme !== expected.theme) problems.push(`the wrapper's data-theme is ${JSON.stringify(wrapper.theme)}, not ${JSON.stringify(expected.theme)}`);
  // No opaque background up to the root: the browser paints the canvas white.
  const background = wrapper.background ?? 'rgb(255, 255, 255)';
  const shade = luminance(background);
  if (shade === null) problems.push(`the story's background ${background} is not a colour the test can read`);
  else if (shade < DARK_LUMINANCE !== (expected.theme === 'dark')) problems.push(`the story sits on ${background}, which is not ${expected.theme}`);
  // A story with no text at all (an empty part) shows no language to check.
  if (translated && wrapper.texts.length > 0 && !wrapper.texts.some((text) => translated.has(text))) {
    problems.push(`the story shows no ${expected.locale} message; it reads: ${wrapper.texts.slice(0, 8).join(' | ')}`);
  }
  return problems;
}

// Storybook 10 reads globals from the iframe URL as `globals=key:value;key:value`.
function storyUrl(origin: string, id: string, globals: Globals | null): string {
  const params = new URLSearchParams({ id, viewMode: 'story' });
  let url = `${origin}/iframe.html?${params}`;
  if (globals) {
    url += `&globals=${Object.entries(globals)
      .map(([key, value]) => `${key}:${encodeURIComponent(value)}`)
      .join(';')}`;
  }
  return url;
}

/**
 * The one console error let through. Chromium logs every HTTP error answer and
 * every failed request as a console error ("Failed to load resource: the server
 * responded with a status of 401 (Unauthorized)", "… net::ERR_FAILED"). The
 * stories' mock backend (under /api/, answered by MSW in the page) fails so on
 * purpose: an expired session, an unreachable backend, an unknown company. How
 * the component takes it is what the story shows; a component that mishandles
 * one throws or logs an error of its own, which is not ignored. Any other failed
 * load (a missing asset, a locale file) counts. MSW's own start-up lines are
 * console.log/info, not errors, so they need no exception.
 */
function isMockBackendLoadError(text: string, url: string): boolean {
  return /^Failed to load resource: /.test(text) && isMockBackend(url);
}

/** The stories' `backend-url` is /api, which MSW answers in the page. */
function isMockBackend(url: string): boolean {
  return new URL(url, 'http://storybook').pathname.startsWith('/api/');
}

/** The requests a page (its frames included) has in flight, and when the last one started or ended. */
class NetworkWatch {
  readonly #inFlight = new Set<Request>();
  #lastActivity = Date.now();
  #calledBackend = false;

  constructor(page: Page) {
    page.on('request', (request) => {
      this.#inFlight.add(request);
      this.#lastActivity = Date.now();
      if (isMockBackend(request.url())) this.#calledBackend = true;
    });
    const settle = (request: Request) => {
      this.#inFlight.delete(request);
      this.#lastActivity = Date.now();
    };
    page.on('requestfinished', settle);
    page.on('requestfailed', settle);
  }

  /** Stops once nothing has been in flight for the quiet time, or at NETWORK_CAP_MS with requests open. */
  async settled(page: Page): Promise<boolean> {
    const start = Date.now();
    while (Date.now() - start < NETWORK_CAP_MS) {
      const quietMs = this.#calledBackend ? BACKEND_QUIET_MS : QUIET_MS;
      if (this.#inFlight.size === 0 && Date.now() - this.#lastActivity >= quietMs) return true;
      await page.waitForTimeout(50);
    }
    return false;
  }
}

/**
 * Waits for the story `id` in `frame` (a canvas page, or a story's own frame on
 * a docs page) to finish: Storybook's render cycle ends in the phase
 * 'finished', after loaders (MSW starting), the render, the play function and
 * the animations it waits for; a story that threw shows Storybook's error
 * display instead.
 */
async function storyFinished(frame: Frame, id: string): Promise<void> {
  await frame
    .waitForFunction(
      `(() => {
        const render = window.__STORYBOOK_PREVIEW__?.currentRender;
        if (document.body.classList.contains('sb-show-errordisplay')) return true;
        return render?.id === ${JSON.stringify(id)} && render.phase === 'finished' &&
          document.querySelector('#storybook-root')?.childElementCount > 0;
      })()`,
    )
    .catch((error: unknown) => {
      throw new Error(`the story did not finish rendering: ${(error as Error).message.split('\n')[0]}`);
    });
}

// In the page: what the last answers started: Lit updates, and animations that
// end (the spinner never does), in the document and every shadow root, for 2 s at most.
const SETTLE_ANIMATIONS = `(async () => {
  const roots = (root) => [root, ...[...root.querySelectorAll('*')].flatMap((el) => (el.shadowRoot ? roots(el.shadowRoot) : []))];
  const ending = roots(document)
    .flatMap((root) => root.getAnimations())
    .filter((animation) => animation.playState === 'running' && animation.effect?.getComputedTiming().endTime !== Infinity);
  await Promise.race([
    Promise.allSettled(ending.map((animation) => animation.finished)),
    new Promise((resolve) => setTimeout(resolve, 2000)),
  ]);
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
})()`;

/**
 * What a reader sees of a story: its first heading, and every visible text in
 * order; numbers as # (a countdown moves on) and support references as <id>
 * (each load logs its failure under a new one).
 */
interface Shown {
  heading: string;
  texts: string[];
}

// In the page, a function of the story's root element: what it shows.
const READ_SHOWN = `((root) => {
  const shown = { heading: '', texts: [] };
  if (!root) return shown;
  const read = (node) => {
    for (const child of node.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) {
        const text = child.data
          .replace(/\\s+/g, ' ')
          .trim()
          .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<id>')
          .replace(/\\d+/g, '#');
        const parent = child.parentElement ?? child.parentNode.host;
        if (text && parent.checkVisibility()) shown.texts.push(text);
      } else if (child.nodeType === Node.ELEMENT_NODE) {
        const heading = /^H[1-6]$/.test(child.tagName) || child.getAttribute('role') === 'heading';
        if (heading && !shown.heading && child.checkVisibility()) shown.heading = child.textContent.replace(/\\s+/g, ' ').trim();
        if (child.shadowRoot) read(child.shadowRoot);
        read(child);
      }
    }
  };
  read(root);
  return shown;
})`;

describe('every Storybook story in Chromium: renders without console errors, and axe finds no WCAG 2.2 AA violation', () => {
  let server: Server;
  let origin: string;
  let browser: Browser;
  let stories: IndexEntry[];
  /** The docs pages that show stories (a guide in MDX shows none). */
  let docsPages: IndexEntry[];
  /** The `locale` toolbar's values, read from the built preview. */
  let locales: string[];
  /** Per toolbar language but English, the messages it words otherwise. */
  let translations: Map<string, Set<string>>;
  /** What each story's canvas shows in the default globals, as the first run found it. */
  const canvasShown = new Map<string, Shown>();

  before(async () => {
    const files = readBuild(builtStorybookDir());
    const index = JSON.parse(files.get('/index.json')!.toString('utf8')) as { entries: Record<string, IndexEntry> };
    stories = Object.values(index.entries).filter((entry) => entry.type === 'story');
    assert(stories.length > 0, 'index.json lists stories');
    docsPages = Object.values(index.entries).filter(
      (entry) => entry.type === 'docs' && stories.some((story) => story.importPath === entry.importPath),
    );

    server = storybookServer(files);
    origin = await listen(server);

    browser = await launchChromium();

    // The toolbar, as the preview defines it: the languages to check, and proof that the globals these tests set exist.
    const page = await browser.newPage();
    try {
      await page.goto(storyUrl(origin, stories[0]!.id, null));
      const globalTypes = (await page.waitForFunction('window.__STORYBOOK_PREVIEW__?.storyStoreValue?.projectAnnotations?.globalTypes', null, {
        timeout: 15_000,
      }).then((handle) => handle.jsonValue())) as Record<string, { toolbar?: { items?: (string | { value: string })[] } }>;
      const values = (name: string) => (globalTypes[name]?.toolbar?.items ?? []).map((item) => (typeof item === 'string' ? item : item.value));
      locales = values('locale');
      for (const locale of ['en', 'ar', 'de']) assert(locales.includes(locale), `the locale toolbar offers ${locale}: ${locales.join(', ')}`);
      assert(values('theme').includes('dark'), `the theme toolbar offers dark: ${values('theme').join(', ')}`);
    } finally {
      await page.close();
    }
    translations = new Map(locales.filter((locale) => locale !== DEFAULT_GLOBALS.locale).map((locale) => [locale, translatedMessages(locale)]));
  });

  after(async () => {
    await browser?.close();
    await closeServer(server);
  });

  /** Opens one story in a new page, lets it settle, and fails with everything wrong with it. */
  async function checkStory(t: TestContext, context: BrowserContext, id: string, globals: Globals | null): Promise<void> {
    const page = await context.newPage();
    const problems: string[] = [];
    const network = new NetworkWatch(page);
    page.on('console', (message) => {
      const text = message.text();
      const { url, lineNumber } = message.location();
      const where = url ? ` (${url}:${lineNumber})` : '';
      // Warnings do not fail a story; they are shown beside its result.
      if (message.type() === 'warning') t.diagnostic(`console warning: ${text}${where}`);
      if (message.type() !== 'error' || isMockBackendLoadError(text, url)) return;
      problems.push(`console error: ${text}${where}`);
    });
    page.on('pageerror', (error) => problems.push(`uncaught error: ${error.stack ?? String(error)}`));

    try {
      await page.goto(storyUrl(origin, id, globals));
      await storyFinished(page.mainFrame(), id);
      if (!(await network.settled(page))) {
        t.diagnostic(`requests still open after ${NETWORK_CAP_MS} ms (a slow or hanging backend by design?); checked as it stands`);
      }
      await page.evaluate(SETTLE_ANIMATIONS);
      if (globals === null) canvasShown.set(id, (await page.evaluate(`${READ_SHOWN}(document.querySelector('#storybook-root'))`)) as Shown);

      const state = (await page.evaluate(`({
        errorDisplay: document.body.classList.contains('sb-show-errordisplay')
          ? document.querySelector('#error-message')?.textContent + '\\n' + document.querySelector('#error-stack')?.textContent
          : null,
        globals: window.__STORYBOOK_PREVIEW__?.storyStoreValue?.userGlobals?.get() ?? {},
      })`)) as StoryState;
      if (state.errorDisplay !== null) problems.push(`Storybook shows an error: ${state.errorDisplay.trim()}`);
      // Storybook drops a global it cannot parse with a warning only; without this the variant would pass as English.
      for (const [key, value] of Object.entries(globals ?? {})) {
        if (state.globals[key] !== value) problems.push(`global ${key} is ${JSON.stringify(state.globals[key])}, not ${JSON.stringify(value)}`);
      }

      if (state.errorDisplay === null) {
        const expected = { ...DEFAULT_GLOBALS, ...globals };
        const wrapper = (await page.evaluate(READ_STORY_WRAPPER)) as StoryWrapper | null;
        problems.push(...globalsProblems(wrapper, expected, translations.get(expected.locale)));

        await page.addScriptTag({ url: AXE_PATH });
        const violations = (await page.evaluate(`axe.run('#storybook-root', {
          runOnly: { type: 'tag', values: ${JSON.stringify(AXE_TAGS)} },
          resultTypes: ['violations'],
        }).then((results) => results.violations.map((violation) => ({
          id: violation.id,
          impact: violation.impact,
          help: violation.help,
          targets: violation.nodes.map((node) => node.target.map((part) => [].concat(part).join(' >>> ')).join(' | ')),
        })))`)) as Violation[];
        for (const violation of violations) {
          problems.push(`axe ${violation.id} (${violation.impact}): ${violation.help} — ${violation.targets.join(', ')}`);
        }
      }
      // Anything logged while axe ran, or after the last check, is still this story's.
      await page.evaluate('new Promise((resolve) => setTimeout(resolve, 50))');
    } catch (error) {
      problems.push((error as Error).message);
    } finally {
      await page.close();
    }
    if (problems.length > 0) assert.fail(`${id} has ${problems.length} problem(s):\n  - ${problems.join('\n  - ')}`);
  }

  /**
   * One subtest per story and globals, CONCURRENCY at a time, as pages of one
   * browser context: they share its HTTP cache and MSW's service worker, which
   * answers each page with that page's own handlers. Nothing the stories run
   * keeps state in the browser (no storage, no cookies) for one to leave to another.
   */
  async function checkEach(t: TestContext, runs: { name: string; id: string; globals: Globals | null }[]): Promise<void> {
    assert(runs.length > 0, 'there are stories to check');
    const context = await browser.newContext();
    context.setDefaultTimeout(15_000);
    try {
      await Promise.all(runs.map(({ name, id, globals }) => t.test(name, (subtest) => checkStory(subtest, context, id, globals))));
    } finally {
      await context.close();
    }
  }

  const every = (globals: Globals | null) => stories.map(({ id }) => ({ name: id, id, globals }));

  it('every story, default globals (English, light)', { concurrency: CONCURRENCY }, (t) => checkEach(t, every(null)));

  it('every story, Arabic (right to left) and dark', { concurrency: CONCURRENCY }, (t) =>
    checkEach(t, every({ locale: 'ar', theme: 'dark' })),
  );

  it('every story, German and light', { concurrency: CONCURRENCY }, (t) => checkEach(t, every({ locale: 'de', theme: 'light' })));

  // Representative, to keep the run short: the stories tagged `walks-flow`, whose
  // play function walks the flow through every step in that language and waits
  // for the end it expects (success or failure): a walk that ends elsewhere fails.
  it('the conduit-link stories that walk the flow, in every other toolbar language, dark', { concurrency: CONCURRENCY }, (t) => {
    const others = locales.filter((locale) => !['en', 'ar', 'de'].includes(locale));
    assert(others.length > 0, 'the toolbar has more languages');
    const flows = stories.filter((story) => story.tags?.includes('walks-flow'));
    assert(flows.length > 0, 'there are stories tagged walks-flow');
    return checkEach(
      t,
      others.flatMap((locale) => flows.map(({ id }) => ({ name: `${id} [${locale}, dark]`, id, globals: { locale, theme: 'dark' } }))),
    );
  });

  /** What the story `id` shows on its own canvas, after it has settled. */
  /** What the canvas of story `id` shows, read once it has finished, and no sooner than `age` ms after it was loaded. */
  async function shownOnCanvas(context: BrowserContext, id: string, age = 0): Promise<Shown> {
    const page = await context.newPage();
    const network = new NetworkWatch(page);
    try {
      const loaded = Date.now();
      await page.goto(storyUrl(origin, id, null));
      await storyFinished(page.mainFrame(), id);
      await network.settled(page);
      await page.evaluate(SETTLE_ANIMATIONS);
      await page.waitForTimeout(Math.max(0, age - (Date.now() - loaded)));
      return (await page.evaluate(`${READ_SHOWN}(document.querySelector('#storybook-root'))`)) as Shown;
    } finally {
      await page.close();
    }
  }

  /** The frame the docs page draws story `id` in, once it has loaded. */
  async function storyFrame(page: Page, id: string): Promise<Frame> {
    // The docs page may draw itself again (its globals arrive), replacing its frames: found by address, not by element.
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      const frame = page.frames().find((candidate) => new URL(candidate.url(), origin).searchParams.get('id') === id);
      if (frame && !frame.isDetached()) return frame;
      await page.waitForTimeout(100);
    }
    throw new Error(`the docs page never loaded the frame of ${id}`);
  }

  /**
   * What the docs page shows of the story under `anchor`: in the story's own frame, or
   * drawn in the page itself; with how long after its frame was loaded it was read (0 inline).
   */
  async function shownOnDocs(page: Page, network: NetworkWatch, anchor: string, id: string): Promise<{ shown: Shown; age: number }> {
    const block = page.locator(`[id=${JSON.stringify(anchor)}]`);
    // Frames load as they scroll into view.
    await block.scrollIntoViewIfNeeded();
    if ((await block.locator('iframe').count()) > 0) {
      const frame = await storyFrame(page, id);
      // Loaded afresh, to be read as soon after its start as its canvas was: a story
      // may move on by itself (Busy says Chargify is slow after 5 s), and frames near
      // the view load before they are scrolled to. How long that took is returned.
      const loaded = Date.now();
      await frame.goto(frame.url());
      await storyFinished(frame, id);
      await network.settled(page);
      await frame.evaluate(SETTLE_ANIMATIONS);
      const shown = (await frame.evaluate(`${READ_SHOWN}(document.querySelector('#storybook-root'))`)) as Shown;
      return { shown, age: Date.now() - loaded };
    }
    const story = `document.getElementById(${JSON.stringify(anchor)})?.querySelector('.conduit-story')`;
    await page.waitForFunction(`${story}?.childElementCount > 0`);
    await network.settled(page);
    await page.evaluate(SETTLE_ANIMATIONS);
    return { shown: (await page.evaluate(`${READ_SHOWN}(${story})`)) as Shown, age: 0 };
  }

  /** Where what the docs page shows first differs from what the canvas shows. */
  function difference(docs: Shown, canvas: Shown): string {
    if (docs.heading !== canvas.heading) return `the heading ${JSON.stringify(docs.heading)}, not ${JSON.stringify(canvas.heading)} as on its canvas`;
    const at = docs.texts.findIndex((text, index) => text !== canvas.texts[index]);
    const from = Math.max(0, (at === -1 ? canvas.texts.length : at) - 2);
    const around = (texts: string[]) => JSON.stringify(texts.slice(from, from + 5).join(' | '));
    return `${around(docs.texts)} (text ${from + 1} on), where its canvas shows ${around(canvas.texts)}`;
  }

  /** Opens a docs page and fails with each story that shows there something other than on its canvas. */
  async function checkDocsPage(context: BrowserContext, docs: IndexEntry): Promise<void> {
    const page = await context.newPage();
    const network = new NetworkWatch(page);
    const problems: string[] = [];
    const own = stories.filter((story) => story.importPath === docs.importPath);
    try {
      await page.goto(`${origin}/iframe.html?${new URLSearchParams({ id: docs.id, viewMode: 'docs' })}`);
      await page.waitForFunction(`${JSON.stringify(own.map((story) => `anchor--${story.id}`))}.every((id) => document.getElementById(id))`);
      // The docs page draws itself again as its globals arrive; read it once that is over.
      await network.settled(page);
      const anchors = await page.$$eval('[id^="anchor--"]', (blocks) => blocks.map((block) => block.id));
      for (const anchor of anchors) {
        const id = anchor.replace(/^anchor--(primary--)?/, '');
        const { shown: docsShown, age } = await shownOnDocs(page, network, anchor, id);
        let canvas = canvasShown.get(id) ?? (await shownOnCanvas(context, id));
        // A story may move on by itself (Busy says Chargify is slow after 5 s): on a busy
        // machine the docs frame may be read later in its life than the canvas was, so a
        // difference is checked again against the canvas read at the same age.
        if (!isDeepStrictEqual(docsShown, canvas) && age > 0) canvas = await shownOnCanvas(context, id, age);
        if (!isDeepStrictEqual(docsShown, canvas)) problems.push(`${id}: the docs page shows ${difference(docsShown, canvas)}`);
      }
    } catch (error) {
      problems.push((error as Error).message);
    } finally {
      await page.close();
    }
    if (problems.length > 0) assert.fail(`${docs.id} has ${problems.length} problem(s):\n  - ${problems.join('\n  - ')}`);
  }

  // A docs page shows all of a file's stories on one page, with one mock service
  // worker and no play functions: a story that needs its own backend answers or
  // its play function must be drawn there in a frame of its own, or the page
  // shows (say) the picker under "Backend unreachable".
  it('every docs page shows each story as its canvas does (heading and text)', { concurrency: CONCURRENCY }, async (t) => {
    assert(docsPages.length > 0, 'there are docs pages with stories');
    const context = await browser.newContext();
    context.setDefaultTimeout(20_000);
    try {
      await Promise.all(docsPages.map((docs) => t.test(docs.id, () => checkDocsPage(context, docs))));
    } finally {
      await context.close();
    }
  });
});
