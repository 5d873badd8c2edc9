// Layout as a user meets it: in a narrow sidebar, on a phone, in a long
// language or right to left. Every test measures what is on screen (boxes,
// sizes, scroll, focus), never how the shadow DOM is built.
import { expect, nextFrame, waitUntil } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import { allByRole, deepElements, describeElement, escapeRegExp, focusedElement, isRendered, normalise } from './a11y.js';
import { backend, Flow } from './harness.js';
import { waitFor } from './wait.js';
import { sayIn } from './wording.js';

// ---------------------------------------------------------------------------
// Clean-up: every test puts back the viewport, page styles and spacers it changed.

const cleanups: (() => unknown)[] = [];

function onCleanup(undo: () => unknown): void {
  cleanups.push(undo);
}

afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function useViewport(width: number, height: number): Promise<void> {
  const previous = { width: window.innerWidth, height: window.innerHeight };
  await setViewport({ width, height });
  onCleanup(() => setViewport(previous));
  await waitUntil(() => window.innerWidth === width && window.innerHeight === height, `the viewport never became ${width}×${height}`);
}

// ---------------------------------------------------------------------------
// Words: the walk through the flow finds buttons and fields by what they read, in each language.

type Locale = 'en' | 'de' | 'ar';

// ---------------------------------------------------------------------------
// Mounting.

interface Mounted {
  flow: Flow;
  /** The partner's box the flow sits in. */
  box: HTMLElement;
}

/** Mounts the flow inline in a partner's box `width` px wide (or as wide as the page), in `locale`. */
async function mountInline(width: number | null, locale: Locale = 'en'): Promise<Mounted> {
  const flow = await Flow.mount({ attributes: locale === 'en' ? {} : { locale } });
  const box = flow.element.parentElement!;
  if (width !== null) box.style.width = `${width}px`;
  await flow.waitForHeading(sayIn(locale)('conduit.picker.title'));
  await flow.settle();
  return { flow, box };
}

/** Mounts the flow as a modal and opens it on the picker, its opening animation finished. */
async function openModal(): Promise<Flow> {
  const flow = await Flow.mount({ attributes: { mode: 'modal' }, noWait: true });
  await flow.open('picker');
  await settleAnimations(flow);
  return flow;
}

/** Lets the dialog's opening animation finish, so boxes are measured where they come to rest. */
async function settleAnimations(flow: Flow): Promise<void> {
  const running = deepElements(flow.element).flatMap((element) => element.getAnimations());
  for (const animation of running) if (animation.effect?.getTiming().iterations !== Infinity) animation.finish();
  await flow.settle();
}

// ---------------------------------------------------------------------------
// Walking every step and state.

/** What tells that the walk is in a state: something the state before it does not show. */
interface Marker {
  what: string;
  seen: (flow: Flow) => boolean | Promise<boolean>;
}

function showing(text: string): Marker {
  const wanted = text.replace(/\s+/g, ' ');
  return { what: `“${wanted}”`, seen: (flow) => flow.text.includes(wanted) };
}

function isBusy(flow: Flow): boolean {
  return deepElements(flow.element).some((element) => element.getAttribute('aria-busy') === 'true');
}

/**
 * Waits until the flow shows `marker`, with nothing in it busy checking the
 * key. "Not busy" alone is not enough: right after the click the check may not
 * have started yet, and the state before it is not busy either.
 */
async function untilIdle(flow: Flow, marker: Marker): Promise<void> {
  await waitFor(
    async () => (await marker.seen(flow)) && !isBusy(flow),
    () => `The flow never showed ${marker.what}${isBusy(flow) ? ', and stayed busy' : ''}; it shows: ${flow.text}`,
    { timeout: 8000 },
  );
  await flow.settle();
}

