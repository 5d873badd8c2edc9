// A small harness so that tests read like a user's journey: a Screen finds
// things the way a person or a screen reader does (the button named Continue,
// the field labelled API key, the heading, the alert), by role and name from
// Chromium's own accessibility tree; a Flow is a mounted <conduit-link> with
// the events it fired and the mock backend behind it.
import { chai, expect, fixture, nextFrame } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { html, render } from 'lit';
import { setupWorker } from 'msw/browser';
import { MockBackend, type Scenario } from '../mocks/backend.js';
import '../src/define.js';
// The later steps load on demand in a page; standalone steps are mounted here too, so they are defined now.
import '../src/later-steps.js';
import { CONDUIT_EVENT_TYPES, type ConduitLinkElement } from '../src/index.js';
import { accessibilityTree, deepElements, isRendered, matches, normalise, textOf, type AxNode, type Matcher } from './a11y.js';
import { waitFor } from './wait.js';

// Queries are asynchronous now; a forgotten `await` would hand chai a promise
// that some assertions (`not.to.equal`, `to.be.ok`) pass. Fail it instead.
chai.use((chaiStatic, utils) => {
  const refuse = (assertion: object, name: string) => {
    if (utils.flag(assertion, 'object') instanceof Promise) throw new Error(`expect() was given a promise (.${name}): await the query`);
  };
  type Method = (this: object, ...args: unknown[]) => void;
  for (const name of ['equal', 'eql', 'match', 'members', 'above', 'below', 'least', 'most', 'within', 'oneOf', 'throw']) {
    chaiStatic.Assertion.overwriteMethod(name, (original: Method) =>
      function (this: object, ...args: unknown[]) {
        refuse(this, name);
        original.apply(this, args);
      },
    );
  }
  for (const name of ['include', 'lengthOf']) {
    chaiStatic.Assertion.overwriteChainableMethod(
      name,
      (original: Method) =>
        function (this: object, ...args: unknown[]) {
          refuse(this, name);
          original.apply(this, args);
        },
      // The types say a behaviour; chai passes the one it had and takes back the one to use.
      ((chaining: Method) => chaining) as unknown as () => void,
    );
  }
  for (const name of ['ok', 'true', 'false', 'empty', 'undefined', 'null']) {
    chaiStatic.Assertion.overwriteProperty(name, (original: Method) =>
      function (this: object) {
        refuse(this, name);
        original.call(this);
      },
    );
  }
});

/** The roles of the controls a label names. */
const FIELD_ROLES = ['textbox', 'searchbox', 'radio', 'checkbox', 'combobox', 'spinbutton'];

