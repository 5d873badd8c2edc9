import { applyEdits, type Edit } from './ast.js';

/** A version 3 source map of one file, as Vite's transform hook accepts it. */
export interface SourceMap {
  version: 3;
  file: string;
  sourceRoot: string;
  sources: string[];
  sourcesContent: string[];
  names: string[];
  mappings: string;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function vlq(value: number): string {
  let rest = value < 0 ? (-value << 1) | 1 : value << 1;
  let encoded = '';
  do {
    const digit = rest & 31;
    rest >>>= 5;
    encoded += BASE64[rest > 0 ? digit | 32 : digit];
  } while (rest > 0);
  return encoded;
}

// Where each token begins: a debugger resolves a position to the mapping at or
// before it, so every name and every punctuation mark gets its own.
const TOKEN = /[\w$]+|\S/g;

/**
 * The map from `applyEdits(code, edits)` back to `code`: untouched text maps
 * token by token to where it was, and an edit's new text maps to the start of
 * what it replaced. Without it a step would tell Vite nothing moved, and every
 * column after an edit on the same line would point at the wrong place.
 */
export function sourceMapOf(file: string, code: string, edits: readonly Edit[]): SourceMap {
  const lineStarts = [0];
  for (let i = 0; i < code.length; i++) if (code[i] === '\n') lineStarts.push(i + 1);
  const lineOf = (offset: number): number => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (lineStarts[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    return low;
  };

  const lines: string[] = [];
  let segments: string[] = [];
  // The generated position the next text is written at.
  let column = 0;
  let last = { column: 0, line: 0, originalColumn: 0 };
  const map = (generatedColumn: number, offset: number): void => {
    const line = lineOf(offset);
    const originalColumn = offset - lineStarts[line]!;
    segments.push(vlq(generatedColumn - last.column) + vlq(0) + vlq(line - last.line) + vlq(originalColumn - last.originalColumn));
    last = { column: generatedColumn, line, originalColumn };
  };
  // Writes `text`, mapping it token by token from `origin`, or all of it to `origin` when it is new.
  const write = (text: string, origin: number, isNew: boolean): void => {
    let partStart = 0;
    for (const part of text.split('\n')) {
      if (partStart > 0) {
        lines.push(segments.join(','));
        segments = [];
        column = 0;
        last.column = 0;
      }
      if (isNew) {
        if (part.trim()) map(column, origin);
      } else {
        for (const token of part.matchAll(TOKEN)) map(column + token.index, origin + partStart + token.index);
      }
      column += part.length;
      partStart += part.length + 1;
    }
  };

  let offset = 0;
  // In the order applyEdits leaves them: at one offset, an insertion before a replacement.
  for (const edit of [...edits].sort((a, b) => a.start - b.start || a.end - b.end)) {
    write(code.slice(offset, edit.start), offset, false);
    write(edit.text, edit.start, true);
    offset = edit.end;
  }
  write(code.slice(offset), offset, false);
  lines.push(segments.join(','));
  return { version: 3, file, sourceRoot: '', sources: [file], sourcesContent: [code], names: [], mappings: lines.join(';') };
}

/** What a build step's transform hook returns: the edited code and its map, or null for no change. */
export function edited(file: string, code: string, edits: readonly Edit[]): { code: string; map: SourceMap } | null {
  return edits.length === 0 ? null : { code: applyEdits(code, edits), map: sourceMapOf(file, code, edits) };
}
