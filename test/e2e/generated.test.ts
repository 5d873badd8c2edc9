// Files generated from the sources and committed: the locale modules (from
// xliff/, by `npm run localize:build`) and custom-elements.json (from the JSDoc,
// by `npm run build`). This fails when someone edits the source and forgets to
// regenerate, or when a translation breaks the build (lit-localize refuses
// placeholders that don't match the English).
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, describe, it } from 'node:test';
import { REPO } from './built-dist.js';

const GENERATED = join(REPO, 'src/localization/generated');

/**
 * `path` as last committed. Not the working tree's copy: `npm run build`, which
 * CI runs before the tests, rewrites custom-elements.json, and comparing the
 * analyzer's output with that would compare the analyzer with itself.
 */
function committedFile(path: string): string {
  try {
    return execFileSync('git', ['show', `HEAD:./${path}`], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    throw new Error(`comparing with the committed ${path} needs git and a checkout with history; \`git show HEAD:${path}\` failed: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/**
 * The tags the package registers: the keys of each `defineElements({…})` table in
 * src/define.ts and the chunks it loads later. Read from the source, since
 * importing it needs a DOM to define them in.
 */
function registeredTags(): string[] {
  return ['src/define.ts', 'src/later-steps.ts', 'src/lifecycle-steps.ts'].flatMap((path) => {
    const table = /defineElements\(\{([^}]*)\}\)/.exec(readFileSync(join(REPO, path), 'utf8'));
    assert(table, `${path} has its defineElements table`);
    return Array.from(table[1]!.matchAll(/'([a-z]+(?:-[a-z]+)+)':/g), (match) => match[1]!);
  });
}

describe('generated files', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'conduit-localize-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('the committed locale modules are what xliff/ builds to, with every message translated', () => {
    const config = JSON.parse(readFileSync(join(REPO, 'lit-localize.json'), 'utf8'));
    config.tsConfig = join(REPO, 'tsconfig.json');
    config.inputFiles = [join(REPO, 'src/**/*.ts')];
    config.interchange.xliffDir = join(REPO, 'xliff');
    config.output.outputDir = scratch;
    config.output.localeCodesModule = join(scratch, 'locale-codes.ts');
    const configFile = join(scratch, 'lit-localize.json');
    writeFileSync(configFile, JSON.stringify(config));

    // An untranslated message does not fail the build: lit-localize only warns, on stderr, and falls back to the English.
    const localize = spawnSync(join(REPO, 'node_modules/.bin/lit-localize'), ['build', '--config', configFile], {
      cwd: REPO,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    assert.equal(localize.status, 0, `lit-localize build failed: ${localize.error ?? `${localize.stdout}\n${localize.stderr}`}`);
    assert.doesNotMatch(localize.stderr, /is missing/, `a message has no translation:\n${localize.stderr}`);

    const built = readdirSync(scratch).filter((name) => name.endsWith('.ts'));
    assert.deepEqual(built.sort(), readdirSync(GENERATED).sort(), 'the same locale files');
    for (const name of built) {
      assert.equal(readFileSync(join(GENERATED, name), 'utf8'), readFileSync(join(scratch, name), 'utf8'), `${name} is stale: run npm run localize:build`);
    }
  });

  it('custom-elements.json is what the analyzer makes of the JSDoc today', () => {
    const outdir = join(scratch, 'manifest');
    // The analyzer takes --outdir relative to the working directory, even an absolute one.
    execFileSync(join(REPO, 'node_modules/.bin/custom-elements-manifest'), ['analyze', '--outdir', relative(REPO, outdir)], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Module order follows the analyzer's file walk, which is not stable; what they say must match.
    const parse = (text: string) => {
      const manifest = JSON.parse(text);
      manifest.modules.sort((a: { path: string }, b: { path: string }) => a.path.localeCompare(b.path));
      return manifest;
    };
    const fresh = parse(readFileSync(join(outdir, 'custom-elements.json'), 'utf8'));
    const committed = parse(committedFile('custom-elements.json'));
    assert.deepEqual(committed, fresh, 'the committed custom-elements.json is stale: run npm run build and commit it');
    const tags = fresh.modules
      .flatMap((module: { declarations?: { tagName?: string }[] }) => module.declarations ?? [])
      .flatMap((declaration: { tagName?: string }) => declaration.tagName ?? []);
    assert.deepEqual(tags.sort(), registeredTags().sort(), 'the manifest documents every element src/define.ts registers, and no other');
  });
});