/** Types into a field as a user would: focus, value, then input and change events. */
export function typeInto(input: HTMLInputElement, value: string): void {
  input.focus();
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

function hasOwnText(element: Element): boolean {
  return Array.from(element.childNodes).some((node) => node.nodeType === Node.TEXT_NODE && node.textContent!.trim());
}

/** Everything the user can read below `root`: the text of rendered elements, through shadow roots. */
function visibleText(root: Element): string {
  const parts: string[] = [];
  const walk = (node: Node) => {
    if (node.nodeType === Node.TEXT_NODE) {
      const parent = node.parentElement;
      if (parent && isRendered(parent)) parts.push(node.textContent ?? '');
      return;
    }
    if (node instanceof Element && node.shadowRoot) walk(node.shadowRoot);
    node.childNodes.forEach(walk);
  };
  walk(root);
  return normalise(parts.join(' '));
}

/** A view of one mounted element (a step, or the whole flow), queried as a user would. */
export class Screen {
  constructor(readonly root: HTMLElement & { updateComplete?: Promise<unknown> }) {}

  /** Waits for the element to re-render and the browser to lay it out. */
  async settle(): Promise<void> {
    for (let i = 0; i < 2; i++) {
      await this.root.updateComplete;
      await nextFrame();
    }
  }

  /** Everything the user can read (or hear), in document order. */
  get text(): string {
    return visibleText(this.root);
  }

  /** Each rendered run of text the user reads: headings, paragraphs, list items, buttons, badges… */
  get blocks(): string[] {
    return deepElements(this.root)
      .filter((element) => !element.shadowRoot && isRendered(element) && hasOwnText(element))
      .map((element) => normalise(Array.from(element.childNodes, (node) => (node.nodeType === Node.TEXT_NODE ? node.textContent : '')).join('')));
  }

  /** What a screen reader finds here with one of these roles, name and all: one snapshot. */
  nodes<T extends HTMLElement = HTMLElement>(...roles: string[]): Promise<AxNode<T>[]> {
    return accessibilityTree<T>(this.root, roles.length > 0 ? roles : undefined);
  }

  /** The elements with this role (and name, if given). */
  async all<T extends HTMLElement = HTMLElement>(role: string, name?: Matcher): Promise<T[]> {
    const nodes = await this.nodes<T>(role);
    return nodes.filter((node) => name === undefined || matches(name, node.name)).map((node) => node.element);
  }

  /** The one element with this role (and name), or null; more than one fails. */
  async query<T extends HTMLElement = HTMLElement>(role: string, name?: Matcher): Promise<T | null> {
    const found = await this.all<T>(role, name);
    if (found.length > 1) throw new Error(`${found.length} elements with role ${role} "${String(name)}"`);
    return found[0] ?? null;
  }

  async get<T extends HTMLElement = HTMLElement>(role: string, name?: Matcher): Promise<T> {
    const found = await this.query<T>(role, name);
    if (!found) throw new Error(`No ${role} "${String(name ?? '')}" in: ${this.text}`);
    return found;
  }

  async has(role: string, name?: Matcher): Promise<boolean> {
    return (await this.all(role, name)).length > 0;
  }

  /** The step's title: the name of its first heading ('' when it has none). */
  async heading(): Promise<string> {
    return (await this.nodes('heading'))[0]?.name ?? '';
  }

  button(name: Matcher): Promise<HTMLButtonElement> {
    return this.get<HTMLButtonElement>('button', name);
  }

  /** The form control whose label reads `label` (a radio's label, a legend's group). */
  async fieldNode(label: Matcher): Promise<AxNode<HTMLInputElement>> {
    const found = (await this.nodes<HTMLInputElement>(...FIELD_ROLES)).filter((node) => matches(label, node.name));
    if (found.length !== 1) throw new Error(`${found.length} fields labelled "${String(label)}" in: ${this.text}`);
    return found[0]!;
  }

  /** The form control whose label reads `label`. */
  async field(label: Matcher): Promise<HTMLInputElement> {
    return (await this.fieldNode(label)).element;
  }

  async hasField(label: Matcher): Promise<boolean> {
    return (await this.nodes(...FIELD_ROLES)).some((node) => matches(label, node.name));
  }

  /** What a screen reader reads after the field's label: its hint and its error. */
  async descriptionOf(label: Matcher): Promise<string> {
    return (await this.fieldNode(label)).description;
  }

  /** The rendered element whose own text reads `text` (a summary, a badge…). */
  byText(text: Matcher): HTMLElement {
    const found = deepElements(this.root).filter(
      (element): element is HTMLElement => element instanceof HTMLElement && isRendered(element) && matches(text, textOf(element)),
    );
    // The innermost match is the element the text belongs to.
    const innermost = found.filter((element) => !found.some((other) => other !== element && element.contains(other)));
    if (innermost.length !== 1) throw new Error(`${innermost.length} elements reading "${String(text)}" in: ${this.text}`);
    return innermost[0]!;
  }

  /** Clicks the button named `name` as a pointer does: focus first, then click. */
  async click(name: Matcher): Promise<void> {
    const button = await this.button(name);
    button.focus();
    button.click();
    await this.settle();
  }

  /** Types into a field as a user would: sets the value and fires input and change. */
  async fill(label: Matcher, value: string): Promise<void> {
    typeInto(await this.field(label), value);
    await this.settle();
  }

  /** Pastes text into a field; if the page does not take the paste over, it lands in the field as in a browser. */
  async paste(label: Matcher, text: string): Promise<void> {
    const input = await this.field(label);
    input.focus();
    const data = new DataTransfer();
    data.setData('text/plain', text);
    const event = new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true, composed: true });
    if (input.dispatchEvent(event)) {
      input.value += text;
      input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    }
    await this.settle();
  }

  /** Picks a radio (or ticks a checkbox) by its label. */
  async choose(label: Matcher): Promise<void> {
    (await this.field(label)).click();
    await this.settle();
  }
}

