// Text that mixes directions: the rendered text with its isolating marks (which
// the harness's readers leave out, as a user neither sees nor hears them), and
// where the user sees each character, to tell "C++" from "++C" in a
// right-to-left sentence.
import { deepElements, isRendered } from './a11y.js';

/** Each rendered run of text below `root`, through shadow roots, marks and all (what `Screen.blocks` reads, before any clean-up). */
export function renderedRuns(root: Element): string[] {
  return deepElements(root)
    .filter((element) => !element.shadowRoot && isRendered(element))
    .map((element) =>
      Array.from(element.childNodes, (node) => (node.nodeType === Node.TEXT_NODE ? node.textContent : ''))
        .join('')
        .replace(/\s+/g, ' ')
        .trim(),
    )
    .filter(Boolean);
}

/** The box of each character of `text`, where it first appears in a rendered text node below `root` (through shadow roots). */
export function characterBoxes(root: Element, text: string): DOMRect[] {
  const node = deepElements(root)
    .filter(isRendered)
    .flatMap((element) => Array.from(element.childNodes))
    .find((child) => child.nodeType === Node.TEXT_NODE && child.textContent!.includes(text));
  if (!node) throw new Error(`“${text}” is not rendered`);
  const start = node.textContent!.indexOf(text);
  return Array.from(text, (_, i) => {
    const range = document.createRange();
    range.setStart(node, start + i);
    range.setEnd(node, start + i + 1);
    return range.getBoundingClientRect();
  });
}

/** The characters of `text` are shown left to right, each after the one before (allowing half a pixel). */
export function readsLeftToRight(root: Element, text: string): boolean {
  const boxes = characterBoxes(root, text);
  return boxes.every((box, i) => i === 0 || boxes[i - 1]!.right <= box.left + 0.5);
}
