import type { Plugin } from 'vite';
import { applyEdits, descendants, parseTypeScript, type Edit } from './ast.js';
import { edited } from './source-map.js';

const TAGS = new Set(['css', 'html']);

// Indentation and CSS comments are for people reading the source; the browser
// renders the same without them. In html`` each line break and its indentation
// become one space (whitespace is whitespace in markup, and a space packs
// better), each as its own edit, so the source map keeps every column of the
// markup; css`` is rewritten whole, as styles end their files (house style:
// one <name>.styles.ts per element).
function indentation(raw: string, start: number): Edit[] {
  return [...raw.matchAll(/[ \t]*\n[ \t]*/g)].map(({ 0: run, index }) => ({ start: start + index, end: start + index + run.length, text: ' ' }));
}

// The rewrites are the safe ones of a CSS minifier (spaces after `:` and `,`, a
// `;` before `}`, quotes around an attribute value that is an identifier, the 0 of 0.5); they
// read the text, not the grammar, so a quoted CSS string with `, ` or `: ` in it
// would lose its space; our styles have none.
function squeezeCss(raw: string): string {
  return raw
    .replace(/\/\*[^]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/ ?([{};,]) ?/g, '$1')
    .replace(/;}/g, '}')
    .replace(/([{;][\w-]+): /g, '$1:')
    .replace(/=(['"])(-?[A-Za-z_][\w-]*)\1]/g, '=$2]')
    .replace(/(^|[^\w.])0\.(?=\d)/g, '$1.');
}

/** Turns each line break and indentation in Lit's html`` templates into one space, and minifies its css``. */
export function minifyTemplates(file: string, code: string): string {
  return applyEdits(code, templateEdits(file, code));
}

function templateEdits(file: string, code: string): Edit[] {
  const edits: Edit[] = [];
  for (const node of descendants(parseTypeScript(file, code))) {
    if (node.type !== 'TaggedTemplateExpression') continue;
    const { tag } = node;
    if (tag.type !== 'Identifier' || !TAGS.has(tag.name)) continue;
    for (const element of node.quasi.quasis) {
      const { raw } = element.value;
      const start = code.indexOf(raw, element.start);
      if (start < 0 || start > element.end) continue;
      if (tag.name === 'html') {
        edits.push(...indentation(raw, start));
        continue;
      }
      const text = squeezeCss(raw);
      if (text !== raw) edits.push({ start, end: start + raw.length, text });
    }
  }
  return edits;
}

/** Applies {@link minifyTemplates} to our sources. */
export function leanTemplates(sourceDir: string): Plugin {
  return {
    name: 'conduit-minify-templates',
    enforce: 'pre',
    transform(code, id) {
      if (!id.startsWith(sourceDir) || !id.endsWith('.ts') || !/\b(css|html)`/.test(code)) return null;
      return edited(id, code, templateEdits(id, code));
    },
  };
}
