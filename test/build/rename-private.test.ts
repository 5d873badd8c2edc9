// The shipped code gives TS `private` members short names (build/rename-private.ts).
// Each case compiles the renamed TypeScript and runs it: what the class does must
// not change, only the names nothing outside the class can reach.
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Plugin } from 'vite';
import { renamePrivate, renamePrivateMembers } from '../../build/rename-private.js';
import { run } from './support.js';

const short = (name: string) => `$${name.length}${name[0]}`;

describe('renamePrivateMembers', () => {
  it('renames private fields, methods and getters where declared and reached through this', async () => {
    const source = `
      export class Counter {
        private count = 0;
        private readonly step = 2;
        private get doubled(): number { return this.count * 2; }
        private bump(): void { this.count += this.step; }
        tick = (): number => { this.bump(); return this.doubled; };
      }`;
    const renamed = renamePrivateMembers('case.ts', source, short);
    for (const name of ['count', 'step', 'doubled', 'bump']) assert.doesNotMatch(renamed, new RegExp(`\\b${name}\\b`), name);
    const { Counter } = await run(renamed);
    const counter = new Counter();
    assert.equal(counter.tick(), 4);
    assert.equal(counter.tick(), 8);
    assert.deepEqual(Object.keys(counter).sort(), ['$4s', '$5c', 'tick']);
  });

  it('leaves public members, and another object’s member of the same name', async () => {
    const source = `
      export class Wrapper {
        private value = 1;
        label = 'public';
        read(other: { value: number }): number { return this.value + other.value; }
      }`;
    const renamed = renamePrivateMembers('case.ts', source, short);
    assert.match(renamed, /other\.value/);
    assert.match(renamed, /label = 'public'/);
    const { Wrapper } = await run(renamed);
    assert.equal(new Wrapper().read({ value: 41 }), 42);
  });

  it('leaves `this` inside a function or object method alone: it is not the instance', async () => {
    const source = `
      export class Host {
        private name = 'host';
        own(): string { return this.name; }
        plain(): string { return (function (this: { name: string }) { return this.name; }).call({ name: 'plain' }); }
        literal(): string { return { name: 'literal', read() { return this.name; } }.read(); }
      }`;
    const { Host } = await run(renamePrivateMembers('case.ts', source, short));
    const host = new Host();
    assert.deepEqual([host.own(), host.plain(), host.literal()], ['host', 'plain', 'literal']);
  });

  it('keeps a name the file also spells as a string, since it may be read by that string', () => {
    const source = `
      class Element {
        private step = 'a';
        private other = 'b';
        updated(changed: Map<string, unknown>) { if (changed.has('step')) this.other = this.step; }
      }`;
    const renamed = renamePrivateMembers('case.ts', source, short);
    assert.match(renamed, /private step = 'a'/);
    assert.match(renamed, /this\.\$5o = this\.step/);
  });

  it('leaves static members and constructor parameter properties as written', () => {
    const source = `
      class Gate {
        private static instances = 0;
        constructor(private readonly host: object) { Gate.instances++; }
        private tick(): object { return this.host; }
      }`;
    const renamed = renamePrivateMembers('case.ts', source, short);
    assert.match(renamed, /private static instances = 0/);
    assert.match(renamed, /private readonly host: object/);
    assert.match(renamed, /private \$4t\(\): object \{ return this\.host; \}/);
  });

  it('keeps a name the file reaches in any way the rename would not follow', async () => {
    const source = `
      export class Spots {
        private other = 1;
        private viaTemplate = 2;
        private destructured = 3;
        private renamedAway = 4;
        same(that: Spots): number { return (that as any).other; }
        keys(): string[] { return [\`viaTemplate\`]; }
        sum(): number { const { destructured } = this; return destructured + this.renamedAway + this.other + this.viaTemplate; }
      }`;
    const renamed = renamePrivateMembers('case.ts', source, short);
    for (const kept of ['other', 'viaTemplate', 'destructured']) assert.match(renamed, new RegExp(`private ${kept} =`), kept);
    assert.match(renamed, /private \$11r = 4/);
    const { Spots } = await run(renamed);
    const spots = new Spots();
    assert.equal(spots.same(spots), 1);
    assert.equal(spots.sum(), 10);
  });

  it('leaves a private @property (Lit names its attribute after it) and static blocks', () => {
    const source = `
      class Step {
        @property() private mode = 'inline';
        private count = 0;
        static { (this as any).count = 1; }
        bump() { this.count++; }
      }`;
    const renamed = renamePrivateMembers('case.ts', source, short);
    assert.match(renamed, /@property\(\) private mode = 'inline'/);
    assert.match(renamed, /static \{ \(this as any\)\.count = 1; \}/, 'this in a static block is the class');
  });
});

describe('the renamePrivate plugin', () => {
  it('gives one name the same short name in every file, and the most used the shortest', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'rename-private-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    mkdirSync(join(dir, 'src'));
    const base = `export class Base { private shared = 1; private often = 0; a() { return this.often + this.often + this.often; } }`;
    const other = `export class Other { private shared = 2; }`;
    writeFileSync(join(dir, 'src', 'base.ts'), base);
    writeFileSync(join(dir, 'src', 'other.ts'), other);
    const sourceDir = join(dir, 'src/');
    const plugin = renamePrivate(sourceDir) as Plugin & {
      buildStart(): void;
      transform(code: string, id: string): { code: string } | null;
    };
    plugin.buildStart();
    const baseOut = plugin.transform(base, join(sourceDir, 'base.ts'))!.code;
    const otherOut = plugin.transform(other, join(sourceDir, 'other.ts'))!.code;
    assert.match(baseOut, /private \$a = 0/, 'the most used name is $a');
    assert.match(baseOut, /private \$b = 1/);
    assert.match(otherOut, /private \$b = 2/);
    assert.equal(plugin.transform(base, '/elsewhere/base.ts'), null, 'only our sources are renamed');
  });
});
