// The shipped JavaScript must not turn data into markup or code, store what the
// flow handles, or broadcast it to any window (issue 4, item 5). The code is
// parsed (Vite's own oxc parser, already a dependency) rather than grepped, so
// words in comments and strings never count, and every spelling of an access
// does: `a.b`, `a['b']`, `(0, eval)(…)`, `window.setTimeout('…')`.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative, resolve } from 'node:path';
import { before, describe, it } from 'node:test';
import { parseSync } from 'vite';
import { BUNDLE, DIST, REPO, withBuiltDist } from '../e2e/built-dist.js';

type Rule =
  | 'innerHTML/outerHTML assignment'
  | 'insertAdjacentHTML'
  | 'unsafeHTML'
  | 'eval'
  | 'new Function'
  | 'string passed to setTimeout/setInterval'
  | 'localStorage'
  | 'sessionStorage'
  | 'document.cookie'
  | "postMessage to '*'";

interface Finding {
  rule: Rule;
  /** UTF-16 offsets into the scanned code, as source maps count columns. */
  start: number;
  end: number;
}

// ESTree, loosely: the checks below read the few fields they need.
interface Node {
  type: string;
  start: number;
  end: number;
  [field: string]: any;
}

// Any use of these names is forbidden, as a variable or as a property.
// A Map, not an object: a lookup of `toString` or `constructor` must find nothing.
const FORBIDDEN_NAMES = new Map<string, Rule>([
  ['insertAdjacentHTML', 'insertAdjacentHTML'],
  ['unsafeHTML', 'unsafeHTML'],
  ['eval', 'eval'],
  ['localStorage', 'localStorage'],
  ['sessionStorage', 'sessionStorage'],
]);

// Keys that declare a member rather than use one: `{ eval: 1 }`, `class { eval() {} }`.
const KEYED = new Set(['Property', 'MethodDefinition', 'PropertyDefinition', 'AccessorProperty']);

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && typeof (value as Node).type === 'string';
}

function walk(node: Node, visit: (node: Node, parent: Node | null, field: string) => void, parent: Node | null = null, field = ''): void {
  visit(node, parent, field);
  for (const [childField, value] of Object.entries(node)) {
    for (const child of Array.isArray(value) ? value : [value]) if (isNode(child)) walk(child, visit, node, childField);
  }
}

function stringValue(node: Node): string | undefined {
  if (node.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node.type === 'TemplateLiteral' && node.expressions.length === 0) return node.quasis[0].value.cooked;
  return undefined;
}

/** The name a member access reads however it is spelt: `a.b`, `a['b']`, ``a[`b`]``. */
function memberName(node: Node): string | undefined {
  if (node.type !== 'MemberExpression') return undefined;
  if (node.computed) return stringValue(node.property);
  return node.property.type === 'Identifier' ? node.property.name : undefined;
}

function calleeName(node: Node): string | undefined {
  if (node.type === 'Identifier') return node.name;
  if (node.type === 'ChainExpression') return calleeName(node.expression);
  // `(0, eval)(code)`: an indirect call is still a call.
  if (node.type === 'SequenceExpression') return calleeName(node.expressions.at(-1));
  return memberName(node);
}

// What setTimeout would compile: a literal, a template, or a concatenation with one.
function isStringy(node: Node): boolean {
  if (node.type === 'Literal') return typeof node.value === 'string';
  if (node.type === 'TemplateLiteral') return true;
  return node.type === 'BinaryExpression' && node.operator === '+' && (isStringy(node.left) || isStringy(node.right));
}

function targetsAnyOrigin(argument: Node): boolean {
  if (stringValue(argument) === '*') return true;
  return (
    argument.type === 'ObjectExpression' &&
    argument.properties.some(
      (property: Node) =>
        property.type === 'Property' &&
        (property.computed ? stringValue(property.key) : property.key.name ?? stringValue(property.key)) === 'targetOrigin' &&
        stringValue(property.value) === '*',
    )
  );
}

