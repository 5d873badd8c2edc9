// A small harness so that tests read like a user's journey: find things by
// their text or label, the way a person (or a screen reader) would.
import { expect, fixture, nextFrame } from '@open-wc/testing';
import { html, render } from 'lit';
import { setupWorker } from 'msw/browser';
import { MockBackend, type Scenario } from '../mocks/backend.js';
import '../src/define.js';
import { CONDUIT_EVENT_TYPES, type ConduitLinkElement } from '../src/index.js';
import { accessibleName, allByRole, deepElements, isRendered, matches, normalise, type Matcher } from './a11y.js';
import { waitFor } from './wait.js';

/** Types into a field as a user would: focus, value, then input and change events. */
export function typeInto(input: HTMLInputElement, value: string): void {
  input.focus();
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

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

/** Everything the user can read: the text of rendered elements, through shadow roots. */
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
  return parts.join(' ').replace(/\s+/g, ' ').trim();
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
export class Flow {
  readonly events: Event[] = [];

  private constructor(readonly element: ConduitLinkElement) {}

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
    await waitFor(() => this.heading === text, () => `heading never became “${text}” (is “${this.heading}”)`, { timeout });
  }

  /**
   * Opens a modal flow as the partner's "Connect" button does, waits for
   * `step` (by default, the first after loading), and returns the dialog.
   */
  async open(step: StepMatcher = (shown) => shown !== 'loading'): Promise<HTMLDialogElement> {
    this.element.open();
    await this.waitForStep(step);
    return this.dialog;
  }

  /** The one dialog the user sees. */
  get dialog(): HTMLDialogElement {
    const dialogs = allByRole<HTMLDialogElement>(this.element, 'dialog');
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
  async settle(): Promise<void> {
    for (let i = 0; i < 3; i++) {
      await this.element.updateComplete;
      const steps = deepElements(this.element).filter((element) => 'updateComplete' in element);
      await Promise.all(steps.map((step) => (step as unknown as { updateComplete: Promise<unknown> }).updateComplete));
      await nextFrame();
    }
  }

  get text(): string {
    return visibleText(this.element);
  }

  get heading(): string {
    const heading = deepElements(this.element).find((element) => element.tagName === 'H2' && isRendered(element));
    return normalise(heading?.textContent ?? '');
  }

  button(name: Matcher): HTMLButtonElement {
    const button = deepElements(this.element).find(
      (element): element is HTMLButtonElement =>
        element.tagName === 'BUTTON' && isRendered(element) && matches(name, accessibleName(element)),
    );
    if (!button) throw new Error(`No button "${String(name)}" in: ${this.text}`);
    return button;
  }

  hasButton(name: Matcher): boolean {
    try {
      this.button(name);
      return true;
    } catch {
      return false;
    }
  }

  async click(name: Matcher): Promise<void> {
    // As a pointer click does: focus first, then click.
    const button = this.button(name);
    button.focus();
    button.click();
    await this.settle();
  }

  /** The form control whose <label> (or legend for radios) reads `label`. */
  field(label: Matcher): HTMLInputElement {
    for (const element of deepElements(this.element)) {
      if (element.tagName !== 'LABEL' || !matches(label, accessibleName(element))) continue;
      const forId = element.getAttribute('for');
      const control = forId ? (element.getRootNode() as ShadowRoot).getElementById(forId) : element.querySelector('input');
      if (control) return control as HTMLInputElement;
    }
    throw new Error(`No field labelled "${String(label)}" in: ${this.text}`);
  }

  /** Types into a field as a user would: sets the value and fires input and change. */
  async fill(label: Matcher, value: string): Promise<void> {
    typeInto(this.field(label), value);
    await this.settle();
  }

  async choose(label: Matcher): Promise<void> {
    this.field(label).click();
    await this.settle();
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


/** Renders a template into a fresh container (for the standalone step tests). */
export async function mountStep<T extends Element>(template: unknown): Promise<T> {
  const holder = await fixture<HTMLDivElement>(html`<div></div>`);
  render(template, holder);
  const element = holder.firstElementChild as T & { updateComplete?: Promise<unknown> };
  await element.updateComplete;
  return element;
}