/** Fills the form and submits it; waits for `leadsTo`, or else for the flow to show something new. */
async function submit(flow: Flow, locale: Locale, subdomain: string, apiKey: string, leadsTo?: Marker): Promise<void> {
  const say = sayIn(locale);
  await flow.fill(say('conduit.credentials.subdomainLabel'), subdomain);
  await flow.fill(say('conduit.credentials.keyLabel'), apiKey);
  const before = flow.text;
  await flow.click(say('conduit.credentials.submit'));
  await untilIdle(flow, leadsTo ?? { what: 'anything new', seen: () => flow.text !== before });
}

function summary(flow: Flow, locale: Locale): HTMLElement {
  const title = sayIn(locale)('conduit.credentials.helpTitle');
  const found = deepElements(flow.element).find((element) => element.localName === 'summary' && normalise(element.textContent ?? '') === title);
  if (!found) throw new Error(`No "${title}" in: ${flow.text}`);
  return found as HTMLElement;
}

type Visit = (state: string) => Promise<void> | void;

/**
 * Picker → permissions → credentials (idle, help open, a field error, the
 * region hint, the other region, an error from Chargify) → success, calling
 * `visit` in each state. In a modal it also visits the "leave?" confirmation.
 * Each state is first proved reached by what only it shows, so that what
 * `visit` measures is that state.
 */
async function walkEveryState(flow: Flow, locale: Locale, visit: Visit): Promise<void> {
  const say = sayIn(locale);
  const next = say('conduit.common.next');
  const at = async (state: string, marker: Marker) => {
    expect(await marker.seen(flow), `${state}: ${marker.what} is not shown; the flow shows: ${flow.text}`).to.equal(true);
    await visit(state);
  };
  const text = (id: string, values?: string[]) => showing(say(id, values));

  await at('picker', text('conduit.picker.title'));
  await flow.choose('Chargify');
  await at('picker, Chargify chosen', {
    what: `Chargify chosen and “${next}” enabled`,
    seen: async () => (await flow.field('Chargify')).checked && !(await flow.button(next)).disabled,
  });
  await flow.click(next);
  await flow.waitForStep('permissions');
  await at('permissions', text('conduit.permissions.accessTitle'));
  await flow.click(next);
  await flow.waitForStep('credentials');
  await at('credentials', text('conduit.credentials.title'));

  summary(flow, locale).click();
  await flow.settle();
  await at('credentials, help open', text('conduit.credentials.helpNavigate'));

  // Client-side: the key's numeric id instead of the key, told under the field.
  const keyId = text('conduit.credentials.keyLooksLikeId');
  await submit(flow, locale, 'acme', '4815162342', keyId);
  await at('credentials, key id pasted', keyId);

  // The site is in the EU, the user said US: the flow offers to switch.
  const europe = say('conduit.credentials.regionEU');
  const regionHint = text('conduit.credentials.regionHint', [europe]);
  await submit(flow, locale, 'euro-shop', 'chg_demo_euro_admin', regionHint);
  await at('credentials, region hint', regionHint);
  await flow.click(new RegExp(escapeRegExp(europe)));
  // The EU host name, written out after the subdomain: no US state shows it.
  await at('credentials, EU region (long host name)', showing('.ebilling.maxio.com'));

  backend.scenario = 'error:account_blocked';
  const blocked = text('conduit.error.accountBlocked');
  await submit(flow, locale, 'euro-shop', 'chg_demo_euro_admin', blocked);
  await at('credentials, account blocked, with a support reference', blocked);

  if (flow.element.mode === 'modal') {
    await flow.click(say('conduit.link.close'));
    await at('asking to confirm leaving', text('conduit.link.confirmTitle'));
    await flow.click(say('conduit.link.confirmStay'));
  }

  backend.scenario = 'demo';
  const connected = text('conduit.success.title');
  await submit(flow, locale, 'euro-shop', 'chg_demo_euro_admin', connected);
  await flow.waitForStep('success');
  await at('success', connected);
}

// ---------------------------------------------------------------------------
// Measuring.

