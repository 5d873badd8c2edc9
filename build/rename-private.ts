import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin } from 'vite';
import { applyEdits, children, descendants, parseTypeScript, type Edit, type Node } from './ast.js';
import { edited } from './source-map.js';

// A function or class of its own has its own `this`: what it reaches through
// `this` is not the enclosing class's member.
const OWN_THIS = new Set(['FunctionExpression', 'FunctionDeclaration', 'ClassExpression', 'ClassDeclaration']);
const CLASSES = new Set(['ClassExpression', 'ClassDeclaration']);

/**
 * A `private` instance field, method or accessor, named by a plain identifier.
 * A `@property` is left out: Lit names its attribute after it.
 */
function isPrivateMember(member: Node): boolean {
  return (
    (member.type === 'PropertyDefinition' || member.type === 'MethodDefinition') &&
    member.accessibility === 'private' &&
    !member.static &&
    !member.computed &&
    member.key.type === 'Identifier' &&
    !(member.decorators ?? []).some((decorator: Node) => decorator.expression.callee?.name === 'property')
  );
}

function* classBodies(program: Node): Generator<Node[]> {
  for (const node of descendants(program)) if (CLASSES.has(node.type)) yield node.body.body;
}

// `this.name` reached from `node` without passing into another function or class.
function* thisAccesses(node: Node): Generator<Node> {
  for (const child of children(node)) {
    if (OWN_THIS.has(child.type)) continue;
    if (child.type === 'MemberExpression' && !child.computed && child.object.type === 'ThisExpression') yield child;
    yield* thisAccesses(child);
  }
}

/**
 * Every place the file spells a property name: member keys and accesses,
 * object keys (destructuring too), and strings, which may name a property too
 * (`changed.has('step')`). Renaming is safe only where all of these are known.
 */
function* propertySpellings(program: Node): Generator<{ name: unknown; node: Node }> {
  for (const node of descendants(program)) {
    if (node.type === 'Literal') yield { name: node.value, node };
    else if (node.type === 'TemplateLiteral' && node.expressions.length === 0) yield { name: node.quasis[0].value.cooked, node };
    else if ((node.type === 'MemberExpression' && !node.computed) || node.type === 'PrivateFieldExpression') {
      yield { name: node.property?.name ?? node.field?.name, node: node.property ?? node.field };
    } else if (['Property', 'PropertyDefinition', 'MethodDefinition'].includes(node.type) && !node.computed) {
      yield { name: node.key.name ?? node.key.value, node: node.key };
    }
  }
}

/**
 * Renames each class's `private` members, where declared and wherever the class
 * reaches them through `this`, to `shortName(name)`. A name the file spells
 * anywhere else (another object's member, a destructured `this`, a string) is
 * kept: that spelling would not follow the rename.
 */
export function renamePrivateMembers(file: string, code: string, shortName: (name: string) => string): string {
  return applyEdits(code, renameEdits(file, code, shortName));
}

function renameEdits(file: string, code: string, shortName: (name: string) => string): Edit[] {
  const program = parseTypeScript(file, code);
  const planned = new Map<string, Node[]>();
  for (const body of classBodies(program)) {
    const names = new Set(body.filter(isPrivateMember).map((member) => member.key.name as string));
    for (const member of body) {
      if (member.static || member.type === 'StaticBlock') continue;
      if (isPrivateMember(member)) planned.set(member.key.name, [...(planned.get(member.key.name) ?? []), member.key]);
      // A method's own function is where `this` is the instance; any other function is not.
      const scope = member.value?.type === 'FunctionExpression' ? member.value : member;
      for (const access of thisAccesses(scope)) {
        const { name } = access.property;
        if (names.has(name)) planned.set(name, [...(planned.get(name) ?? []), access.property]);
      }
    }
  }
  const plannedNodes = new Set([...planned.values()].flat());
  for (const { name, node } of propertySpellings(program)) {
    if (typeof name === 'string' && planned.has(name) && !plannedNodes.has(node)) planned.delete(name);
  }
  return [...planned].flatMap(([name, nodes]) => nodes.map((node) => ({ start: node.start, end: node.end, text: shortName(name) })));
}

const IDENTIFIER_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_$';

// `$a` … `$$`, then `$aa`: no DOM, Lit or public name of ours begins with `$`.
function shortNameAt(index: number): string {
  let name = '';
  do {
    name = IDENTIFIER_CHARS[index % IDENTIFIER_CHARS.length] + name;
    index = Math.floor(index / IDENTIFIER_CHARS.length) - 1;
  } while (index >= 0);
  return `$${name}`;
}

/**
 * Gives TS `private` members short names in built code. The source keeps
 * readable names (house style: TS `private`, no prefixes); the minifier cannot
 * shorten property names by itself, and nothing outside a class may reach its
 * private members, so the shipped code need not carry them. Each name has one
 * short name in every file, so two names never share one, even in a base class
 * and its subclass.
 */
export function renamePrivate(sourceDir: string): Plugin {
  let table = new Map<string, string>();
  return {
    name: 'conduit-rename-private',
    apply: 'build',
    enforce: 'pre',
    buildStart() {
      const files = readdirSync(sourceDir, { recursive: true, encoding: 'utf8' })
        .filter((file) => file.endsWith('.ts'))
        .sort();
      const sources = files.map((file) => [file, readFileSync(join(sourceDir, file), 'utf8')] as const);
      // A dry run counts the renames each name will get; the most used get the shortest names.
      const uses = new Map<string, number>();
      for (const [file, code] of sources) {
        renameEdits(file, code, (name) => {
          uses.set(name, (uses.get(name) ?? 0) + 1);
          return name;
        });
      }
      const ranked = [...uses].sort(([a, m], [b, n]) => n - m || (a < b ? -1 : 1)).map(([name]) => name);
      table = new Map(ranked.map((name, index) => [name, shortNameAt(index)]));
    },
    transform(code, id) {
      if (!id.startsWith(sourceDir) || !id.endsWith('.ts') || !/\bprivate\b/.test(code)) return null;
      return edited(id, code, renameEdits(id, code, (name) => table.get(name)!));
    },
  };
}
