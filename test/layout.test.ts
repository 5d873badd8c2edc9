// Layout as a user meets it: in a narrow sidebar, on a phone, in a long
// language or right to left. Every test measures what is on screen (boxes,
// sizes, scroll, focus), never how the shadow DOM is built.
import { expect, waitUntil } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import { templates as arabic } from '../src/localization/generated/ar.js';
import { templates as german } from '../src/localization/generated/de.js';
import { allByRole, describeElement, focused, isRendered } from './flow-helpers.js';
import { backend, deepElements, Flow, type FlowOptions } from './harness.js';

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

const TRANSLATIONS: Record<Exclude<Locale, 'en'>, Record<string, unknown>> = { de: german, ar: arabic };

const ENGLISH = {
  'conduit.picker.title': 'Choose your billing platform',
  'conduit.common.next': 'Next',
  'conduit.credentials.submit': 'Continue',
  'conduit.credentials.subdomainLabel': 'Site subdomain',
  'conduit.credentials.keyLabel': 'API key',
  'conduit.credentials.helpTitle': 'Where do I find my API key?',
  'conduit.credentials.regionEU': 'Europe',
  'conduit.success.finish': 'Finish',
  'conduit.link.close': 'Close',
  'conduit.link.confirmStay': 'Keep connecting',
} as const;

type TextId = keyof typeof ENGLISH;

function say(locale: Locale, id: TextId): string {
  if (locale === 'en') return ENGLISH[id];
  const text = TRANSLATIONS[locale][id];
  if (typeof text !== 'string') throw new Error(`No ${locale} text for ${id}`);
  return text;
}

function escapeRegExp(text: string): RegExp {
  return new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
}

// ---------------------------------------------------------------------------
// Mounting.

interface Mounted {
  flow: Flow;
  /** The partner's box the flow sits in. */
  box: HTMLElement;
}

/** Mounts the flow inline in a partner's box `width` px wide (or as wide as the page), in `locale`. */
async function mountInline(width: number | null, locale: Locale = 'en', options: FlowOptions = {}): Promise<Mounted> {
  const flow = await Flow.mount({ ...options, attributes: { ...(locale === 'en' ? {} : { locale }), ...options.attributes } });
  const box = flow.element.parentElement!;
  if (width !== null) box.style.width = `${width}px`;
  await waitUntil(() => flow.heading === say(locale, 'conduit.picker.title'), `the picker never read in ${locale}: "${flow.heading}"`);
  await flow.settle();
  return { flow, box };
}

/** Mounts the flow as a modal and opens it, as the partner's "Connect" button does. */
async function openModal(options: FlowOptions = {}): Promise<Flow> {
  const flow = await Flow.mount({ ...options, attributes: { mode: 'modal', ...options.attributes }, noWait: true });
  flow.element.open();
  await flow.waitForStep('picker');
  await settleAnimations(flow);
  return flow;
}

/** Lets the dialog's opening animation finish, so boxes are measured where they come to rest. */
async function settleAnimations(flow: Flow): Promise<void> {
  const running = deepElements(flow.element).flatMap((element) => element.getAnimations());
  for (const animation of running) if (animation.effect?.getTiming().iterations !== Infinity) animation.finish();
  await flow.settle();
}

/** The one dialog the user sees. */
function theDialog(flow: Flow): HTMLDialogElement {
  const dialogs = allByRole<HTMLDialogElement>(flow.element, 'dialog');
  expect(dialogs.length, 'dialogs shown').to.equal(1);
  return dialogs[0]!;
}

/** The card the flow is drawn on: its documented `frame` part. */
function card(flow: Flow): HTMLElement {
  const frame = deepElements(flow.element).find((element) => element.part.contains('frame') && isRendered(element));
  if (!frame) throw new Error('No frame part is shown');
  return frame as HTMLElement;
}

// ---------------------------------------------------------------------------
// Walking every step and state.

/** Waits until nothing in the flow is busy checking the key. */
async function untilIdle(flow: Flow): Promise<void> {
  await waitUntil(
    () => !deepElements(flow.element).some((element) => element.getAttribute('aria-busy') === 'true'),
    'the flow stayed busy',
    { timeout: 8000 },
  );
  await flow.settle();
}

async function submit(flow: Flow, locale: Locale, subdomain: string, apiKey: string): Promise<void> {
  await flow.fill(say(locale, 'conduit.credentials.subdomainLabel'), subdomain);
  await flow.fill(say(locale, 'conduit.credentials.keyLabel'), apiKey);
  await flow.click(say(locale, 'conduit.credentials.submit'));
  await untilIdle(flow);
}

function summary(flow: Flow, locale: Locale): HTMLElement {
  const found = deepElements(flow.element).find(
    (element) => element.localName === 'summary' && element.textContent?.trim() === say(locale, 'conduit.credentials.helpTitle'),
  );
  if (!found) throw new Error(`No "${say(locale, 'conduit.credentials.helpTitle')}" in: ${flow.text}`);
  return found as HTMLElement;
}

type Visit = (state: string) => Promise<void> | void;

