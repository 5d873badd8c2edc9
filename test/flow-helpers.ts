// Helpers for the tests of the whole flow: where focus lands and what is
// announced, driving the keyboard, and looking for a string (a secret, a raw
// server body) everywhere a page can keep one.
import { nextFrame } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { accessibilityTree, deepElements, describeElement, describeFocus, escapeRegExp, focusedElement, matches, textOf, type Matcher } from './a11y.js';
import { waitFor } from './wait.js';

/** Waits until focus is on the heading that reads `text`, failing with where focus is instead. */
export async function expectFocusOnHeading(text: string, timeout = 2000): Promise<void> {
  await waitFor(
    async () => (await describeFocus()) === `heading "${text}"`,
    async () => `Expected focus on the heading "${text}", but it is on ${await describeFocus()}`,
    { timeout },
  );
}

/** Waits until focus is on `element`, failing with where focus is instead. */
export async function expectFocusOn(element: Element, timeout = 2000): Promise<void> {
  await waitFor(
    () => focusedElement() === element,
    async () => `Expected focus on ${await describeElement(element)}, but it is on ${await describeFocus()}`,
    { timeout },
  );
}

/** What the polite live regions below `root` read: role status or log, or aria-live="polite". */
/** What the polite live regions below `root` read now, from the accessibility tree. */
export async function politeAnnouncements(root: Element): Promise<string[]> {
  const nodes = await accessibilityTree(root);
  return nodes.filter((node) => node.properties['live'] === 'polite').map((node) => textOf(node.element));
}

/** Waits until a polite live region below `root` reads exactly `text`. */
export async function expectPoliteAnnouncement(root: Element, text: string, timeout = 2000): Promise<void> {
  let said: string[] = [];
  await waitFor(async () => (said = await politeAnnouncements(root)).includes(text), () => `No polite live region announced "${text}"; they read: ${JSON.stringify(said)}`, {
    timeout,
  });
}

/** Presses `key` until focus satisfies `accept`, up to `max` presses; fails with the path focus took. */
async function pressUntilFocused(key: string, accept: (focus: string) => boolean, what: string, max = 25): Promise<Element> {
  const path: string[] = [];
  for (let i = 0; i < max; i++) {
    await sendKeys({ press: key });
    await nextFrame();
    const active = focusedElement();
    const focus = await describeElement(active);
    path.push(focus);
    if (active && accept(focus)) return active;
  }
  throw new Error(`${key} never reached ${what}; focus went: ${path.join(' → ')}`);
}

/** Tabs forward to the rendered control with this role and name. */
export function tabTo(role: string, name: Matcher): Promise<Element> {
  const described = new RegExp(`^${escapeRegExp(role)} "(.*)"$`, 's');
  return pressUntilFocused(
    'Tab',
    (focus) => {
      const named = described.exec(focus);
      return named !== null && matches(name, named[1]!);
    },
    `the ${role} "${String(name)}"`,
  );
}

/** Every <input> in the composed DOM below `root`, rendered or not. */
export function deepInputs(root: Element): HTMLInputElement[] {
  return deepElements(root).filter((element): element is HTMLInputElement => element instanceof HTMLInputElement);
}

/** Every attribute value and text node of the composed DOM below `root` (through shadow roots) that contains a needle. */
export function domPlacesContaining(root: Node, needles: readonly string[]): string[] {
  const found: string[] = [];
  const hit = (text: string) => needles.some((needle) => text.includes(needle));
  const visit = (node: Node) => {
    if (node instanceof Element) {
      for (const attribute of Array.from(node.attributes)) {
        if (hit(attribute.value) || hit(attribute.name)) found.push(`<${node.localName} ${attribute.name}="${attribute.value}">`);
      }
      if (node.shadowRoot) visit(node.shadowRoot);
    } else if (
      (node.nodeType === Node.TEXT_NODE || node.nodeType === Node.COMMENT_NODE || node.nodeType === Node.CDATA_SECTION_NODE) &&
      hit(node.textContent ?? '')
    ) {
      found.push(`text "${node.textContent}" in <${node.parentElement?.localName ?? '#root'}>`);
    }
    for (const child of Array.from(node.childNodes)) visit(child);
  };
  visit(root);
  return found;
}

/** An event's own properties (its public fields), as JSON. */
export function eventAsJson(event: Event): string {
  const fields: Record<string, unknown> = { type: event.type };
  for (const name of Object.getOwnPropertyNames(event)) fields[name] = (event as unknown as Record<string, unknown>)[name];
  return JSON.stringify(fields, (_key, value: unknown) => (value instanceof Node ? `[${value.nodeName}]` : value));
}

function stringify(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Error) return `${value.name}: ${value.message}\n${value.stack ?? ''}\n${stringify({ ...value })}`;
  if (value instanceof Node) return value instanceof Element ? value.outerHTML : (value.textContent ?? '');
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

const CONSOLE_METHODS = [
  'log',
  'info',
  'warn',
  'error',
  'debug',
  'trace',
  'dir',
  'dirxml',
  'table',
  'group',
  'groupCollapsed',
  'assert',
  'count',
  'timeLog',
] as const;

export interface ConsoleCapture {
  /** Everything written to the console, and every uncaught error, as text. */
  readonly output: string[];
  /** Puts the console back as it was. */
  restore(): void;
}

/**
 * Records what reaches the console (and uncaught errors and rejections, which
 * the browser prints there) while still passing it through: it observes, it
 * does not stub.
 */
export function captureConsole(): ConsoleCapture {
  const output: string[] = [];
  const target = console as unknown as Record<string, (...args: unknown[]) => void>;
  const originals = new Map<string, (...args: unknown[]) => void>();
  for (const method of CONSOLE_METHODS) {
    const original = target[method];
    if (typeof original !== 'function') continue;
    originals.set(method, original);
    target[method] = (...args: unknown[]) => {
      output.push(`console.${method}: ${args.map(stringify).join(' ')}`);
      original.apply(console, args);
    };
  }
  const onError = (event: ErrorEvent) => output.push(`uncaught: ${event.message} ${stringify(event.error)}`);
  const onRejection = (event: PromiseRejectionEvent) => output.push(`unhandled rejection: ${stringify(event.reason)}`);
  window.addEventListener('error', onError);
  window.addEventListener('unhandledrejection', onRejection);
  return {
    output,
    restore() {
      for (const [method, original] of originals) target[method] = original;
      window.removeEventListener('error', onError);
      window.removeEventListener('unhandledrejection', onRejection);
    },
  };
}

/** The forms a secret takes when it leaks: raw, as HTTP Basic credentials, URL-encoded. */
export function secretForms(secret: string): string[] {
  return [...new Set([secret, btoa(`${secret}:x`), encodeURIComponent(secret)])];
}

/** The language assistive technology reads `element` in: the nearest lang attribute up the composed tree. */
export function languageOf(element: Element): string {
  let node: Element | null = element;
  while (node) {
    const lang = node.getAttribute('lang');
    if (lang !== null) return lang;
    node = node.parentElement ?? ((node.getRootNode() as ShadowRoot).host ?? null);
  }
  return '';
}