type Rect = Pick<DOMRect, 'left' | 'top' | 'right' | 'bottom' | 'width' | 'height'>;

const TOLERANCE = 0.5;

function px(value: number): string {
  return String(Math.round(value * 10) / 10);
}

function showRect(rect: Rect): string {
  return `${px(rect.left)},${px(rect.top)} → ${px(rect.right)},${px(rect.bottom)} (${px(rect.width)}×${px(rect.height)})`;
}

function inside(rect: Rect, bounds: Rect): boolean {
  return (
    rect.left >= bounds.left - TOLERANCE &&
    rect.right <= bounds.right + TOLERANCE &&
    rect.top >= bounds.top - TOLERANCE &&
    rect.bottom <= bounds.bottom + TOLERANCE
  );
}

async function labelOf(element: Element): Promise<string> {
  return `<${element.localName}> ${await describeElement(element)}`;
}

/** Drawn on screen with a size: not display:none, contents or visually hidden (clipped to 1 px). */
function isDrawn(element: Element): boolean {
  if (!isRendered(element)) return false;
  const rect = element.getBoundingClientRect();
  return rect.width > 1 || rect.height > 1;
}

// Where text can be cut off: controls and headings, and anything that clips what overflows it.
const TEXT_HOLDERS: ReadonlySet<string> = new Set(['button', 'summary', 'label', 'legend', 'h2', 'h3']);

function cutsOffText(element: Element): boolean {
  if (element instanceof HTMLInputElement) return false;
  const clips = TEXT_HOLDERS.has(element.localName) || getComputedStyle(element).overflowX !== 'visible';
  return clips && element.scrollWidth > element.clientWidth;
}

/** Everything inside `box` that sticks out of it, or whose text is cut off. */
async function overflowProblems(box: HTMLElement): Promise<string[]> {
  const bounds = box.getBoundingClientRect();
  const problems: string[] = [];
  if (box.scrollWidth > box.clientWidth) problems.push(`the box scrolls sideways: scrollWidth ${box.scrollWidth} > clientWidth ${box.clientWidth}`);
  for (const element of deepElements(box)) {
    if (!isDrawn(element)) continue;
    const rect = element.getBoundingClientRect();
    if (!inside(rect, bounds)) problems.push(`${await labelOf(element)} at ${showRect(rect)} is outside the box ${showRect(bounds)}`);
    if (cutsOffText(element)) {
      problems.push(`${await labelOf(element)} cuts off its content: scrollWidth ${element.scrollWidth} > clientWidth ${element.clientWidth}`);
    }
    for (const node of Array.from(element.childNodes)) {
      if (node.nodeType !== Node.TEXT_NODE || !node.textContent?.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const line of Array.from(range.getClientRects())) {
        if (line.width > 0 && !inside(line, bounds)) {
          problems.push(`the text "${node.textContent.trim().slice(0, 40)}" at ${showRect(line)} is outside the box ${showRect(bounds)}`);
        }
      }
    }
  }
  return problems;
}

/** Fails listing the first problems found (a whole walk can find hundreds). */
function expectNone(problems: string[], what: string): void {
  const shown = problems.slice(0, 25);
  if (problems.length > shown.length) shown.push(`… and ${problems.length - shown.length} more`);
  expect(shown, what).to.deep.equal([]);
}

// ---------------------------------------------------------------------------