/** Renders a template into a fresh container (for the standalone step tests). */
export async function mountStep<T extends Element>(template: unknown): Promise<T> {
  const holder = await fixture<HTMLDivElement>(html`<div></div>`);
  render(template, holder);
  const element = holder.firstElementChild as T & { updateComplete?: Promise<unknown> };
  await element.updateComplete;
  return element;
}

/** Mounts a standalone step and waits for it to render and be laid out. */
export async function mountScreen<T extends HTMLElement>(template: unknown): Promise<{ element: T; screen: Screen }> {
  const element = await mountStep<T>(template);
  const screen = new Screen(element);
  await screen.settle();
  return { element, screen };
}

// ---------------------------------------------------------------- the flow and its backend

export const backend = new MockBackend({ baseUrl: '/api', retryAfterSeconds: 0 });
const worker = setupWorker(...backend.handlers);
export { worker };
let started: Promise<unknown> | undefined;

export async function startBackend(scenario: Scenario = 'demo', { reset = true } = {}): Promise<void> {
  started ??= worker.start({ quiet: true, onUnhandledRequest: 'bypass' });
  await started;
  if (reset) backend.reset(scenario);
}

/**
 * The AbortSignal of every fetch the page makes, until `restore()`: it
 * observes what the widget hands to fetch (the network edge) and passes each
 * call through.
 */
export function recordFetchSignals(): { signals: AbortSignal[]; restore: () => void } {
  const signals: AbortSignal[] = [];
  const realFetch = window.fetch;
  window.fetch = (input, init) => {
    if (init?.signal) signals.push(init.signal);
    return realFetch(input, init);
  };
  return { signals, restore: () => void (window.fetch = realFetch) };
}

export interface FlowOptions {
  scenario?: Scenario;
  attributes?: Record<string, string>;
  /** Skip waiting for the first step (for tests of loading and configuration). */
  noWait?: boolean;
  /** Properties set before the element connects, so before its first request. */
  properties?: Partial<ConduitLinkElement>;
  /** Keep the mock backend as it is, as a page reload would find it. */
  keepBackend?: boolean;
}

const DEFAULT_ATTRIBUTES: Record<string, string> = {
  'backend-url': '/api',
  'company-id': 'co_123',
  'session-token': 'tok_valid',
  'partner-name': 'Northwind Capital',
};

/** A step's name, or a test of it. */
export type StepMatcher = string | ((step: string) => boolean);

/** A mounted `<conduit-link>` and every event it fired. */
export class Flow extends Screen {
  readonly events: Event[] = [];

  private constructor(readonly element: ConduitLinkElement) {
    super(element);
  }

  static async mount(options: FlowOptions = {}): Promise<Flow> {
    await startBackend(options.scenario ?? 'demo', { reset: !options.keepBackend });
    const holder = await fixture<HTMLDivElement>(html`<div></div>`);
    const element = document.createElement('conduit-link');
    for (const [name, value] of Object.entries({ ...DEFAULT_ATTRIBUTES, ...options.attributes })) {
      element.setAttribute(name, value);
    }
    Object.assign(element, options.properties);
    const flow = new Flow(element);
    for (const type of CONDUIT_EVENT_TYPES) holder.addEventListener(type, (event) => flow.events.push(event));
    holder.append(element);
    if (!options.noWait) await flow.waitForStep((step) => step !== 'loading');
    return flow;
  }

  /** The step the flow announced last. */
  get step(): string {
    const last = this.eventsOf<{ step: string } & Event>('conduit-step-change').at(-1);
    return last?.step ?? 'loading';
  }

  eventsOf<T extends Event>(type: string): T[] {
    return this.events.filter((event) => event.type === type) as T[];
  }

