// What `npm run build` (and `npm run build-storybook`) wrote, for the tests
// that use what would ship. `npm test` builds both once, before any test
// process starts (scripts/test.js), so the tests only read: no test builds, and
// none waits for another. Run on its own, a test needs the builds made first,
// and says so when they are missing.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const DIST = join(REPO, 'dist');
export const BUNDLE = join(DIST, 'conduit-link.bundle.js');
/** Where `npm run build-storybook` writes the static Storybook. */
export const STORYBOOK_STATIC = join(REPO, 'storybook-static');

/** `library`: the ESM modules (`vite build`); `bundle`: the single file with Lit inside (`--mode bundle`). */
export type DistPart = 'library' | 'bundle';

const OUTPUTS: Record<DistPart, string[]> = {
  library: [join(DIST, 'index.js'), join(DIST, 'define.js')],
  bundle: [BUNDLE, join(DIST, 'chunks', 'first-screen.js.map')],
};

// What the builds are made from, for a warning when they are older (a test run
// on its own after an edit would otherwise test yesterday's build in silence).
const SOURCES = ['src', 'vite.config.ts', 'package-lock.json'].map((path) => join(REPO, path));
const STORYBOOK_SOURCES = [...SOURCES, ...['stories', '.storybook', 'mocks'].map((path) => join(REPO, path))];

/** Every file path in an `exports` map, conditions included. */
export function exportTargets(exports: unknown): string[] {
  if (typeof exports === 'string') return [exports];
  if (exports && typeof exports === 'object') return Object.values(exports).flatMap(exportTargets);
  return [];
}

/**
 * What a full build writes: every file the exports map names (package.json
 * itself aside, and patterns such as `./dist/locales/*`), and the SRI hashes.
 */
function fullOutputs(): string[] {
  const { exports } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { exports: unknown };
  const targets = exportTargets(exports).filter((target) => target !== './package.json' && !target.includes('*'));
  return [...new Set([...targets.map((target) => join(REPO, target)), ...OUTPUTS.library, ...OUTPUTS.bundle, join(DIST, 'integrity.json')])];
}

function newest(path: string): number {
  const stats = statSync(path, { throwIfNoEntry: false });
  if (!stats) return 0;
  if (!stats.isDirectory()) return stats.mtimeMs;
  return Math.max(stats.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
}

const warned = new Set<string>();

/** Fails, naming the command to run, when any of `outputs` is missing; warns once when they are older than `sources`. */
export function requireBuilt(outputs: string[], command: string, sources: string[]): void {
  const missing = outputs.filter((file) => !existsSync(file));
  if (missing.length > 0) {
    throw new Error(
      `${missing.map((file) => relative(REPO, file)).join(', ')} missing: run \`${command}\` first (\`npm test\` runs it before the tests).`,
    );
  }
  const built = Math.min(...outputs.map((file) => statSync(file).mtimeMs));
  if (!warned.has(command) && Math.max(...sources.map(newest)) > built) {
    warned.add(command);
    process.emitWarning(`what \`${command}\` wrote is older than its sources: these tests check the last build, not your edits.`);
  }
}

/** `parts` of dist/, as `npm run build` wrote them; `read` reads what the test needs. */
export async function withBuiltDist<T>(parts: DistPart[], read: () => T | Promise<T>): Promise<T> {
  requireBuilt(
    parts.flatMap((part) => OUTPUTS[part]),
    'npm run build',
    SOURCES,
  );
  return read();
}

/** All of `npm run build`'s output (what `npm pack` ships: declarations, manifest and SRI hashes too). */
export async function withFullBuild<T>(use: () => T | Promise<T>): Promise<T> {
  requireBuilt(fullOutputs(), 'npm run build', SOURCES);
  return use();
}

/** The static Storybook `npm run build-storybook` wrote. */
export function builtStorybookDir(): string {
  requireBuilt([join(STORYBOOK_STATIC, 'index.json'), join(STORYBOOK_STATIC, 'iframe.html')], 'npm run build-storybook', STORYBOOK_SOURCES);
  return STORYBOOK_STATIC;
}

/**
 * The CDN build as a page serves it, by URL path from the bundle's folder: the
 * bundle, its chunks/ and its locales/. Read into memory: another test process
 * may rebuild dist/ meanwhile.
 */
export function cdnFiles(): Map<string, Buffer> {
  const files = new Map<string, Buffer>([['/conduit-link.bundle.js', readFileSync(BUNDLE)]]);
  for (const folder of ['chunks', 'locales']) {
    for (const name of readdirSync(join(DIST, folder)).filter((each) => each.endsWith('.js'))) {
      files.set(`/${folder}/${name}`, readFileSync(join(DIST, folder, name)));
    }
  }
  return files;
}