describe('<conduit-link> layout: narrow containers', () => {
  const cases: { width: number; locale: Locale }[] = [
    { width: 320, locale: 'en' },
    { width: 360, locale: 'en' },
    { width: 320, locale: 'ar' },
    { width: 320, locale: 'de' },
    { width: 360, locale: 'de' },
  ];

  for (const { width, locale } of cases) {
    it(`fits a ${width} px box in every step and state (${locale})`, async () => {
      const { flow, box } = await mountInline(width, locale);
      const found: string[] = [];
      await walkEveryState(flow, locale, async (state) => {
        expect(box.getBoundingClientRect().width, 'the box width').to.be.closeTo(width, TOLERANCE);
        found.push(...(await overflowProblems(box)).map((problem) => `${state}: ${problem}`));
      });
      expectNone(found, `overflow in a ${width} px box`);
    });
  }

  // A web address keeps its left-to-right order inside right-to-left text: the
  // subdomain typed, then the region's host name after it (to its right), while
  // the field's label reads right to left like the rest.
  it('keeps the site address left to right in a 320 px box in Arabic: the subdomain, then the host name to its right or, with no room there, under it from the left', async () => {
    const { flow, box } = await mountInline(320, 'ar');
    const say = sayIn('ar');
    await flow.choose('Chargify');
    await flow.click(say('conduit.common.next'));
    await flow.waitForStep('permissions');
    await flow.click(say('conduit.common.next'));
    await flow.waitForStep('credentials');
    const label = say('conduit.credentials.subdomainLabel');
    await flow.fill(label, 'acme');
    const field = await flow.field(label);
    for (const [host, region] of [
      ['.chargify.com', say('conduit.credentials.regionUS')],
      ['.ebilling.maxio.com', say('conduit.credentials.regionEU')],
    ] as const) {
      await flow.choose(new RegExp(`^${escapeRegExp(region)}`));
      const input = field.getBoundingClientRect();
      const suffix = flow.byText(host).getBoundingClientRect();
      const where = `${host} (${showRect(suffix)}), the subdomain field (${showRect(input)})`;
      if (suffix.top < input.bottom - 1 && input.top < suffix.bottom) {
        // On the field's row: the two share one border line, so the host name's box starts on the field's last pixel.
        expect(suffix.left, `${where}: starts right of the field`).to.be.at.least(input.right - 1 - TOLERANCE);
      } else {
        // No room beside a field that keeps a dozen characters: the line under it, read from the left.
        expect(suffix.top, `${where}: under the field`).to.be.at.least(input.bottom - 1 - TOLERANCE);
        expect(suffix.left, `${where}: from the field's left edge`).to.be.closeTo(input.left, 1 + TOLERANCE);
      }
      expect(suffix.right, `${host} inside the 320 px box`).to.be.at.most(box.getBoundingClientRect().right + TOLERANCE);
    }
    expect(getComputedStyle(field.labels![0]!).direction, 'the label reads right to left').to.equal('rtl');
  });

  it('uses the narrow padding in a 320 px box on a wide page: it measures its container, not the viewport', async () => {
    expect(window.innerWidth, 'the viewport is wide').to.be.at.least(700);
    const padding = async (width: number) => {
      const { flow } = await mountInline(width);
      return parseFloat(getComputedStyle(flow.card).paddingInlineStart);
    };
    const wide = await padding(600);
    const narrow = await padding(320);
    expect(narrow, `padding in a 320 px box (${narrow} px) vs a 600 px box (${wide} px)`).to.be.below(wide);
  });
});

describe('<conduit-link mode="modal"> layout: sheet and card', () => {
  for (const [width, height] of [
    [375, 700],
    [320, 568],
  ] as const) {
    it(`is a full-screen sheet with square corners on a ${width}×${height} screen`, async () => {
      await useViewport(width, height);
      const flow = await openModal();
      const dialog = (await flow.dialog()).getBoundingClientRect();
      const frame = flow.card;
      expect(showRect(dialog), 'the dialog').to.equal(showRect({ left: 0, top: 0, right: width, bottom: height, width, height }));
      expect(showRect(frame.getBoundingClientRect()), 'the card').to.equal(showRect(dialog));
      const style = getComputedStyle(frame);
      const corners = [style.borderStartStartRadius, style.borderStartEndRadius, style.borderEndStartRadius, style.borderEndEndRadius];
      expect(corners, 'the card corners').to.deep.equal(['0px', '0px', '0px', '0px']);
    });
  }

  it('is a centred card with rounded corners, narrower than a 1024×768 screen', async () => {
    await useViewport(1024, 768);
    const flow = await openModal();
    const dialog = (await flow.dialog()).getBoundingClientRect();
    expect(dialog.width, 'the dialog width').to.be.below(1024 - 100);
    expect(dialog.height, 'the dialog height').to.be.below(768);
    expect(dialog.left, 'the space on the left vs the right').to.be.closeTo(1024 - dialog.right, 1);
    expect(dialog.top, 'the space above vs below').to.be.closeTo(768 - dialog.bottom, 1);
    expect(parseFloat(getComputedStyle(flow.card).borderStartStartRadius), 'the card corner radius').to.be.above(0);
  });
});

