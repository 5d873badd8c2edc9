// dist/ as `npm run build` makes it (its Vite half: the .d.ts step is left out,
// nothing here reads types), rebuilt when missing or older than what it is built
// from, so the tests see what would ship even on a fresh clone before any build.
// `node --test` runs test files in parallel processes and the library build
// empties dist/, so building and reading happen under one lock shared by them.
// withFullBuild is the same for everything `npm run build` writes (what `npm
// pack` ships: declarations, manifest and SRI hashes too).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { rebuildIfStale } from './freshness.js';
import { withLock } from './lock.js';
import { runOrExplain } from './run.js';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const DIST = join(REPO, 'dist');
export const BUNDLE = join(DIST, 'conduit-link.bundle.js');

// The bundle inlines Lit from node_modules, so a dependency change makes it stale too.
// Vite (oxc) reads tsconfig.json for how to compile decorators and class fields.
const INPUTS = ['src', 'build', 'vite.config.ts', 'tsconfig.json', 'package-lock.json'].map((path) => join(REPO, path));

/** `library`: the ESM modules (`vite build`); `bundle`: the single file with Lit inside (`--mode bundle`). */
export type DistPart = 'library' | 'bundle';

const OUTPUTS: Record<DistPart, string[]> = {
  library: [join(DIST, 'index.js'), join(DIST, 'define.js')],
  bundle: [BUNDLE, `${BUNDLE}.map`],
};

// One per checkout, shared by every test process that builds or reads what `npm run build` writes.
const DIST_LOCK = join(tmpdir(), `conduit-link-dist-${createHash('sha256').update(REPO).digest('hex').slice(0, 16)}.pidlock`);

/**
 * Makes sure `parts` of dist/ are up to date, building them with the repo's
 * vite.config.ts if not, then calls `read` before any other test process may
 * rebuild them. Read what you need into memory there.
 */
export function withBuiltDist<T>(parts: DistPart[], read: () => T): Promise<T> {
  return withLock(DIST_LOCK, async () => {
    const configFile = join(REPO, 'vite.config.ts');
    const buildLibrary = () => build({ root: REPO, configFile, logLevel: 'warn' });
    const buildBundle = () => build({ root: REPO, configFile, mode: 'bundle', logLevel: 'warn' });
    // The library build empties dist/, taking the bundle with it, which the check after it then finds missing.
    const library = parts.includes('library') && (await rebuildIfStale(INPUTS, OUTPUTS.library, buildLibrary));
    if (library || parts.includes('bundle')) await rebuildIfStale(INPUTS, OUTPUTS.bundle, buildBundle);
    return read();
  });
}

// The rest of `npm run build`: declarations (tsc), the custom-elements manifest
// (the analyzer) and the SRI hashes (scripts/sri.js), and what those read.
const FULL_INPUTS = [
  ...INPUTS,
  ...['tsconfig.build.json', 'custom-elements-manifest.config.mjs', 'scripts/sri.js'].map((path) => join(REPO, path)),
];

/** Every file path in an `exports` map, conditions included. */
export function exportTargets(exports: unknown): string[] {
  if (typeof exports === 'string') return [exports];
  if (exports && typeof exports === 'object') return Object.values(exports).flatMap(exportTargets);
  return [];
}

/**
 * What a full build must have written: every file the exports map names
 * (package.json itself aside, and patterns such as `./dist/locales/*`, whose
 * files the bundle build writes with the bundle), and the SRI hashes.
 */
function fullOutputs(): string[] {
  const { exports } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { exports: unknown };
  const targets = exportTargets(exports).filter((target) => target !== './package.json' && !target.includes('*'));
  return [...new Set([...targets.map((target) => join(REPO, target)), ...OUTPUTS.library, ...OUTPUTS.bundle, join(DIST, 'integrity.json')])];
}

/**
 * Like withBuiltDist, for all of `npm run build`'s output (what `npm pack`
 * ships): runs the full build when any of it is missing or older than what it
 * is built from, then calls `use` (which may be async, e.g. `npm pack`, or the
 * Storybook build, which reads custom-elements.json) before any other test
 * process may rebuild dist/ or the manifest.
 */
export function withFullBuild<T>(use: () => T | Promise<T>): Promise<T> {
  return withLock(DIST_LOCK, async () => {
    await rebuildIfStale(FULL_INPUTS, fullOutputs(), () => runOrExplain('npm', ['run', 'build'], { cwd: REPO }));
    return use();
  });
}
