// Generic helpers for the flow-level tests (modal, secrets, accessibility):
// find things by role, name and text the way a user or a screen reader does,
// drive the keyboard, and look for a secret everywhere a page can keep one.
import { waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { accessibleName, commonRoleOf, deepActiveElement, deepElements, matches, normalise, type Matcher } from './harness.js';

export type { Matcher };


/** Rendered: not display:none, not in a closed dialog or a closed <details>. */
export function isRendered(element: Element): boolean {
  return element.checkVisibility();
}

/** The ARIA role: explicit, else the implicit role of the native elements the flow uses. */
export function roleOf(element: Element): string | null {
  const common = commonRoleOf(element);
  if (common !== undefined) return common;
  switch (element.tagName) {
    case 'DIALOG':
      return 'dialog';
    case 'SUMMARY':
      return 'button';
    case 'OUTPUT':
      return 'status';
    default:
      return null;
  }
}

const NAME_FROM_CONTENT: ReadonlySet<string> = new Set(['button', 'heading', 'link', 'listitem', 'tab', 'option', 'cell', 'tooltip']);

/** Roughly the accessible name assistive technology computes. */
export function nameOf(element: Element): string {
  const label = element.getAttribute('aria-label');
  if (label) return normalise(label);
  const labelledBy = element.getAttribute('aria-labelledby');
  if (labelledBy) {
    const root = element.getRootNode() as Document | ShadowRoot;
    return normalise(
      labelledBy
        .split(/\s+/)
        .map((id) => root.getElementById(id))
        .filter((found): found is HTMLElement => found !== null)
        .map(accessibleName)
        .join(' '),
    );
  }
  if (element instanceof HTMLInputElement) return normalise(Array.from(element.labels ?? [], accessibleName).join(' '));
  // Only some roles take their name from their content; a dialog, a form or a region does not.
  return NAME_FROM_CONTENT.has(roleOf(element) ?? '') ? accessibleName(element) : '';
}

/** Rendered elements below `root` (through shadow roots) with this role, and name if given. */
export function allByRole<T extends Element = HTMLElement>(root: Element, role: string, name?: Matcher): T[] {
  return deepElements(root).filter(
    (element): element is T & Element =>
      roleOf(element) === role && isRendered(element) && (name === undefined || matches(name, nameOf(element))),
  ) as T[];
}

/** A short description of an element for failure messages. */
export function describeElement(element: Element | null): string {
  if (!element) return 'nothing';
  const role = roleOf(element);
  return `<${element.localName}${role ? ` role=${role}` : ''}> "${nameOf(element).slice(0, 60)}"`;
}

/** The element focus is on, through shadow roots. */
export function focused(): Element | null {
  return deepActiveElement();
}

/** True when focus is on a heading that reads `text`. */
export function focusIsOnHeading(text: string): boolean {
  const active = focused();
  return active !== null && roleOf(active) === 'heading' && normalise(active.textContent ?? '') === text;
}

/** Waits until focus is on the heading that reads `text`, failing with where focus is instead. */
export async function expectFocusOnHeading(text: string, timeout = 2000): Promise<void> {
  try {
    await waitUntil(() => focusIsOnHeading(text), '', { timeout });
  } catch {
    throw new Error(`Expected focus on the heading "${text}", but it is on ${describeElement(focused())}`);
  }
}

/** Polite live regions below `root`: role status or log, or aria-live="polite". */
export function politeLiveRegions(root: Element): Element[] {
  return deepElements(root).filter((element) => {
    const live = element.getAttribute('aria-live');
    if (live) return live === 'polite';
    const role = roleOf(element);
    return role === 'status' || role === 'log';
  });
}

/** Waits until a polite live region below `root` reads exactly `text`. */
export async function expectPoliteAnnouncement(root: Element, text: string, timeout = 2000): Promise<void> {
  const said = () => politeLiveRegions(root).map((region) => normalise(region.textContent ?? ''));
  try {
    await waitUntil(() => said().includes(text), '', { timeout });
  } catch {
    throw new Error(`No polite live region announced "${text}"; they read: ${JSON.stringify(said())}`);
  }
}

/** Presses `key` until focus satisfies `accept`, up to `max` presses; fails with the path focus took. */
export async function pressUntilFocused(key: string, accept: (element: Element) => boolean, what: string, max = 25): Promise<Element> {
  const path: string[] = [];
  for (let i = 0; i < max; i++) {
    await sendKeys({ press: key });
    await new Promise((resolve) => requestAnimationFrame(resolve));
    const active = focused();
    path.push(describeElement(active));
    if (active && accept(active)) return active;
  }
  throw new Error(`${key} never reached ${what}; focus went: ${path.join(' → ')}`);
}

/** Tabs forward to the rendered control with this role and name. */
export function tabTo(role: string, name: Matcher): Promise<Element> {
  return pressUntilFocused(
    'Tab',
    (element) => roleOf(element) === role && matches(name, nameOf(element)),
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
