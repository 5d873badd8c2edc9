// How the page reads to a user and to assistive technology. Roles, names and
// descriptions come from Chromium's own accessibility tree, through the
// `ax-query` command web-test-runner.config.js adds; text, focus and what is
// rendered come from the DOM, through shadow roots.
import { executeServerCommand } from '@web/test-runner-commands';

export type Matcher = string | RegExp;

export function matches(matcher: Matcher, text: string): boolean {
  return typeof matcher === 'string' ? text === matcher : matcher.test(text);
}

// The isolating marks around values in messages (U+2066–U+2069) are neither seen nor heard.
export function normalise(text: string): string {
  return text.replace(/[\u2066-\u2069]/g, '').replace(/\s+/g, ' ').trim();
}

/** `text` as a regular-expression source that matches it literally (a translated name inside a pattern). */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
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

/**
 * Rendered: not display:none or visibility:hidden, not in a closed dialog or
 * a closed <details>. Visually hidden text counts: a screen reader reads it.
 */
export function isRendered(element: Element): boolean {
  return element.checkVisibility({ visibilityProperty: true });
}

/** The text of one element as the user reads it (visually hidden text included), through shadow roots. */
export function textOf(element: Element): string {
  const composed = (node: Node): string => {
    if (node.nodeType === Node.TEXT_NODE) return node.textContent ?? '';
    const children = node instanceof Element && node.shadowRoot ? node.shadowRoot.childNodes : node.childNodes;
    return Array.from(children, composed).join(' ');
  };
  return normalise(composed(element));
}

/** The element focus is on, through shadow roots. */
export function focusedElement(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

// ---------------------------------------------------------------- Chromium's accessibility tree

/** One node of Chromium's accessibility tree, with the element it stands for. */
export interface AxNode<T extends Element = HTMLElement> {
  element: T;
  /** The ARIA role (Chromium's `DisclosureTriangle` reads `button`, its `image` reads `img`). */
  role: string;
  /** The accessible name. */
  name: string;
  /** The accessible description (what is read after the name: aria-describedby, mostly). */
  description: string;
  /** Chromium's states and properties: `focused`, `checked`, `expanded`, `level`, `live`… */
  properties: Readonly<Record<string, unknown>>;
}

type AxAnswer = Omit<AxNode, 'element'> & { ignored: boolean };
type AxQuery = { root: Element; found: Element[] };

declare global {
  interface Window {
    __axQuery?: Record<number, AxQuery>;
  }
}

let queries = 0;

/** `node` is `root` or inside it, through shadow roots. */
function composedContains(root: Element, node: Node): boolean {
  for (let at: Node | null = node; at; at = at.parentNode ?? (at instanceof ShadowRoot ? at.host : null)) {
    if (at === root) return true;
  }
  return false;
}

/** A modal dialog is open somewhere on the page (through shadow roots). */
function modalOpen(): boolean {
  return deepElements(document.body).some((element) => element instanceof HTMLDialogElement && element.matches(':modal'));
}

async function axQuery(root: Element, options: { roles?: readonly string[]; self?: boolean }): Promise<(AxAnswer & { element: Element })[]> {
  const id = ++queries;
  const modal = !options.self && modalOpen();
  const pending: AxQuery = { root, found: [] };
  (window.__axQuery ??= {})[id] = pending;
  try {
    const answers = await executeServerCommand<AxAnswer[], { id: number; roles?: readonly string[]; self?: boolean; modal: boolean }>(
      'ax-query',
      { id, modal, ...options },
    );
    // White space as a reader hears it: a no-break space (French puts one before "?") is a space.
    const found = answers.map((answer, index) => ({
      ...answer,
      name: normalise(answer.name),
      description: normalise(answer.description),
      element: options.self ? root : pending.found[index]!,
    }));
    return options.self ? found : found.filter(({ element }) => composedContains(root, element));
  } finally {
    delete window.__axQuery![id];
  }
}

/**
 * One snapshot of what a screen reader finds below `root` (through shadow
 * roots, `root` included): every element Chromium exposes, in tree order,
 * or only those with one of `roles`.
 */
export async function accessibilityTree<T extends Element = HTMLElement>(root: Element, roles?: readonly string[]): Promise<AxNode<T>[]> {
  const nodes = await axQuery(root, { roles });
  return nodes.map(({ ignored: _ignored, ...node }) => node as AxNode<T>);
}

/** The exposed elements below `root` with this role, and name if given: one snapshot. */
export async function allByRole<T extends Element = HTMLElement>(root: Element, role: string, name?: Matcher): Promise<T[]> {
  const nodes = await accessibilityTree<T>(root, [role]);
  return nodes.filter((node) => name === undefined || matches(name, node.name)).map((node) => node.element);
}

/** How Chromium exposes `element` itself; null when it does not (hidden, aria-hidden, not rendered). */
export async function axNodeOf<T extends Element>(element: T): Promise<AxNode<T> | null> {
  const [node] = await axQuery(element, { self: true });
  if (!node || node.ignored) return null;
  const { ignored: _ignored, ...exposed } = node;
  return exposed as AxNode<T>;
}

/** The accessible name Chromium computes for `element` ('' when it has none or is not exposed). */
export async function nameOf(element: Element): Promise<string> {
  return (await axNodeOf(element))?.name ?? '';
}

/** What a screen reader reads after the name (aria-describedby, mostly). */
export async function descriptionOf(element: Element): Promise<string> {
  return (await axNodeOf(element))?.description ?? '';
}

/** The role Chromium exposes `element` with; null when it is not exposed. */
export async function roleOf(element: Element): Promise<string | null> {
  return (await axNodeOf(element))?.role ?? null;
}

/** An element as a short readable phrase, role and name: `textbox "API key"`. */
export async function describeElement(element: Element | null | undefined): Promise<string> {
  if (!element) return 'nothing';
  const node = await axNodeOf(element);
  if (!node) return `<${element.localName}> (not exposed)`;
  return node.name ? `${node.role} "${node.name}"` : node.role;
}

/**
 * What has focus, as `role "name"`. Tests compare this rather than elements:
 * a failed assertion on a DOM element is not reported readably (here it even
 * disconnects the test browser).
 */
export function describeFocus(): Promise<string> {
  return describeElement(focusedElement());
}
