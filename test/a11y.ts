// How the page reads to a user and to assistive technology, through shadow
// roots: what is rendered, each element's role, name and description, and
// where focus is. Every browser test finds things with these.

export type Matcher = string | RegExp;

export function matches(matcher: Matcher, text: string): boolean {
  return typeof matcher === 'string' ? text === matcher : matcher.test(text);
}

export function normalise(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
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

const TEXTBOX_TYPES: ReadonlySet<string> = new Set(['text', 'password', 'email', 'tel', 'url']);

/** The ARIA role: explicit, else the implicit role of the native elements the flow and its steps use. */
export function roleOf(element: Element): string | null {
  const explicit = element.getAttribute('role');
  if (explicit) return explicit.split(/\s+/)[0]!;
  const tag = element.tagName;
  if (/^H[1-6]$/.test(tag)) return 'heading';
  switch (tag) {
    case 'BUTTON':
    // Announced as a button that expands its <details>.
    case 'SUMMARY':
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
    case 'UL':
    case 'OL':
      return 'list';
    case 'LI':
      return 'listitem';
    case 'FIELDSET':
      return 'group';
    case 'IMG':
      return element.getAttribute('alt') === '' ? 'presentation' : 'img';
    case 'DIALOG':
      return 'dialog';
    case 'OUTPUT':
      return 'status';
    default:
      return null;
  }
}

/** The text of a node's light DOM, less what is aria-hidden. */
function nameText(node: Node): string {
  if (node.nodeType === Node.TEXT_NODE) return node.textContent ?? '';
  if (node instanceof Element && node.getAttribute('aria-hidden') === 'true') return '';
  return Array.from(node.childNodes, nameText).join('');
}

/** An element's name from its aria-label or its own content. */
export function accessibleName(element: Element): string {
  return normalise(element.getAttribute('aria-label') ?? nameText(element));
}

function byId(element: Element, ids: string): Element[] {
  const root = element.getRootNode() as Document | ShadowRoot;
  return ids
    .split(/\s+/)
    .filter(Boolean)
    .map((id) => root.getElementById(id))
    .filter((found): found is HTMLElement => found !== null);
}

const NAME_FROM_CONTENT: ReadonlySet<string> = new Set(['button', 'heading', 'link', 'listitem', 'tab', 'option', 'cell', 'tooltip']);

/** Roughly the accessible name assistive technology computes. */
export function nameOf(element: Element): string {
  const label = element.getAttribute('aria-label');
  if (label) return normalise(label);
  const labelledBy = element.getAttribute('aria-labelledby');
  if (labelledBy) return normalise(byId(element, labelledBy).map(accessibleName).join(' '));
  if (element instanceof HTMLInputElement) return normalise(Array.from(element.labels ?? [], accessibleName).join(' '));
  if (element instanceof HTMLFieldSetElement) {
    const legend = element.querySelector(':scope > legend');
    return legend ? accessibleName(legend) : '';
  }
  if (element instanceof HTMLImageElement) return normalise(element.alt);
  // Only some roles take their name from their content; a dialog, a form or a region does not.
  return NAME_FROM_CONTENT.has(roleOf(element) ?? '') ? accessibleName(element) : '';
}

/** What assistive technology reads after the name: the aria-describedby targets. */
export function descriptionOf(element: Element): string {
  const ids = element.getAttribute('aria-describedby');
  return ids ? normalise(byId(element, ids).map((found) => found.textContent ?? '').join(' ')) : '';
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

/** An element as a short readable phrase, role and name: `textbox "API key"`. */
export function describeElement(element: Element | null | undefined): string {
  if (!element) return 'nothing';
  const name = nameOf(element);
  const role = roleOf(element) ?? element.localName;
  return name ? `${role} "${name}"` : role;
}

/** Rendered elements below `root` (through shadow roots) with this role, and name if given. */
export function allByRole<T extends Element = HTMLElement>(root: Element, role: string, name?: Matcher): T[] {
  return deepElements(root).filter(
    (element): element is T & Element =>
      roleOf(element) === role && isRendered(element) && (name === undefined || matches(name, nameOf(element))),
  ) as T[];
}

/** The element focus is on, through shadow roots. */
export function focusedElement(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

/**
 * What has focus, as `role "name"`. Tests compare this rather than elements:
 * a failed assertion on a DOM element is not reported readably (here it even
 * disconnects the test browser).
 */
export function describeFocus(): string {
  return describeElement(focusedElement());
}
