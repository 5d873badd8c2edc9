import { parseSync, type Plugin } from 'vite';

interface Node {
  type?: string;
  start: number;
  end: number;
  [key: string]: unknown;
}

const TAGS = new Set(['css', 'html']);

function* walk(value: unknown): Generator<Node> {
  if (Array.isArray(value)) {
    for (const item of value) yield* walk(item);
  } else if (value && typeof value === 'object') {
    const node = value as Node;
    if (typeof node.type === 'string') yield node;
    for (const key in node) if (key !== 'type') yield* walk(node[key]);
  }
}

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

/** Strips the indentation from Lit's html`` templates, and comments and spacing from its css``, in our sources. */
export function minifyTemplates(): Plugin {
  return {
    name: 'conduit-minify-templates',
    enforce: 'pre',
    transform(code, id) {
      if (!/\/src\/.*\.ts$/.test(id) || !/\b(css|html)`/.test(code)) return null;
      const { program } = parseSync(id, code, { lang: 'ts' });
      const edits: { start: number; end: number; text: string }[] = [];
      for (const node of walk(program)) {
        if (node.type !== 'TaggedTemplateExpression') continue;
        const tag = node.tag as Node & { name?: string };
        if (tag.type !== 'Identifier' || !TAGS.has(tag.name ?? '')) continue;
        const quasi = node.quasi as Node & { quasis: (Node & { value: { raw: string } })[] };
        for (const element of quasi.quasis) {
          const { raw } = element.value;
          const start = code.indexOf(raw, element.start);
          if (start < 0 || start > element.end) continue;
          edits.push({ start, end: start + raw.length, text: squeeze(raw, tag.name!) });
        }
      }
      if (edits.length === 0) return null;
      let result = code;
      for (const edit of edits.sort((a, b) => b.start - a.start)) {
        result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
      }
      return { code: result, map: null };
    },
  };
}