function ruleFor(node: Node, parent: Node | null, field: string): Rule | undefined {
  switch (node.type) {
    case 'Identifier':
      if (parent && KEYED.has(parent.type) && field === 'key' && !parent.computed) return undefined;
      return FORBIDDEN_NAMES.get(node.name);
    case 'MemberExpression': {
      const name = memberName(node);
      // Any object's `cookie`, not only `document`'s: the document is easily reached
      // under another name (`this.ownerDocument`, a minifier's local), and the
      // browser code has no other cookie to touch.
      if (name === 'cookie') return 'document.cookie';
      // A plain `a.eval` is already reported through its identifier.
      return node.computed && name ? FORBIDDEN_NAMES.get(name) : undefined;
    }
    case 'AssignmentExpression': {
      const name = memberName(node.left);
      return name === 'innerHTML' || name === 'outerHTML' ? 'innerHTML/outerHTML assignment' : undefined;
    }
    case 'ImportDeclaration':
    case 'ImportExpression':
    case 'ExportNamedDeclaration':
    case 'ExportAllDeclaration': {
      const source = node.source && stringValue(node.source);
      return source && /\/unsafe-html(\.js)?$/.test(source) ? 'unsafeHTML' : undefined;
    }
    case 'NewExpression':
    case 'CallExpression': {
      const name = calleeName(node.callee);
      // `Function(code)` compiles just as `new Function(code)` does.
      if (name === 'Function') return 'new Function';
      if (node.type === 'NewExpression') return undefined;
      if ((name === 'setTimeout' || name === 'setInterval') && node.arguments[0] && isStringy(node.arguments[0])) {
        return 'string passed to setTimeout/setInterval';
      }
      return name === 'postMessage' && node.arguments.some(targetsAnyOrigin) ? "postMessage to '*'" : undefined;
    }
    default:
      return undefined;
  }
}

function parse(code: string, filename: string): Node {
  const { program, errors } = parseSync(filename, code, { lang: 'js', sourceType: 'module', preserveParens: false });
  assert.deepEqual(errors, [], `${filename} must parse`);
  return program as unknown as Node;
}

function scan(code: string, filename = 'sample.js'): Finding[] {
  const findings = new Map<string, Finding>();
  walk(parse(code, filename), (node, parent, field) => {
    const rule = ruleFor(node, parent, field);
    // `import { unsafeHTML }` holds two identifiers on one span; one finding is enough.
    if (rule) findings.set(`${rule}@${node.start}`, { rule, start: node.start, end: node.end });
  });
  return [...findings.values()];
}

function lineAndColumn(code: string, offset: number): { line: number; column: number } {
  const before = code.slice(0, offset).split('\n');
  return { line: before.length - 1, column: before.at(-1)!.length };
}

function describeFinding(code: string, finding: Finding, where: string): string {
  const { line, column } = lineAndColumn(code, finding.start);
  return `${where}:${line + 1}:${column + 1} ${finding.rule}: ${code.slice(finding.start, Math.min(finding.end, finding.start + 80))}`;
}

interface SourceMap {
  sources: string[];
  sourcesContent: string[];
  mappings: string;
}

interface Origin {
  source: string;
  line: number;
  column: number;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function decodeVlq(segment: string): number[] {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (const char of segment) {
    const digit = BASE64.indexOf(char);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      values.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return values;
}

/**
 * Source map v3 `mappings`, per generated line: the segments' generated columns
 * and where each came from (null where the map says the code has no source).
 */
function decodeMappings(map: SourceMap): Array<Array<{ column: number; origin: Origin | null }>> {
  let source = 0;
  let line = 0;
  let column = 0;
  return map.mappings.split(';').map((text) => {
    let generated = 0;
    return text
      .split(',')
      .filter(Boolean)
      .map((segment) => {
        const fields = decodeVlq(segment);
        generated += fields[0]!;
        if (fields.length < 4) return { column: generated, origin: null };
        source += fields[1]!;
        line += fields[2]!;
        column += fields[3]!;
        return { column: generated, origin: { source: map.sources[source]!, line, column } };
      });
  });
}

function originOf(lines: ReturnType<typeof decodeMappings>, code: string, offset: number): Origin | null {
  const { line, column } = lineAndColumn(code, offset);
  const segment = (lines[line] ?? []).findLast((candidate) => candidate.column <= column);
  return segment?.origin ?? null;
}

// The one thing Lit may do in the bundle: its template engine parses each
// template's static HTML once, through the `lit-html` Trusted Types policy.
function isLitTemplateParsing(finding: Finding, origin: Origin | null): boolean {
  return finding.rule === 'innerHTML/outerHTML assignment' && origin?.source === 'node_modules/lit-html/lit-html.js';
}

// The CDN build: the bundle and its chunks, scanned with their maps (Lit's template parsing is theirs).
const CHUNKS = join(DIST, 'chunks');

function jsFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return directory === DIST && path === CHUNKS ? [] : jsFiles(path);
    return entry.name.endsWith('.js') && path !== BUNDLE ? [path] : [];
  });
}

