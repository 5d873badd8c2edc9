// dist/ as `npm run build` makes it (its Vite half: the .d.ts step is left out,
// nothing here reads types), rebuilt when missing or older than what it is built
// from, so the tests see what would ship even on a fresh clone before any build.
// `node --test` runs test files in parallel processes and the library build
// empties dist/, so building and reading happen under one lock shared by them.
// withFullBuild is the same for everything `npm run build` writes (what `npm
// pack` ships: declarations, manifest and SRI hashes too).
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'vite';

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

// A directory's own mtime moves when a file in it is added or deleted. A file
// deleted mid-walk (an editor's swap file, a colleague's build) counts for nothing.
export function newest(path: string): number {
  const stats = statSync(path, { throwIfNoEntry: false });
  if (!stats) return 0;
  if (!stats.isDirectory()) return stats.mtimeMs;
  return Math.max(stats.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
}

function isStale(part: DistPart, inputsChanged: number): boolean {
  return OUTPUTS[part].some((file) => (statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0) < inputsChanged);
}

/** A lock directory for `name`, one per checkout, shared by every test process. */
export function lockFor(name: string): string {
  return join(tmpdir(), `conduit-link-${name}-${createHash('sha256').update(REPO).digest('hex').slice(0, 16)}.lock`);
}

const DIST_LOCK = lockFor('dist');
// A build takes seconds; a lock older than this was left by a process that died holding it.
const STALE_LOCK_MS = 120_000;

/** Runs `work` holding `lock` (see lockFor), waiting for any other holder first. */
export async function withLock<T>(lock: string, work: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const since = statSync(lock, { throwIfNoEntry: false })?.mtimeMs;
      if (since !== undefined && Date.now() - since > STALE_LOCK_MS) rmSync(lock, { recursive: true, force: true });
      await sleep(100);
    }
  }
  // Work longer than STALE_LOCK_MS (a full `npm run build` on a slow machine) keeps the lock fresh.
  const heartbeat = setInterval(() => {
    const now = new Date();
    try {
      utimesSync(lock, now, now);
    } catch {
      // Gone already: nothing to keep.
    }
  }, 5_000);
  try {
    return await work();
  } finally {
    clearInterval(heartbeat);
    rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * Makes sure `parts` of dist/ are up to date, building them with the repo's
 * vite.config.ts if not, then calls `read` before any other test process may
 * rebuild them. Read what you need into memory there.
 */
export function withBuiltDist<T>(parts: DistPart[], read: () => T): Promise<T> {
  return withLock(DIST_LOCK, async () => {
    const inputsChanged = Math.max(...INPUTS.map(newest));
    const configFile = join(REPO, 'vite.config.ts');
    // The library build empties dist/, taking the bundle with it; rebuild that after it in any case.
    const library = parts.includes('library') && isStale('library', inputsChanged);
    if (library) await build({ root: REPO, configFile, logLevel: 'warn' });
    if ((library || parts.includes('bundle')) && isStale('bundle', inputsChanged)) {
      await build({ root: REPO, configFile, mode: 'bundle', logLevel: 'warn' });
    }
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

/** What a full build must have written: every file the exports map names (package.json itself aside), and the SRI hashes. */
function fullOutputs(): string[] {
  const { exports } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { exports: unknown };
  const targets = exportTargets(exports).filter((target) => target !== './package.json');
  return [...new Set([...targets.map((target) => join(REPO, target)), ...OUTPUTS.library, ...OUTPUTS.bundle, join(DIST, 'integrity.json')])];
}

/**
 * Like withBuiltDist, for all of `npm run build`'s output (what `npm pack`
 * ships): runs the full build when any of it is missing or older than what it
 * is built from, then calls `use` (which may be async, e.g. `npm pack`) before
 * any other test process may rebuild dist/.
 */
export function withFullBuild<T>(use: () => T | Promise<T>): Promise<T> {
  return withLock(DIST_LOCK, async () => {
    const inputsChanged = Math.max(...FULL_INPUTS.map(newest));
    const stale = fullOutputs().some((file) => (statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0) < inputsChanged);
    if (stale) {
      try {
        await promisify(execFile)('npm', ['run', 'build'], { cwd: REPO, maxBuffer: 64 * 1024 * 1024 });
      } catch (error) {
        const { stdout, stderr } = error as { stdout?: string; stderr?: string };
        throw new Error(`npm run build failed:\n${stdout ?? ''}\n${stderr ?? ''}`, { cause: error });
      }
    }
    return use();
  });
}