  async waitForStep(accept: StepMatcher, timeout = 5000): Promise<void> {
    const ok = typeof accept === 'string' ? (step: string) => step === accept : accept;
    await waitFor(() => ok(this.step), () => `step never became ${String(accept)} (is ${this.step})`, { timeout });
    await this.settle();
  }

  /** Waits until the step's title reads `text`. */
  async waitForHeading(text: string, timeout?: number): Promise<void> {
    let last = '';
    await waitFor(async () => (last = await this.heading()) === text, () => `heading never became “${text}” (is “${last}”)`, { timeout });
  }

  /**
   * Opens a modal flow as the partner's "Connect" button does, waits for
   * `step` (by default, the first after loading), and returns the dialog.
   */
  async open(step: StepMatcher = (shown) => shown !== 'loading'): Promise<HTMLDialogElement> {
    this.element.open();
    await this.waitForStep(step);
    return this.dialog();
  }

  /** The one dialog the user sees. */
  async dialog(): Promise<HTMLDialogElement> {
    const dialogs = await this.all<HTMLDialogElement>('dialog');
    expect(dialogs.length, 'dialogs shown').to.equal(1);
    return dialogs[0]!;
  }

  /** An element a documented ::part names (parts are public API, so locating one by name is fair); the rendered one first. */
  part(name: string): Element | null {
    const found = [this.element, ...deepElements(this.element)].filter((element) =>
      (element.getAttribute('part') ?? '').split(/\s+/).includes(name),
    );
    return found.find(isRendered) ?? found[0] ?? null;
  }

  /** The card the flow is drawn on: its documented `frame` part. */
  get card(): HTMLElement {
    const frame = this.part('frame');
    if (!frame || !isRendered(frame)) throw new Error('No frame part is shown');
    return frame as HTMLElement;
  }

  /** Waits for the element and its steps to finish rendering. */
  override async settle(): Promise<void> {
    for (let i = 0; i < 3; i++) {
      await this.element.updateComplete;
      const steps = deepElements(this.element).filter((element) => 'updateComplete' in element);
      await Promise.all(steps.map((step) => (step as unknown as { updateComplete: Promise<unknown> }).updateComplete));
      await nextFrame();
    }
  }

  /** Picker → permissions → credentials, as a user does it. */
  async toCredentials(): Promise<void> {
    if (this.step === 'picker') {
      await this.choose('Chargify');
      await this.click('Next');
      await this.waitForStep('permissions');
    }
    await this.click('Next');
    await this.waitForStep('credentials');
  }

  async submitCredentials(subdomain: string, apiKey: string): Promise<void> {
    await this.fill('Site subdomain', subdomain);
    await this.fill('API key', apiKey);
    await this.click('Continue');
  }

  /** Waits for the credentials step to stop being busy. */
  async idle(): Promise<void> {
    await waitFor(() => !this.text.includes('Connecting…'), 'still connecting', { timeout: 8000 });
    await this.settle();
  }
}

// ---------------------------------------------------------------- around the page: clipboard and events

/** Puts `text` on the real clipboard, by copying it from a scratch field with the keyboard. */
export async function copyToClipboard(text: string): Promise<void> {
  const scratch = document.createElement('textarea');
  scratch.value = text;
  document.body.append(scratch);
  scratch.focus();
  scratch.select();
  await sendKeys({ press: 'Control+c' });
  scratch.remove();
}

/** Records every event of the given types that reaches `target`. */
export function recordEvents<T extends Event = Event>(target: EventTarget, ...types: string[]): T[] {
  const seen: T[] = [];
  for (const type of types) target.addEventListener(type, (event) => seen.push(event as T));
  return seen;
}

/**
 * What the user reads first in `root`: its first heading, or, where nothing
 * has one (the loading state), its first rendered run of text.
 */
export async function firstText(root: HTMLElement): Promise<HTMLElement> {
  const screen = new Screen(root);
  const found =
    (await screen.all('heading'))[0] ??
    deepElements(root).find(
      (element): element is HTMLElement => element instanceof HTMLElement && !element.shadowRoot && isRendered(element) && hasOwnText(element),
    );
  if (!found) throw new Error(`Nothing to read in: ${screen.text}`);
  return found;
}