/**
 * Picker → permissions → credentials (idle, help open, a field error, the
 * region hint, the other region, an error from Chargify) → success, calling
 * `visit` in each state. In a modal it also visits the "leave?" confirmation.
 */
async function walkEveryState(flow: Flow, locale: Locale, visit: Visit): Promise<void> {
  const next = say(locale, 'conduit.common.next');
  await visit('picker');
  await flow.choose('Chargify');
  await visit('picker, Chargify chosen');
  await flow.click(next);
  await flow.waitForStep('permissions');
  await visit('permissions');
  await flow.click(next);
  await flow.waitForStep('credentials');
  await visit('credentials');

  summary(flow, locale).click();
  await flow.settle();
  await visit('credentials, help open');

  // Client-side: the key's numeric id instead of the key, told under the field.
  await submit(flow, locale, 'acme', '4815162342');
  await visit('credentials, key id pasted');

  // The site is in the EU, the user said US: the flow offers to switch.
  await submit(flow, locale, 'euro-shop', 'chg_demo_euro_admin');
  await visit('credentials, region hint');
  await flow.click(escapeRegExp(say(locale, 'conduit.credentials.regionEU')));
  await visit('credentials, EU region (long host name)');

  backend.scenario = 'error:account_blocked';
  await submit(flow, locale, 'euro-shop', 'chg_demo_euro_admin');
  await visit('credentials, account blocked, with a support reference');

  if (flow.element.mode === 'modal') {
    await flow.click(say(locale, 'conduit.link.close'));
    await visit('asking to confirm leaving');
    await flow.click(say(locale, 'conduit.link.confirmStay'));
  }

  backend.scenario = 'demo';
  await submit(flow, locale, 'euro-shop', 'chg_demo_euro_admin');
  await flow.waitForStep('success');
  await visit('success');
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

function labelOf(element: Element): string {
  return `<${element.localName}> ${describeElement(element)}`;
}

/** Drawn on screen with a size: not display:none, contents or visually hidden (clipped to 1 px). */
function isDrawn(element: Element): boolean {
  if (!element.checkVisibility({ visibilityProperty: true })) return false;
  const rect = element.getBoundingClientRect();
  return rect.width > 1 || rect.height > 1;
}

/** Everything inside `box` that sticks out of it, or whose text is cut off. */
function overflowProblems(box: HTMLElement): string[] {
  const bounds = box.getBoundingClientRect();
  const problems: string[] = [];
  if (box.scrollWidth > box.clientWidth) problems.push(`the box scrolls sideways: scrollWidth ${box.scrollWidth} > clientWidth ${box.clientWidth}`);
  for (const element of deepElements(box)) {
    if (!isDrawn(element)) continue;
    const rect = element.getBoundingClientRect();
    if (!inside(rect, bounds)) problems.push(`${labelOf(element)} at ${showRect(rect)} is outside the box ${showRect(bounds)}`);
    // Controls and headings must show their whole text; anything else must not hold content wider than itself.
    if (!(element instanceof HTMLInputElement) && element.scrollWidth > element.clientWidth && element.clientWidth > 0) {
      problems.push(`${labelOf(element)} cuts off its content: scrollWidth ${element.scrollWidth} > clientWidth ${element.clientWidth}`);
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

// ---------------------------------------------------------------------------

describe('<conduit-link> layout: narrow containers', () => {
  const cases: { width: number; locale: Locale }[] = [
    { width: 200, locale: 'en' },
    { width: 360, locale: 'en' },
    { width: 320, locale: 'ar' },
    { width: 320, locale: 'de' },
    { width: 360, locale: 'de' },
  ];

  for (const { width, locale } of cases) {
    it(`fits a ${width} px box in every step and state (${locale})`, async () => {
      const { flow, box } = await mountInline(width, locale);
      const found: string[] = [];
      await walkEveryState(flow, locale, (state) => {
        expect(box.getBoundingClientRect().width, 'the box width').to.be.closeTo(width, TOLERANCE);
        console.log(state, '|', flow.text.slice(0,400));
        found.push(...overflowProblems(box).map((problem) => `${state}: ${problem}`));
      });
      expect(found).to.deep.equal([]);
    });
  }

  it('uses the narrow padding in a 320 px box on a wide page: it measures its container, not the viewport', async () => {
    expect(window.innerWidth, 'the viewport is wide').to.be.at.least(700);
    const padding = async (width: number) => {
      const { flow } = await mountInline(width);
      return parseFloat(getComputedStyle(card(flow)).paddingInlineStart);
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
      const dialog = theDialog(flow).getBoundingClientRect();
      const frame = card(flow);
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
    const dialog = theDialog(flow).getBoundingClientRect();
    expect(dialog.width, 'the dialog width').to.be.below(1024 - 100);
    expect(dialog.height, 'the dialog height').to.be.below(768);
    expect(dialog.left, 'the space on the left vs the right').to.be.closeTo(1024 - dialog.right, 1);
    expect(dialog.top, 'the space above vs below').to.be.closeTo(768 - dialog.bottom, 1);
    expect(parseFloat(getComputedStyle(card(flow)).borderStartStartRadius), 'the card corner radius').to.be.above(0);
  });
});
