// A small harness so that tests read like a user's journey: find things by
// their text or label, the way a person (or a screen reader) would.
import { fixture, waitUntil } from '@open-wc/testing';
import { html, render } from 'lit';
import { setupWorker } from 'msw/browser';
import { MockBackend, type Scenario } from '../mocks/backend.js';
import '../src/define.js';
import { CONDUIT_EVENT_TYPES, type ConduitLink } from '../src/index.js';

export type Matcher = string | RegExp;

export function matches(matcher: Matcher, text: string): boolean {
  return typeof matcher === 'string' ? text === matcher : matcher.test(text);
}

export function normalise(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

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

const TEXTBOX_TYPES: ReadonlySet<string> = new Set(['text', 'password', 'email', 'tel', 'url', '']);

/**
 * The ARIA role shared by the role helpers (test/dom.ts, test/flow-helpers.ts):
 * explicit, else the implicit role of headings, buttons, links and inputs;
 * `undefined` for any other element, whose role each helper decides.
 */
export function commonRoleOf(element: Element): string | null | undefined {
  const explicit = element.getAttribute('role');
  if (explicit) return explicit.split(/\s+/)[0]!;
  const tag = element.tagName;
  if (/^H[1-6]$/.test(tag)) return 'heading';
  switch (tag) {
    case 'BUTTON':
      return 'button';
    case 'A':
      return element.hasAttribute('href') ? 'link' : null;
    case 'INPUT': {
      const type = (element as HTMLInputElement).type;
      if (type === 'radio') return 'radio';
      if (type === 'checkbox') return 'checkbox';
      if (type === 'search') return 'searchbox';
      return TEXTBOX_TYPES.has(type) ? 'textbox' : null;
    }
    default:
      return undefined;
  }
}

/** Every element below `root`, through open shadow roots, in document order. */
export function deepElements(root: Element | ShadowRoot): Element[] {
  const found: Element[] = [];
  const walk = (node: Element | ShadowRoot) => {
    for (const child of Array.from(node.children)) {
      found.push(child);
      if (child.shadowRoot) walk(child.shadowRoot);
      walk(child);
    }
  };
  if (root instanceof Element && root.shadowRoot) walk(root.shadowRoot);
  walk(root);
  return found;
}

function isShown(element: Element): boolean {
  return (element as HTMLElement).offsetParent !== null || getComputedStyle(element).position === 'fixed';
}

function textOf(node: Node): string {
  if (node.nodeType === Node.TEXT_NODE) return node.textContent ?? '';
  if (node instanceof Element && node.getAttribute('aria-hidden') === 'true') return '';
  return Array.from(node.childNodes, textOf).join('');
}

/** Roughly what assistive technology would name the element. */
export function accessibleName(element: Element): string {
  return (element.getAttribute('aria-label') ?? textOf(element)).replace(/\s+/g, ' ').trim();
}

/** Everything the user can read: the text of rendered elements, through shadow roots. */
export function visibleText(root: Element): string {
  const parts: string[] = [];
  const walk = (node: Node) => {
    if (node.nodeType === Node.TEXT_NODE) {
      const parent = node.parentElement;
      if (parent && isShown(parent)) parts.push(node.textContent ?? '');
      return;
    }
    if (node instanceof Element && node.shadowRoot) walk(node.shadowRoot);
    node.childNodes.forEach(walk);
  };
  walk(root);
  return parts.join(' ').replace(/\s+/g, ' ').trim();
}

export function deepActiveElement(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

export interface FlowOptions {
  scenario?: Scenario;
  attributes?: Record<string, string>;
  /** Skip waiting for the first step (for tests of loading and configuration). */
  noWait?: boolean;
  /** Properties set before the element connects, so before its first request. */
  properties?: Partial<ConduitLink>;
  /** Keep the mock backend as it is, as a page reload would find it. */
  keepBackend?: boolean;
}

export const DEFAULT_ATTRIBUTES: Record<string, string> = {
  'backend-url': '/api',
  'company-id': 'co_123',
  'session-token': 'tok_valid',
  'partner-name': 'Northwind Capital',
};

/** A mounted `<conduit-link>` and every event it fired. */
export class Flow {
  readonly events: Event[] = [];

  private constructor(readonly element: ConduitLink) {}

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

  async waitForStep(accept: string | ((step: string) => boolean), timeout = 5000): Promise<void> {
    const ok = typeof accept === 'string' ? (step: string) => step === accept : accept;
    await waitUntil(() => ok(this.step), `step never became ${String(accept)} (is ${this.step})`, { timeout });
    await this.settle();
  }

  /** Waits for the element and its steps to finish rendering. */
  async settle(): Promise<void> {
    for (let i = 0; i < 3; i++) {
      await this.element.updateComplete;
      const steps = deepElements(this.element).filter((element) => 'updateComplete' in element);
      await Promise.all(steps.map((step) => (step as unknown as { updateComplete: Promise<unknown> }).updateComplete));
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
  }

  get text(): string {
    return visibleText(this.element);
  }

  get heading(): string {
    const heading = deepElements(this.element).find((element) => element.tagName === 'H2' && isShown(element));
    return heading?.textContent?.trim() ?? '';
  }

  button(name: string | RegExp): HTMLButtonElement {
    const matches = (text: string) => (typeof name === 'string' ? text === name : name.test(text));
    const button = deepElements(this.element).find(
      (element): element is HTMLButtonElement => element.tagName === 'BUTTON' && isShown(element) && matches(accessibleName(element)),
    );
    if (!button) throw new Error(`No button "${String(name)}" in: ${this.text}`);
    return button;
  }

  hasButton(name: string | RegExp): boolean {
    try {
      this.button(name);
      return true;
    } catch {
      return false;
    }
  }

  async click(name: string | RegExp): Promise<void> {
    // As a pointer click does: focus first, then click.
    const button = this.button(name);
    button.focus();
    button.click();
    await this.settle();
  }

  /** The form control whose <label> (or legend for radios) reads `label`. */
  field(label: string | RegExp): HTMLInputElement {
    const matches = (text: string) => (typeof label === 'string' ? text === label : label.test(text));
    for (const element of deepElements(this.element)) {
      if (element.tagName !== 'LABEL' || !matches(accessibleName(element))) continue;
      const forId = element.getAttribute('for');
      const control = forId ? (element.getRootNode() as ShadowRoot).getElementById(forId) : element.querySelector('input');
      if (control) return control as HTMLInputElement;
    }
    throw new Error(`No field labelled "${String(label)}" in: ${this.text}`);
  }

  /** Types into a field as a user would: sets the value and fires input and change. */
  async fill(label: string | RegExp, value: string): Promise<void> {
    typeInto(this.field(label), value);
    await this.settle();
  }

  async paste(label: string | RegExp, text: string): Promise<void> {
    const input = this.field(label);
    input.focus();
    const data = new DataTransfer();
    data.setData('text/plain', text);
    const event = new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true, composed: true });
    // A paste the page does not take over lands in the field, as in a browser.
    if (input.dispatchEvent(event)) input.value += text;
    await this.settle();
  }

  async choose(label: string | RegExp): Promise<void> {
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
    await waitUntil(() => !this.text.includes('Connecting…'), 'still connecting', { timeout: 8000 });
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
