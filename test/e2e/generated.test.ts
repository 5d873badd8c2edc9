// Files generated from the sources and committed: the locale modules (from
// xliff/, by `npm run localize:build`) and custom-elements.json (from the JSDoc,
// by `npm run build`). This fails when someone edits the source and forgets to
// regenerate, or when a translation breaks the build (lit-localize refuses
// placeholders that don't match the English).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, describe, it } from 'node:test';
import { REPO } from './built-dist.js';

const GENERATED = join(REPO, 'src/localization/generated');

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

    const output = execFileSync(join(REPO, 'node_modules/.bin/lit-localize'), ['build', '--config', configFile], {
      cwd: REPO,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    assert.doesNotMatch(output, /is missing/, 'a message has no translation');

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
    const read = (path: string) => {
      const manifest = JSON.parse(readFileSync(path, 'utf8'));
      manifest.modules.sort((a: { path: string }, b: { path: string }) => a.path.localeCompare(b.path));
      return manifest;
    };
    const fresh = read(join(outdir, 'custom-elements.json'));
    const committed = read(join(REPO, 'custom-elements.json'));
    assert.deepEqual(committed, fresh, 'custom-elements.json is stale: run npm run build');
    const tags = fresh.modules.flatMap((module: { declarations?: { tagName?: string }[] }) => module.declarations ?? []).map((d: { tagName?: string }) => d.tagName);
    for (const tag of ['conduit-link', 'conduit-integration-picker', 'conduit-permissions', 'conduit-credentials', 'conduit-success']) {
      assert(tags.includes(tag), `${tag} is in the manifest`);
    }
  });
});