// ---------------------------------------------------------------------------
// Scroll lock.

/** Makes the page 3000 px tall and scrolls it to `y`; undone after the test. */
async function tallPageScrolledTo(y: number): Promise<void> {
  const spacer = document.createElement('div');
  spacer.style.blockSize = '3000px';
  document.body.append(spacer);
  onCleanup(() => {
    spacer.remove();
    window.scrollTo(0, 0);
  });
  window.scrollTo(0, y);
  await waitUntil(() => window.scrollY === y, `the page never scrolled to ${y}`);
}

/** Sets the page's own inline style on <html>; put back after the test. */
function styleHtml(css: string): void {
  const html = document.documentElement;
  const previous = html.getAttribute('style');
  if (css) html.setAttribute('style', css);
  onCleanup(() => (previous === null ? html.removeAttribute('style') : html.setAttribute('style', previous)));
}

interface PageState {
  /** What the page wrote on <html> itself. */
  inlineStyle: string;
  overflow: string;
  scrollbarGutter: string;
  scrollY: number;
  /** A full-width element: it narrows, and everything on the page moves, if the scrollbar's room goes away. */
  bodyWidth: number;
}

function pageState(): PageState {
  const html = document.documentElement;
  const style = getComputedStyle(html);
  return {
    inlineStyle: html.getAttribute('style') ?? '',
    overflow: `${style.overflowX} ${style.overflowY}`,
    scrollbarGutter: style.scrollbarGutter,
    scrollY: window.scrollY,
    bodyWidth: document.body.getBoundingClientRect().width,
  };
}

interface Closing {
  name: string;
  /** Gets the flow to where the user closes it from. */
  reach?: (flow: Flow) => Promise<void>;
  close: (flow: Flow) => Promise<unknown>;
}

const CLOSINGS: Closing[] = [
  { name: 'the Close button on the picker', close: (flow) => flow.click('Close') },
  { name: 'Escape on the picker', close: () => sendKeys({ press: 'Escape' }) },
  {
    name: 'Finish on success',
    reach: async (flow) => {
      await flow.toCredentials();
      await flow.submitCredentials('acme', 'chg_demo_acme_admin');
      await flow.waitForStep('success');
    },
    close: (flow) => flow.click('Finish'),
  },
  { name: 'the partner removing the element while it is open', close: async (flow) => flow.element.remove() },
];

const PAGE_STYLES: { name: string; css: string }[] = [
  { name: 'a page with no style of its own on <html>', css: '' },
  { name: 'a page that sets overflow-y: scroll on <html>', css: 'overflow-y: scroll;' },
  { name: 'a page that sets overflow: auto and scrollbar-gutter: stable on <html>', css: 'overflow: auto; scrollbar-gutter: stable;' },
];

