// The shipped code declares Lit's reactive properties with `static properties`
// instead of decorators (build/compile-decorators.ts). Each case compiles the
// result and checks what Lit will read from the class.
import assert from 'node:assert/strict';
import { SourceMap } from 'node:module';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { compileDecorators, litDecorators } from '../../build/compile-decorators.js';
import { renamePrivateMembers } from '../../build/rename-private.js';
import { positionOf, run, SOURCE_FILE } from './support.js';

// Lit's classes need a DOM; these cases only read what the class declares.
const PRELUDE = `
  const LitElement = class { renderRoot = { querySelector: (selector) => ({ found: selector }) }; };
  const calls = [];
  const localized = () => (element) => calls.push(element.name);
`;

/** Compiles `source` (with its imports dropped: Node has no DOM for Lit) and runs it. */
function runCompiled(source: string, compile = (code: string) => compileDecorators('case.ts', code)): Promise<Record<string, any>> {
  const body = compile(source).replace(/^\s*import .*$/gm, '');
  return run(PRELUDE + body + '\nexport { calls };');
}

const IMPORTS = `
  import { LitElement } from 'lit';
  import { property, query, state } from 'lit/decorators.js';
  import { localized } from '../../localization/localization.js';
`;

describe('compileDecorators', () => {
  it('turns @property and @state into static properties, keeping their options', async () => {
    const { Step } = await runCompiled(`${IMPORTS}
      export class Step extends LitElement {
        @state() private busy = false;
        /** The partner's name. */
        @property({ attribute: 'partner-name' }) partnerName = '';
        @property() mode: 'inline' | 'modal' = 'inline';
        @property({ attribute: false }) callback?: () => void;
      }`);
    assert.deepEqual(Step.properties, {
      busy: { state: true },
      partnerName: { attribute: 'partner-name' },
      mode: {},
      callback: { attribute: false },
    });
    const step = new Step();
    assert.equal(step.busy, false, 'initial values stay');
    assert.equal('callback' in step, false, 'a field without a value declares nothing that would shadow Lit’s accessor');
  });

  it('turns @query into a getter that looks in the shadow root on each read', async () => {
    const { Form } = await runCompiled(`${IMPORTS}
      export class Form extends LitElement {
        @query('#api-key') private keyInput!: HTMLInputElement;
        read() { return this.keyInput; }
      }`);
    assert.deepEqual(new Form().read(), { found: '#api-key' });
    assert.equal(Form.properties, undefined, 'a query is not a reactive property');
  });

  it('turns @localized() into a call with the class when it is defined', async () => {
    const { calls } = await runCompiled(`${IMPORTS}
      @localized()
      export class Picker extends LitElement {}`);
    assert.deepEqual(calls, ['Picker']);
  });

  it('in the build’s order (private names shortened first), declares the properties by the names the class uses', async () => {
    const { Step } = await runCompiled(
      `${IMPORTS}
      export class Step extends LitElement {
        @state() private busy = false;
        isBusy() { return this.busy; }
      }`,
      (code) => compileDecorators('case.ts', renamePrivateMembers('case.ts', code, (name) => `$${name}`)),
    );
    assert.deepEqual(Step.properties, { $busy: { state: true } });
    assert.equal(new Step().isBusy(), false);
  });

  it('keeps the options of @state', async () => {
    const { Step } = await runCompiled(`${IMPORTS}
      export class Step extends LitElement {
        @state({ hasChanged: () => true }) private tick = 0;
      }`);
    assert.equal(Step.properties.tick.state, true);
    assert.equal(typeof Step.properties.tick.hasChanged, 'function');
  });

  it('drops the decorators import, which would otherwise still load them', () => {
    const compiled = compileDecorators('case.ts', `${IMPORTS}\n      export class Step extends LitElement { @state() private busy = false; }`);
    assert.doesNotMatch(compiled, /lit\/decorators\.js/);
    assert.match(compiled, /import \{ LitElement \} from 'lit'/);
  });

  it('stops the build on what it cannot compile faithfully, instead of shipping something else', () => {
    const cases = {
      'a cached @query': `@query('form', true) private form!: HTMLFormElement;`,
      'a quoted name': `@state() 'busy-now' = false;`,
      'a static properties of its own': `static properties = { a: {} }; @state() private busy = false;`,
    };
    for (const [what, member] of Object.entries(cases)) {
      assert.throws(() => compileDecorators('case.ts', `${IMPORTS}\n class Step extends LitElement { ${member} }`), /does not compile it/, what);
    }
    const otherDecorator = `import { eventOptions, state } from 'lit/decorators.js';\nclass Step { @state() private busy = false; }`;
    assert.throws(() => compileDecorators('case.ts', otherDecorator), /beyond/);
    // Its import goes with the others, so left uncompiled it would fail at run time.
    const bare = `import { state } from 'lit/decorators.js';\nclass Step { @state private busy = false; }`;
    assert.throws(() => compileDecorators('case.ts', bare), /without its call/);
  });

  it('takes the decorators from two imports of lit/decorators.js', () => {
    const twice = `import { state } from 'lit/decorators.js';\nimport { query } from 'lit/decorators.js';\nclass Step { @state() private busy = false; @query('form') private form; }`;
    const compiled = compileDecorators('case.ts', twice);
    assert.doesNotMatch(compiled, /lit\/decorators|@state|@query/);
    assert.match(compiled, /static properties = \{ busy: \{ state: true \} \}/);
  });

  it('gives Vite a map that points what it kept back at the source', () => {
    const source = `${IMPORTS}
      @localized()
      export class Step extends LitElement {
        @query('form') private form!: HTMLFormElement;
        @state() private busy = false; submit() { return this.busy; }
      }`;
    // `submit` shares its line with a decorator the step removes: only a true map finds its column.
    const transform = litDecorators(fileURLToPath(new URL('../../src/', import.meta.url))).transform as (code: string, id: string) => {
      code: string;
      map: ConstructorParameters<typeof SourceMap>[0];
    };
    const { code, map } = transform(source, SOURCE_FILE);
    const generated = positionOf(code, code.indexOf('submit()'));
    const entry = new SourceMap(map).findEntry(generated.line, generated.column) as { originalLine: number; originalColumn: number };
    assert.deepEqual({ line: entry.originalLine, column: entry.originalColumn }, positionOf(source, source.indexOf('submit()')));
  });

  it('leaves decorators it does not know, and files that import none of these, untouched', () => {
    const other = `import { property } from 'some-other-library';\nclass A { @property() b = 1; }`;
    assert.equal(compileDecorators('case.ts', other), other);
    const plain = `export const a = 1;`;
    assert.equal(compileDecorators('case.ts', plain), plain);
  });
});
