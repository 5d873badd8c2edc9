import { parseSync } from 'vite';

/** ESTree, loosely, as Vite's oxc parser gives it: each step reads the few fields it needs. */
export interface Node {
  type: string;
  start: number;
  end: number;
  [field: string]: any;
}

/** A replacement of `code.slice(start, end)`. */
export interface Edit {
  start: number;
  end: number;
  text: string;
}

/** Parses one of our TypeScript sources. */
export function parseTypeScript(file: string, code: string): Node {
  return parseSync(file, code, { lang: 'ts' }).program as unknown as Node;
}

/** The nodes directly under `node`. */
export function* children(node: Node): Generator<Node> {
  for (const key in node) {
    const value = node[key];
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item && typeof item === 'object' && typeof item.type === 'string') yield item as Node;
    }
  }
}

/** Every node under `node`, parents before their children. */
export function* descendants(node: Node): Generator<Node> {
  for (const child of children(node)) {
    yield child;
    yield* descendants(child);
  }
}

/**
 * Applies non-overlapping edits, each given in the original code's offsets. An
 * insertion and a replacement may start at one offset: the insertion goes first.
 */
export function applyEdits(code: string, edits: readonly Edit[]): string {
  let result = code;
  // From the end backwards, so earlier offsets still hold; at one offset the replacement first.
  for (const edit of [...edits].sort((a, b) => b.start - a.start || b.end - a.end)) {
    result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
  }
  return result;
}
