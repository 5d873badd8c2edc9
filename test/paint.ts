// The colours a user sees painted: any CSS colour as the pixel the browser
// draws, WCAG luminance, the background behind an element, and the two palettes.
import { expect } from '@open-wc/testing';
import { firstText, Screen } from './harness.js';

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

/**
 * The dark palette is painted: a dark card behind the first text in `root`,
 * and the title light (a step without one, loading, has only muted text).
 */
export async function expectDark(root: HTMLElement): Promise<void> {
  expect(luminance(backgroundBehind(await firstText(root))), 'the card is dark').to.be.below(0.05);
  const [title] = await new Screen(root).all('heading');
  if (title) expect(luminance(getComputedStyle(title).color), 'the text is light').to.be.above(0.6);
}

/**
 * The light palette is painted: a light card behind the first text in `root`,
 * and the title dark (a step without one, loading, has only muted text).
 */
export async function expectLight(root: HTMLElement): Promise<void> {
  expect(luminance(backgroundBehind(await firstText(root))), 'the card is light').to.be.above(0.8);
  const [title] = await new Screen(root).all('heading');
  if (title) expect(luminance(getComputedStyle(title).color), 'the text is dark').to.be.below(0.1);
}
