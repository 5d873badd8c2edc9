import type { Plugin } from 'vite';
import { applyEdits, descendants, parseTypeScript, type Edit } from './ast.js';

const TAGS = new Set(['css', 'html']);

// Indentation and CSS comments are for people reading the source; the browser
// renders the same without them. html`` keeps its line breaks, so the code after
// it keeps its line numbers and source maps stay true; css`` loses them too, as
// styles end their files (house style: one <name>.styles.ts per element).
function squeeze(raw: string, tag: string): string {
  if (tag === 'html') return raw.replace(/[ \t]*\n[ \t]*/g, '\n');
  return raw
    .replace(/\/\*[^]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/ ?([{};]) ?/g, '$1');
}

/** Strips the indentation from Lit's html`` templates, and comments and spacing from its css``. */
export function minifyTemplates(file: string, code: string): string {
  const edits: Edit[] = [];
  for (const node of descendants(parseTypeScript(file, code))) {
    if (node.type !== 'TaggedTemplateExpression') continue;
    const { tag } = node;
    if (tag.type !== 'Identifier' || !TAGS.has(tag.name)) continue;
    for (const element of node.quasi.quasis) {
      const { raw } = element.value;
      const start = code.indexOf(raw, element.start);
      if (start < 0 || start > element.end) continue;
      edits.push({ start, end: start + raw.length, text: squeeze(raw, tag.name) });
    }
  }
  return applyEdits(code, edits);
}

/** Applies {@link minifyTemplates} to our sources. */
export function leanTemplates(sourceDir: string): Plugin {
  return {
    name: 'conduit-minify-templates',
    enforce: 'pre',
    transform(code, id) {
      if (!id.startsWith(sourceDir) || !id.endsWith('.ts') || !/\b(css|html)`/.test(code)) return null;
      const result = minifyTemplates(id, code);
      return result === code ? null : { code: result, map: null };
    },
  };
}