describe('<conduit-link mode="modal"> scroll lock', () => {
  for (const page of PAGE_STYLES) {
    it(`holds the page still while open: no user scrolling, no jump, no sideways shift, on ${page.name}`, async () => {
      styleHtml(page.css);
      await tallPageScrolledTo(500);
      const before = pageState();
      const flow = await openModal();
      const checks = async (state: string) => {
        const held = pageState();
        expect(
          { overflow: held.overflow, scrollY: held.scrollY, bodyWidth: held.bodyWidth },
          `the page behind the modal (${state}; before opening: body ${before.bodyWidth} px wide)`,
        ).to.deep.equal({ overflow: 'hidden hidden', scrollY: 500, bodyWidth: before.bodyWidth });
      };
      await checks('picker');
      await flow.toCredentials();
      await checks('credentials');
    });

    for (const closing of CLOSINGS) {
      it(`puts the page's overflow and scrollbar-gutter back after ${closing.name}, on ${page.name}`, async () => {
        styleHtml(page.css);
        await tallPageScrolledTo(500);
        const before = pageState();
        const flow = await openModal();
        await closing.reach?.(flow);
        expect(pageState().overflow, 'the page is not locked while open').to.equal('hidden hidden');

        await closing.close(flow);
        await waitUntil(async () => !flow.element.isConnected || (await allByRole(flow.element, 'dialog')).length === 0, 'the modal never closed');
        await flow.settle();
        expect(pageState(), 'the page after the modal closed').to.deep.equal(before);
      });
    }
  }
});

// ---------------------------------------------------------------------------
// Target size (WCAG 2.2, 2.5.8): at least 24×24 CSS px for everything the user clicks or taps.

const MIN_TARGET = 24;

/** What the user clicks or taps, rendered: buttons, fields, summaries, radios and links. */
function isTarget(element: Element): boolean {
  if (!isRendered(element)) return false;
  if (element instanceof HTMLInputElement) return element.type !== 'hidden';
  if (element.localName === 'a') return element.hasAttribute('href');
  return ['button', 'summary', 'select', 'textarea'].includes(element.localName) || Number(element.getAttribute('tabindex') ?? -1) >= 0;
}

/**
 * The box a click lands on: for a radio or checkbox, its label takes the click
 * too (and is the only thing to click when the input is visually hidden).
 */
function clickableBox(element: Element): DOMRect {
  const labels = element instanceof HTMLInputElement && ['radio', 'checkbox'].includes(element.type) ? Array.from(element.labels ?? []) : [];
  const wrapping = labels.find((label) => label.contains(element));
  return (wrapping ?? element).getBoundingClientRect();
}

// WCAG's inline exception: a link in a run of text is sized by the text's line height.
function isInlineText(element: Element): boolean {
  return element.localName === 'a' && getComputedStyle(element).display === 'inline';
}

/** Targets smaller than 24×24, and how many were measured. */
async function smallTargets(flow: Flow): Promise<{ measured: number; problems: string[] }> {
  const targets = deepElements(flow.element).filter((element) => isTarget(element) && !isInlineText(element));
  const problems: string[] = [];
  for (const element of targets) {
    const box = clickableBox(element);
    if (box.width < MIN_TARGET || box.height < MIN_TARGET) problems.push(`${await labelOf(element)} is ${px(box.width)}×${px(box.height)}`);
  }
  return { measured: targets.length, problems };
}

describe('<conduit-link> target size', () => {
  const setups: { name: string; open: () => Promise<Flow> }[] = [
    { name: 'inline, page width', open: async () => (await mountInline(null)).flow },
    { name: 'inline, in a 320 px box', open: async () => (await mountInline(320)).flow },
    {
      name: 'modal, 1024×768 screen',
      open: async () => {
        await useViewport(1024, 768);
        return openModal();
      },
    },
    {
      name: 'modal, 320×640 screen',
      open: async () => {
        await useViewport(320, 640);
        return openModal();
      },
    },
  ];

  for (const setup of setups) {
    it(`gives every control at least 24×24 px in every step and state (${setup.name})`, async () => {
      const flow = await setup.open();
      const found: string[] = [];
      await walkEveryState(flow, 'en', async (state) => {
        if (flow.element.mode === 'modal') await settleAnimations(flow);
        const { measured, problems } = await smallTargets(flow);
        expect(measured, `controls found in ${state}`).to.be.above(0);
        found.push(...problems.map((problem) => `${state}: ${problem}`));
      });
      expectNone(found, 'targets under 24×24 px');
    });
  }
});

