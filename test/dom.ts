// Generic helpers for the standalone step tests: find things the way a user or
// a screen reader does (by role, name, label and visible text), through shadow
// roots, without depending on how a step structures its markup.
import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { accessibleName, commonRoleOf, deepActiveElement, deepElements, matches, normalise, typeInto, type Matcher } from './harness.js';

export type { Matcher };

export { deepActiveElement };


/** Rendered: not display:none, not inside a closed <details> (visually hidden text counts as shown). */
export function isShown(element: Element): boolean {
  return element.checkVisibility({ visibilityProperty: true });
}

/** The ARIA role of an element: explicit, else the implicit role of the native elements the steps use. */
export function roleOf(element: Element): string | null {
  const common = commonRoleOf(element);
  if (common !== undefined) return common;
  switch (element.tagName) {
    case 'UL':
    case 'OL':
      return 'list';
    case 'LI':
      return 'listitem';
    case 'FIELDSET':
      return 'group';
    case 'IMG':
      return element.getAttribute('alt') === '' ? 'presentation' : 'img';
    default:
      return null;
  }
}

function byId(element: Element, ids: string): Element[] {
  const root = element.getRootNode() as Document | ShadowRoot;
  return ids
    .split(/\s+/)
    .filter(Boolean)
    .map((id) => root.getElementById(id))
    .filter((found): found is HTMLElement => found !== null);
}