describe('the shipped code', () => {
  let modules: Array<{ path: string; code: string }>;
  let bundle: string;
  // The bundle and its chunks: what a page runs, each with its source map.
  let shipped: Array<{ name: string; code: string; map: SourceMap }>;

  before(async () => {
    ({ modules, bundle, shipped } = await withBuiltDist(['library', 'bundle'], () => ({
      modules: jsFiles(DIST).map((path) => ({ path: relative(REPO, path), code: readFileSync(path, 'utf8') })),
      bundle: readFileSync(BUNDLE, 'utf8'),
      shipped: [BUNDLE, ...readdirSync(CHUNKS).filter((name) => name.endsWith('.js')).map((name) => join(CHUNKS, name))].map((path) => {
        // The bundle itself only names what chunks/first-screen.js exports: no code of its own, so no map.
        const map: SourceMap = existsSync(`${path}.map`) ? (JSON.parse(readFileSync(`${path}.map`, 'utf8')) as SourceMap) : { sources: [], sourcesContent: [], mappings: '' };
        // Sources as repo paths, `src/…` or `node_modules/…`, whatever the map is relative to.
        map.sources = map.sources.map((source) => relative(REPO, resolve(dirname(path), source)));
        return { name: relative(DIST, path), code: readFileSync(path, 'utf8'), map };
      }),
    })));
  });

  it('the check reports each forbidden construct, and only it', () => {
    const samples: Array<[Rule, string]> = [
      ['innerHTML/outerHTML assignment', 'el.innerHTML = html;'],
      ['innerHTML/outerHTML assignment', "el['outerHTML'] += html;"],
      ['insertAdjacentHTML', "el.insertAdjacentHTML('beforeend', html);"],
      ['unsafeHTML', "import { unsafeHTML } from 'lit/directives/unsafe-html.js';"],
      ['unsafeHTML', 'render(unsafeHTML(html), el);'],
      ['eval', 'eval(code);'],
      ['eval', '(0, eval)(code);'],
      ['eval', "window['eval'](code);"],
      ['new Function', "new Function('a', code);"],
      ['new Function', 'Function(code)();'],
      ['string passed to setTimeout/setInterval', "setTimeout('tick()', 10);"],
      ['string passed to setTimeout/setInterval', 'window.setInterval(`tick(${n})`, 10);'],
      ['string passed to setTimeout/setInterval', "globalThis.setTimeout('tick(' + n + ')');"],
      ['localStorage', "localStorage.setItem('k', v);"],
      ['localStorage', "globalThis['localStorage'].clear();"],
      ['sessionStorage', "window.sessionStorage.getItem('k');"],
      ['document.cookie', "document.cookie = 'a=b';"],
      ['document.cookie', "const c = this.ownerDocument['cookie'];"],
      ["postMessage to '*'", "parent.postMessage(data, '*');"],
      ["postMessage to '*'", "window.postMessage(data, { targetOrigin: '*' });"],
    ];
    for (const [rule, code] of samples) {
      const rules = new Set(scan(code).map((finding) => finding.rule));
      assert.deepEqual([...rules], [rule], code);
    }
  });

  it('the check ignores comments, strings, declared keys and harmless uses', () => {
    const code = `
      // el.innerHTML = x; eval(code); new Function(code); localStorage.setItem('k', v)
      /* document.cookie = 'a=b'; setTimeout('tick()'); parent.postMessage(x, '*'); el.insertAdjacentHTML() */
      const help = "never el.innerHTML = html, eval(code), unsafeHTML(x) or sessionStorage";
      const more = \`document.cookie, new Function('x'), setInterval('y')\`;
      const markup = el.innerHTML;
      el.textContent = markup;
      setTimeout(() => tick(), 10);
      setInterval(tick, 10);
      worker.postMessage(data);
      parent.postMessage(data, 'https://partner.example');
      const labels = { localStorage: 'Local storage', eval: 1, cookie: 2 };
      class Evaluator { eval() {} sessionStorage = null; }
    `;
    assert.deepEqual(scan(code), []);
  });

  it('the library modules in dist/ contain none of it', () => {
    assert(modules.some((module) => module.path === join('dist', 'define.js')), 'the library build is there');
    const found = modules.flatMap(({ path, code }) => scan(code, path).map((finding) => describeFinding(code, finding, path)));
    assert.deepEqual(found, []);
  });

  // What a module imports, statically or on demand.
  function importsOf(code: string, name: string): string[] {
    const requests: string[] = [];
    walk(parse(code, name), (node) => {
      if (/^(Import|ExportAll|ExportNamed)Declaration$|^ImportExpression$/.test(node.type) && node.source) {
        requests.push(stringValue(node.source) ?? code.slice(node.source.start, node.source.end));
      }
    });
    return requests;
  }

  // Partners copy the bundle with its chunks/ and locales/ beside it (README, "From a
  // CDN"); nothing of it may reach further, and nothing beside it may name the bundle,
  // so that a CDN or a partner can rename it.
  it('the bundle loads only its chunks and, on demand, the locale files beside it; none of them loads the bundle', () => {
    const beside = (folder: string) => modules.filter(({ path }) => path.startsWith(`dist/${folder}/`));
    const locales = beside('locales');
    const chunks = shipped.filter(({ name }) => name.startsWith('chunks/')).map(({ name, code }) => ({ path: `dist/${name}`, code }));
    assert.deepEqual(
      locales.map(({ path }) => path.slice('dist/locales/'.length)).sort(),
      ['ar.js', 'de.js', 'es.js', 'fr.js', 'it.js', 'lit-localize.js', 'nl.js', 'pt-BR.js'],
    );
    assert.ok(chunks.some(({ path }) => path === 'dist/chunks/later-steps.js'), 'the later steps are a chunk of their own');
    const own = new Set([...locales, ...chunks].map(({ path }) => path));
    const resolved = (from: string, request: string) => posix.join(posix.dirname(from), request);
    for (const { path, code } of [{ path: 'dist/conduit-link.bundle.js', code: bundle }, ...locales, ...chunks]) {
      for (const request of importsOf(code, path)) {
        const target = resolved(path, request);
        assert.ok(own.has(target), `${path} imports ${request}, which is not beside it`);
        assert.notEqual(target, 'dist/conduit-link.bundle.js', `${path} names the bundle`);
      }
    }
    // The languages load nothing but the one str tag they share.
    for (const { path, code } of locales) {
      if (!path.endsWith('lit-localize.js')) assert.deepEqual(importsOf(code, path), ['./lit-localize.js'], path);
    }
  });

  // The minified bundle itself is scanned, not the sources in its map: it is what
  // ships, minifier and all. The map only tells whose code each finding is.
  it('the bundle and its chunks contain none of it outside Lit’s Trusted Types template parsing', () => {
    const findings = shipped.flatMap(({ name, code, map }) => {
      const lines = decodeMappings(map);
      return scan(code, name).map((finding) => ({ name, code, map, finding, origin: originOf(lines, code, finding.start) }));
    });

    // Everything is held against us unless the source map places it in Lit's template engine.
    const violations = findings
      .filter(({ finding, origin }) => !isLitTemplateParsing(finding, origin))
      .map(({ name, code, finding, origin }) => {
        const from = origin ? `${origin.source}:${origin.line + 1}:${origin.column + 1}` : 'no source in the map';
        return `${describeFinding(code, finding, name)} (from ${from})`;
      });
    assert.deepEqual(violations, []);

    // The exemption is earned: Lit's one innerHTML was found and traced to the
    // line that writes it, so the scan saw all the code and the maps are read right.
    const lit = findings.filter(({ finding, origin }) => isLitTemplateParsing(finding, origin));
    assert.equal(lit.length, 1, 'Lit parses templates with innerHTML exactly once in what ships');
    const { origin, map } = lit[0]!;
    const litSource = map.sourcesContent[map.sources.indexOf(origin!.source)]!;
    assert.match(litSource.split('\n')[origin!.line]!, /\.innerHTML\s*=/);
    const sources = shipped.flatMap(({ map: each }) => each.sources);
    assert(sources.some((source) => source.startsWith('src/')), 'the bundle holds our code');

    // Lit ships its unsafe directives as separate modules; none may be pulled in.
    assert.deepEqual(
      sources.filter((source) => /\/directives\/unsafe-(html|svg|mathml)\.js$/.test(source)),
      [],
    );
  });
});