// ---------------------------------------------------------------------------
// Focus is never hidden by layout.

function viewportRect(): Rect {
  const width = document.documentElement.clientWidth;
  const height = window.innerHeight;
  return { left: 0, top: 0, right: width, bottom: height, width, height };
}

/**
 * Presses `key` until focus reaches the control `last`, checking after each
 * press that the focused control is on screen. Returns where focus went.
 */
async function tabCheckingFocus(key: 'Tab' | 'Shift+Tab', last: string): Promise<{ path: string[]; hidden: string[] }> {
  const path: string[] = [];
  const hidden: string[] = [];
  for (let i = 0; i < 25; i++) {
    await sendKeys({ press: key });
    await nextFrame();
    const active = focusedElement();
    if (!active) break;
    const described = await describeElement(active);
    const name = `<${active.localName}> ${described}`;
    path.push(name);
    const rect = active.getBoundingClientRect();
    if (!inside(rect, viewportRect())) hidden.push(`${name} at ${showRect(rect)}, the screen is ${showRect(viewportRect())}`);
    if (described === last) return { path, hidden };
  }
  throw new Error(`${key} never reached ${last}; focus went: ${path.join(' → ')}`);
}

describe('<conduit-link mode="modal"> focus stays on screen', () => {
  it('scrolls each control of the credentials step into view as the user tabs, on a 320×400 screen', async () => {
    await useViewport(320, 400);
    const flow = await openModal();
    await flow.toCredentials();
    const sheet = await flow.dialog();
    expect(sheet.scrollHeight, 'the step is taller than the screen').to.be.above(400);

    const forward = await tabCheckingFocus('Tab', 'button "Continue"');
    expect(forward.path.length, 'controls visited').to.be.at.least(5);
    expectNone(forward.hidden, 'focused controls off screen, tabbing forward');
    expect(sheet.scrollTop, 'the sheet scrolled to bring Continue into view').to.be.above(0);
    const back = await tabCheckingFocus('Shift+Tab', 'button "Back"');
    expectNone(back.hidden, 'focused controls off screen, tabbing back');

    // With the help open and an error shown (more to scroll past, and the region switch and Copy buttons).
    summary(flow, 'en').click();
    await submit(flow, 'en', 'euro-shop', 'chg_demo_euro_admin');
    expect(flow.text).to.include('This site exists in the Europe region.');
    const withError = await tabCheckingFocus('Tab', 'button "Continue"');
    expect(withError.path.join(' → ')).to.include('Copy support reference');
    expectNone(withError.hidden, 'focused controls off screen, with help and an error');
    const backAgain = await tabCheckingFocus('Shift+Tab', 'button "Back"');
    expectNone(backAgain.hidden, 'focused controls off screen, tabbing back with help and an error');
  });
});

describe('<conduit-link> in the boxes partners put it in', () => {
  // Centring rows and shrink-to-fit boxes size an element by its content: the
  // flow must bring its own width, not collapse to nothing.
  for (const [name, style] of [
    ['a centring flex row', 'display: flex; justify-content: center'],
    ['an inline-block', 'display: inline-block'],
    ['a fit-content box', 'width: fit-content'],
  ] as const) {
    it(`keeps its width in ${name}`, async () => {
      const { flow, box } = await mountInline(null);
      box.setAttribute('style', style);
      await flow.settle();
      const width = flow.card.getBoundingClientRect().width;
      expect(width, `the card's width in ${name}`).to.be.at.least(320);
      expect(flow.element.getBoundingClientRect().width, 'the element holds its card').to.be.closeTo(width, TOLERANCE);
    });
  }
});