/** Roughly the accessible name assistive technology computes. */
export function nameOf(element: Element): string {
  const label = element.getAttribute('aria-label');
  if (label) return normalise(label);
  const labelledBy = element.getAttribute('aria-labelledby');
  if (labelledBy) return normalise(byId(element, labelledBy).map(accessibleName).join(' '));
  if (element instanceof HTMLInputElement) {
    return normalise(Array.from(element.labels ?? [], (found) => accessibleName(found)).join(' '));
  }
  if (element instanceof HTMLFieldSetElement) {
    const legend = element.querySelector(':scope > legend');
    return legend ? accessibleName(legend) : '';
  }
  if (element instanceof HTMLImageElement) return normalise(element.alt);
  return accessibleName(element);
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

/**
 * What has focus, through shadow roots, as `role "name"`. Tests compare this
 * rather than elements: a failed assertion on a DOM element is not reported
 * readably (here it even disconnects the test browser).
 */
export function focused(): string {
  return describeElement(deepActiveElement());
}

/** Every element, attribute value and text node below `root`, through shadow roots, that contains `secret`. */
export function placesContaining(root: Element, secret: string): string[] {
  const found: string[] = [];
  const visit = (node: Node) => {
    if (node instanceof Element) {
      for (const attribute of Array.from(node.attributes)) {
        if (attribute.value.includes(secret)) found.push(`<${node.localName} ${attribute.name}="${attribute.value}">`);
      }
      if (node.shadowRoot) visit(node.shadowRoot);
    } else if ((node.nodeType === Node.TEXT_NODE || node.nodeType === Node.COMMENT_NODE) && node.textContent?.includes(secret)) {
      found.push(`text "${node.textContent}"`);
    }
    for (const child of Array.from(node.childNodes)) visit(child);
  };
  visit(root);
  return found;
}

/** A view of one mounted element, queried like a user would. */
export class Screen {
  constructor(readonly root: HTMLElement & { updateComplete?: Promise<unknown> }) {}

  /** Waits for the element to re-render and the browser to lay it out. */
  async settle(): Promise<void> {
    for (let i = 0; i < 2; i++) {
      await this.root.updateComplete;
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
  }

  /** All text the user can see (or hear), in document order. */
  get text(): string {
    return this.blocks.join(' ');
  }

  /** Each rendered run of text the user reads: headings, paragraphs, list items, buttons, badges… */
  get blocks(): string[] {
    return deepElements(this.root)
      .filter((element) => !element.shadowRoot && isShown(element))
      .filter((element) => Array.from(element.childNodes).some((node) => node.nodeType === Node.TEXT_NODE && node.textContent!.trim()))
      .map((element) => normalise(Array.from(element.childNodes, (node) => (node.nodeType === Node.TEXT_NODE ? node.textContent : '')).join('')));
  }

  /** Rendered elements with this role (and name, if given). */
  all<T extends HTMLElement = HTMLElement>(role: string, name?: Matcher): T[] {
    return deepElements(this.root).filter(
      (element): element is T =>
        roleOf(element) === role && isShown(element) && (name === undefined || matches(name, nameOf(element))),
    );
  }

  query<T extends HTMLElement = HTMLElement>(role: string, name?: Matcher): T | null {
    const found = this.all<T>(role, name);
    if (found.length > 1) throw new Error(`${found.length} elements with role ${role} "${String(name)}"`);
    return found[0] ?? null;
  }

  get<T extends HTMLElement = HTMLElement>(role: string, name?: Matcher): T {
    const found = this.query<T>(role, name);
    if (!found) throw new Error(`No ${role} "${String(name ?? '')}" in: ${this.text}`);
    return found;
  }

  has(role: string, name?: Matcher): boolean {
    return this.all(role, name).length > 0;
  }

  button(name: Matcher): HTMLButtonElement {
    return this.get<HTMLButtonElement>('button', name);
  }

  /** The form control whose label reads `label`. */
  field(label: Matcher): HTMLInputElement {
    const found = deepElements(this.root).filter(
      (element): element is HTMLInputElement => element instanceof HTMLInputElement && isShown(element) && matches(label, nameOf(element)),
    );
    if (found.length !== 1) throw new Error(`${found.length} fields labelled "${String(label)}" in: ${this.text}`);
    return found[0]!;
  }

  /** The rendered element whose own text reads `text` (a summary, a badge…). */
  byText(text: Matcher): HTMLElement {
    const found = deepElements(this.root).filter(
      (element): element is HTMLElement => element instanceof HTMLElement && isShown(element) && matches(text, textOf(element)),
    );
    // The innermost match is the element the text belongs to.
    const innermost = found.filter((element) => !found.some((other) => other !== element && element.contains(other)));
    if (innermost.length !== 1) throw new Error(`${innermost.length} elements reading "${String(text)}" in: ${this.text}`);
    return innermost[0]!;
  }

  async click(name: Matcher): Promise<void> {
    this.button(name).click();
    await this.settle();
  }

  /** Types into a field as a user would: sets the value and fires input and change. */
  async fill(label: Matcher, value: string): Promise<void> {
    typeInto(this.field(label), value);
    await this.settle();
  }

  /** Pastes text into a field; if the page does not take the paste over, it lands in the field as in a browser. */
  async paste(label: Matcher, text: string): Promise<void> {
    const input = this.field(label);
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
    this.field(label).click();
    await this.settle();
  }
}

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

// ---------------------------------------------------------------- colours as painted

const pixel = (() => {
  const canvas = document.createElement('canvas');
  canvas.width = 1;
  canvas.height = 1;
  return canvas.getContext('2d', { willReadFrequently: true })!;
})();

/**
 * Any CSS colour a computed style returns (`rgb()`, `color(srgb …)`,
 * `color(xyz-d65 …)`…) as the sRGB pixel the browser paints: [r, g, b, a], 0–255.
 */
export function rgba(colour: string): [number, number, number, number] {
  const sentinel = '#010203';
  pixel.fillStyle = sentinel;
  pixel.fillStyle = colour;
  if (pixel.fillStyle === sentinel && !['#010203', 'rgb(1,2,3)'].includes(colour.replace(/\s/g, '').toLowerCase())) {
    throw new Error(`Not a colour the canvas understands: ${colour}`);
  }
  pixel.clearRect(0, 0, 1, 1);
  pixel.fillRect(0, 0, 1, 1);
  const [r, g, b, a] = pixel.getImageData(0, 0, 1, 1).data;
  return [r!, g!, b!, a!];
}

/** WCAG relative luminance. */
export function luminance(colour: string): number {
  const [r, g, b] = rgba(colour).map((channel) => {
    const c = channel / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

/** The next box out in the rendered (flat) tree: a slotted node's slot, or a shadow root's host. */
export function renderedParent(element: Element): Element | null {
  return element.assignedSlot ?? element.parentElement ?? ((element.getRootNode() as ShadowRoot).host ?? null);
}

/** The nearest box, from `element` outwards, that paints an opaque background. */
export function boxBehind(element: Element): Element | null {
  for (let node: Element | null = element; node; node = renderedParent(node)) {
    if (rgba(getComputedStyle(node).backgroundColor)[3] === 255) return node;
  }
  return null;
}

/** The colour a user sees behind `element` (the page's white when nothing paints one). */
export function backgroundBehind(element: Element): string {
  const box = boxBehind(element);
  return box ? getComputedStyle(box).backgroundColor : 'rgb(255, 255, 255)';
}

function hasOwnText(element: Element): boolean {
  return Array.from(element.childNodes).some((node) => node.nodeType === Node.TEXT_NODE && node.textContent!.trim());
}

/**
 * What the user reads first in `root`: its first heading, or, where nothing
 * has one (the loading state), its first rendered run of text.
 */
export function firstText(root: HTMLElement): HTMLElement {
  const found =
    new Screen(root).all('heading')[0] ??
    deepElements(root).find(
      (element): element is HTMLElement => element instanceof HTMLElement && !element.shadowRoot && isShown(element) && hasOwnText(element),
    );
  if (!found) throw new Error(`Nothing to read in: ${new Screen(root).text}`);
  return found;
}

/**
 * The dark palette is painted: a dark card behind the first text in `root`,
 * and the title light (a step without one, loading, has only muted text).
 */
export function expectDark(root: HTMLElement): void {
  expect(luminance(backgroundBehind(firstText(root))), 'the card is dark').to.be.below(0.05);
  const title = new Screen(root).all('heading')[0];
  if (title) expect(luminance(getComputedStyle(title).color), 'the text is light').to.be.above(0.6);
}

/**
 * The light palette is painted: a light card behind the first text in `root`,
 * and the title dark (a step without one, loading, has only muted text).
 */
export function expectLight(root: HTMLElement): void {
  expect(luminance(backgroundBehind(firstText(root))), 'the card is light').to.be.above(0.8);
  const title = new Screen(root).all('heading')[0];
  if (title) expect(luminance(getComputedStyle(title).color), 'the text is dark').to.be.below(0.1);
}
