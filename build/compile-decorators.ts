import type { Plugin } from 'vite';
import { applyEdits, descendants, parseTypeScript, type Edit, type Node } from './ast.js';
import { edited } from './source-map.js';

// The decorators this compiles, by where they come from. Any other decorator is
// left to TypeScript's usual output.
const LIT_DECORATORS = new Set(['property', 'state', 'query']);
const LIT_MODULE = 'lit/decorators.js';
const LOCALIZED_MODULE = /\/localization\/localization\.js$/;

interface Imported {
  /** Local name → imported name. */
  names: Map<string, string>;
  /** The import declarations that bring them in. */
  declarations: Node[];
}

/** `names` imported from a module matching `from`, and where. */
function importedNames(program: Node, from: (module: string) => boolean, names: ReadonlySet<string>): Imported {
  const imported: Imported = { names: new Map(), declarations: [] };
  for (const statement of program.body as Node[]) {
    if (statement.type !== 'ImportDeclaration' || !from(statement.source.value)) continue;
    imported.declarations.push(statement);
    for (const specifier of statement.specifiers as Node[]) {
      if (specifier.type === 'ImportSpecifier' && names.has(specifier.imported.name)) {
        imported.names.set(specifier.local.name, specifier.imported.name);
      }
    }
  }
  return imported;
}

// A decorator this step cannot compile faithfully stops the build rather than shipping something else.
function unsupported(file: string, node: Node, what: string): never {
  throw new Error(`${file}: ${what} (at offset ${node.start}); build/compile-decorators.ts does not compile it.`);
}

// Only the decorator: what it decorates stays where it was.
function removal(decorator: Node): Edit {
  return { start: decorator.start, end: decorator.end, text: '' };
}

/**
 * Compiles Lit's `@property`, `@state` and `@query` into what they stand for:
 * a `static properties` map and `renderRoot.querySelector` getters; and our
 * `@localized()` class decorator into a static block that calls it. The
 * source keeps the decorators (house style); the shipped code needs neither
 * the decorator runtime nor TypeScript's decorate helper.
 */
export function compileDecorators(file: string, code: string): string {
  return applyEdits(code, decoratorEdits(file, code));
}

function decoratorEdits(file: string, code: string): Edit[] {
  const program = parseTypeScript(file, code);
  const litImport = importedNames(program, (module) => module === LIT_MODULE, LIT_DECORATORS);
  const lit = litImport.names;
  const localized = importedNames(program, (module) => LOCALIZED_MODULE.test(module), new Set(['localized'])).names;
  if (lit.size === 0 && localized.size === 0) return [];

  // Nothing uses the decorators once compiled; left in, the import would still load them where nothing tree-shakes.
  const edits: Edit[] = litImport.declarations.map((declaration) => {
    const beyond = (declaration.specifiers as Node[]).some((specifier) => specifier.type !== 'ImportSpecifier' || !LIT_DECORATORS.has(specifier.imported.name));
    if (beyond) unsupported(file, declaration, `an import of ${LIT_MODULE} beyond ${[...LIT_DECORATORS].join(', ')}`);
    return { start: declaration.start, end: declaration.end, text: '' };
  });
  for (const node of descendants(program)) {
    if (node.type !== 'ClassDeclaration' && node.type !== 'ClassExpression') continue;
    const opening: string[] = [];
    for (const decorator of (node.decorators ?? []) as Node[]) {
      const call = decorator.expression;
      if (call.type !== 'CallExpression' || !localized.has(call.callee.name)) continue;
      edits.push(removal(decorator));
      opening.push(`static { ${code.slice(call.start, call.end)}(this); }`);
    }
    const properties: string[] = [];
    for (const member of node.body.body as Node[]) {
      for (const decorator of (member.decorators ?? []) as Node[]) {
        const call = decorator.expression;
        // Its import goes, so a Lit decorator left uncompiled would fail at run time.
        if (call.type === 'Identifier' && lit.has(call.name)) unsupported(file, decorator, `@${call.name} without its call`);
        const kind = call.type === 'CallExpression' ? lit.get(call.callee.name) : undefined;
        if (!kind) continue;
        if (member.computed || member.key.type !== 'Identifier') unsupported(file, member, `@${kind} on a computed or quoted name`);
        if (call.arguments.length > 1) unsupported(file, call, `@${kind} with a second argument`);
        const name = member.key.name as string;
        const argument = call.arguments[0] ? code.slice(call.arguments[0].start, call.arguments[0].end) : '';
        if (kind === 'query') {
          // What @query does (uncached): look the element up in the shadow root on each read.
          const modifiers = member.accessibility ? `${member.accessibility} ` : '';
          edits.push({
            start: member.start,
            end: member.end,
            text: `${modifiers}get ${name}() { return this.renderRoot?.querySelector(${argument}) ?? null; }`,
          });
        } else {
          edits.push(removal(decorator));
          const options = kind === 'state' ? `{ ${argument ? `...${argument}, ` : ''}state: true }` : argument || '{}';
          properties.push(`${name}: ${options}`);
        }
      }
    }
    if (properties.length > 0) {
      const own = node.body.body.find((member: Node) => member.static && member.key?.name === 'properties');
      if (own) unsupported(file, own, 'decorators beside a static properties of its own');
      opening.push(`static properties = { ${properties.join(', ')} };`);
    }
    if (opening.length > 0) edits.push({ start: node.body.start + 1, end: node.body.start + 1, text: ` ${opening.join(' ')}` });
  }
  return edits;
}

/** Applies {@link compileDecorators} to our sources in every build. */
export function litDecorators(sourceDir: string): Plugin {
  return {
    name: 'conduit-lit-decorators',
    apply: 'build',
    enforce: 'pre',
    transform(code, id) {
      if (!id.startsWith(sourceDir) || !id.endsWith('.ts') || !code.includes('@')) return null;
      return edited(id, code, decoratorEdits(id, code));
    },
  };
}
