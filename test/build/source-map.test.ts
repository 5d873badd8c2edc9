// The build steps hand Vite a map of what they changed (build/source-map.ts),
// so a stack trace or a breakpoint in the shipped code lands on the source's
// own line and column.
import assert from 'node:assert/strict';
import { SourceMap } from 'node:module';
import { describe, it } from 'node:test';
import type { Edit } from '../../build/ast.js';
import { leanTemplates } from '../../build/minify-templates.js';
import { edited, sourceMapOf } from '../../build/source-map.js';
import { positionOf, type Position } from './support.js';

/** Where the map sends the first character of `needle` (its `nth` sighting) in `generated`. */
function traced(map: SourceMap, generated: string, needle: string, nth = 0): Position {
  let offset = -1;
  for (let seen = 0; seen <= nth; seen++) offset = generated.indexOf(needle, offset + 1);
  assert.ok(offset >= 0, `${needle} is in the output`);
  const { line, column } = positionOf(generated, offset);
  const entry = map.findEntry(line, column) as { originalLine: number; originalColumn: number };
  return { line: entry.originalLine, column: entry.originalColumn };
}

function originalOf(code: string, needle: string, nth = 0): Position {
  let offset = -1;
  for (let seen = 0; seen <= nth; seen++) offset = code.indexOf(needle, offset + 1);
  return positionOf(code, offset);
}

describe('sourceMapOf', () => {
  const code = ['class Flow {', '  private client = null; private run = null;', '  go() { return this.client ?? this.run; }', '}'].join('\n');
  // What a rename and an insertion make of it: names shorter, a new line in the middle.
  const edits: Edit[] = [
    { start: code.indexOf('client'), end: code.indexOf('client') + 6, text: '$a' },
    { start: code.indexOf('run'), end: code.indexOf('run') + 3, text: '$b' },
    { start: code.indexOf('{') + 1, end: code.indexOf('{') + 1, text: ' static {\n    setUp(this);\n  }' },
    { start: code.lastIndexOf('client'), end: code.lastIndexOf('client') + 6, text: '$a' },
    { start: code.lastIndexOf('run'), end: code.lastIndexOf('run') + 3, text: '$b' },
  ];
  const result = edited('flow.ts', code, edits)!;
  const map = new SourceMap(result.map);

  it('sends every untouched token to its own line and column, however the edits moved it', () => {
    // [token, its sighting in the output, its sighting in the source]: the output's first `this` and `}` are inserted ones.
    for (const [needle, inOutput, inSource] of [
      ['null', 0, 0],
      ['null', 1, 1],
      ['go()', 0, 0],
      ['return', 0, 0],
      ['this', 1, 0],
      ['??', 0, 0],
      ['this', 2, 1],
      ['}', 2, 1],
    ] as const) {
      assert.deepEqual(traced(map, result.code, needle, inOutput), originalOf(code, needle, inSource), `${needle} #${inOutput}`);
    }
  });

  it('sends new text to the start of what it replaced', () => {
    assert.deepEqual(traced(map, result.code, '$a'), originalOf(code, 'client'));
    assert.deepEqual(traced(map, result.code, '$b', 1), originalOf(code, 'run', 1));
    assert.deepEqual(traced(map, result.code, 'setUp'), positionOf(code, code.indexOf('{') + 1));
  });

  it('names the source and carries its text, so a debugger shows the code as written', () => {
    assert.deepEqual(result.map.sources, ['flow.ts']);
    assert.deepEqual(result.map.sourcesContent, [code]);
  });

  it('takes an insertion and a replacement at one offset in either order', () => {
    // What the decorators step makes of a member decorated right after `{`.
    const source = 'class X {@state() a = 1; go() { return this.a; } }';
    const removal: Edit = { start: 9, end: 18, text: '' };
    const insertion: Edit = { start: 9, end: 9, text: ' static properties = { a: { state: true } };' };
    for (const both of [
      [removal, insertion],
      [insertion, removal],
    ]) {
      const result = edited('x.ts', source, both)!;
      assert.equal(result.code, 'class X { static properties = { a: { state: true } };a = 1; go() { return this.a; } }');
      assert.deepEqual(traced(new SourceMap(result.map), result.code, 'return'), originalOf(source, 'return'));
    }
  });

  it('maps code nothing changed one to one', () => {
    const plain = sourceMapOf('plain.ts', code, []);
    const identity = new SourceMap(plain);
    assert.deepEqual(traced(identity, code, '??'), originalOf(code, '??'));
    assert.equal(edited('plain.ts', code, []), null);
  });
});

describe('the template step keeps the markup where it was', () => {
  it('maps each tag of an indented html`` template to its own column', () => {
    const source = 'const view = html`\n      <p class="a">\n        <b>${name}</b>\n      </p>\n    `;';
    const plugin = leanTemplates('/src/');
    const result = (plugin.transform as (code: string, id: string) => { code: string; map: SourceMap['payload'] })(source, '/src/view.ts');
    const map = new SourceMap(result.map);
    for (const needle of ['<p', 'class', '<b>', '${name}', '</p>']) {
      assert.deepEqual(traced(map, result.code, needle), originalOf(source, needle), needle);
    }
  });
});
