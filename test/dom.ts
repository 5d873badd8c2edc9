// The standalone step tests' view of a mounted step (Screen), the clipboard
// and events around it, and the colours a user sees painted.
import { expect, nextFrame } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { allByRole, deepElements, isRendered, matches, nameOf, normalise, textOf, type Matcher } from './a11y.js';
import { mountStep, typeInto } from './harness.js';

/** A view of one mounted element, queried like a user would. */
export class Screen {
  constructor(readonly root: HTMLElement & { updateComplete?: Promise<unknown> }) {}

  /** Waits for the element to re-render and the browser to lay it out. */
  async settle(): Promise<void> {
    for (let i = 0; i < 2; i++) {
      await this.root.updateComplete;
      await nextFrame();
    }
  }

  /** All text the user can see (or hear), in document order. */
  get text(): string {
    return this.blocks.join(' ');
  }

  /** Each rendered run of text the user reads: headings, paragraphs, list items, buttons, badges… */
  get blocks(): string[] {
    return deepElements(this.root)
      .filter((element) => !element.shadowRoot && isRendered(element) && hasOwnText(element))
      .map((element) => normalise(Array.from(element.childNodes, (node) => (node.nodeType === Node.TEXT_NODE ? node.textContent : '')).join('')));
  }

  /** Rendered elements with this role (and name, if given). */
  all<T extends HTMLElement = HTMLElement>(role: string, name?: Matcher): T[] {
    return allByRole<T>(this.root, role, name);
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
      (element): element is HTMLInputElement => element instanceof HTMLInputElement && isRendered(element) && matches(label, nameOf(element)),
    );
    if (found.length !== 1) throw new Error(`${found.length} fields labelled "${String(label)}" in: ${this.text}`);
    return found[0]!;
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

/** Mounts a standalone step and waits for it to render and be laid out. */
export async function mountScreen<T extends HTMLElement>(template: unknown): Promise<{ element: T; screen: Screen }> {
  const element = await mountStep<T>(template);
  const screen = new Screen(element);
  await screen.settle();
  return { element, screen };
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
function boxBehind(element: Element): Element | null {
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
      (element): element is HTMLElement => element instanceof HTMLElement && !element.shadowRoot && isRendered(element) && hasOwnText(element),
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
