import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin } from 'vite';
import { applyEdits, children, descendants, parseTypeScript, type Edit, type Node } from './ast.js';

// A function or class of its own has its own `this`: what it reaches through
// `this` is not the enclosing class's member.
const OWN_THIS = new Set(['FunctionExpression', 'FunctionDeclaration', 'ClassExpression', 'ClassDeclaration']);
const CLASSES = new Set(['ClassExpression', 'ClassDeclaration']);

/** A `private` instance field, method or accessor, named by a plain identifier. */
function isPrivateMember(member: Node): boolean {
  return (
    (member.type === 'PropertyDefinition' || member.type === 'MethodDefinition') &&
    member.accessibility === 'private' &&
    !member.static &&
    !member.computed &&
    member.key.type === 'Identifier'
  );
}

function* classBodies(program: Node): Generator<Node[]> {
  for (const node of descendants(program)) if (CLASSES.has(node.type)) yield node.body.body;
}

/** Every `private` member name declared in `code`. */
export function privateNames(file: string, code: string): string[] {
  return [...classBodies(parseTypeScript(file, code))].flatMap((body) =>
    body.filter(isPrivateMember).map((member) => member.key.name as string),
  );
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
 * Renames each class's `private` members, where declared and wherever the class
 * reaches them through `this`, to `shortName(name)`. A name that is also a string
 * in the file is kept: it may be read by name (`changed.has('step')`).
 */
export function renamePrivateMembers(file: string, code: string, shortName: (name: string) => string): string {
  const program = parseTypeScript(file, code);
  const strings = new Set<unknown>();
  for (const node of descendants(program)) if (node.type === 'Literal') strings.add(node.value);

  const edits: Edit[] = [];
  const rename = (identifier: Node) => edits.push({ start: identifier.start, end: identifier.end, text: shortName(identifier.name) });
  for (const body of classBodies(program)) {
    const renamed = new Set(body.filter(isPrivateMember).map((member) => member.key.name).filter((name) => !strings.has(name)));
    if (renamed.size === 0) continue;
    for (const member of body) {
      if (member.static) continue;
      if (isPrivateMember(member) && renamed.has(member.key.name)) rename(member.key);
      // A method's own function is where `this` is the instance; any other function is not.
      const scope = member.value?.type === 'FunctionExpression' ? member.value : member;
      for (const access of thisAccesses(scope)) if (renamed.has(access.property.name)) rename(access.property);
    }
  }
  return applyEdits(code, edits);
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
      const uses = new Map<string, number>();
      for (const [file, code] of sources) {
        for (const name of privateNames(file, code)) uses.set(name, 0);
      }
      for (const [, code] of sources) {
        for (const [name] of uses) uses.set(name, uses.get(name)! + code.split(`.${name}`).length - 1);
      }
      // The most used get the shortest names.
      const ranked = [...uses].sort(([a, m], [b, n]) => n - m || (a < b ? -1 : 1)).map(([name]) => name);
      table = new Map(ranked.map((name, index) => [name, shortNameAt(index)]));
    },
    transform(code, id) {
      if (!id.startsWith(sourceDir) || !id.endsWith('.ts') || !/\bprivate\b/.test(code)) return null;
      return { code: renamePrivateMembers(id, code, (name) => table.get(name)!), map: null };
    },
  };
}
