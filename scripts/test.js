// `npm test`: makes sure a Chromium is there, builds dist/ and the static
// Storybook once, then runs the Node suite (the reference backend and the
// end-to-end tests) and the browser suite, and ends with one plain summary line
// for both.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CHROMIUM_ARGS, findChromium } from './chromium.js';
import { postgresUnavailable, startPostgres } from './postgres.js';

/** Installs a Debian package when this is root on Debian; false when it cannot. */
function aptInstall(name, why) {
  const canApt = process.getuid?.() === 0 && spawnSync('which', ['apt-get']).status === 0;
  if (!canApt) return false;
  console.log(`${why}; installing Debian's ${name} with apt-get…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', name], { stdio: 'inherit', env });
  return true;
}

/** Runs a command, echoing its output, and returns its exit code and the output. */
function run(command, args, env) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    for (const stream of [child.stdout, child.stderr]) {
      stream.on('data', (chunk) => {
        output += chunk;
        (stream === child.stdout ? process.stdout : process.stderr).write(chunk);
      });
    }
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

function nodeTestFiles() {
  return ['test/server', 'test/e2e'].flatMap((dir) =>
    readdirSync(dir)
      .filter((name) => name.endsWith('.test.ts'))
      .map((name) => join(dir, name)),
  );
}

// What the e2e tests read (dist/, the manifest, the static Storybook) and what it is built from.
const BUILT = [
  'dist/index.js',
  'dist/conduit-link.bundle.js',
  'dist/index.d.ts',
  'dist/integrity.json',
  'custom-elements.json',
  'storybook-static/index.json',
  // The backend's package, which `npm run build` builds last.
  'server/dist/server/index.js',
];
const BUILT_FROM = [
  'src',
  'stories',
  '.storybook',
  'mocks',
  'public',
  'xliff',
  'package.json',
  'package-lock.json',
  'vite.config.ts',
  'tsconfig.json',
  'tsconfig.build.json',
  'custom-elements-manifest.config.mjs',
  'scripts/sri.js',
  'server',
];

function newest(path) {
  const stats = statSync(path, { throwIfNoEntry: false });
  if (!stats) return 0;
  if (!stats.isDirectory()) return stats.mtimeMs;
  // A build's output (server/dist) is not what it is built from.
  const sources = readdirSync(path).filter((name) => name !== 'dist' && name !== 'node_modules');
  return Math.max(stats.mtimeMs, ...sources.map((name) => newest(join(path, name))));
}

/** Every build output is there and newer than everything it is built from. */
function builtAlready() {
  const built = BUILT.map((path) => statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? 0);
  return Math.min(...built) > Math.max(...BUILT_FROM.map(newest));
}

let chromium = findChromium();
if (!chromium && aptInstall('chromium', 'No Chromium found')) chromium = findChromium();
if (!chromium) {
  console.error('No Chromium found. Install one (Debian: `sudo apt-get install -y chromium`) or set CHROME_PATH to its executable.');
  process.exit(1);
}

const env = { ...process.env, CHROME_PATH: chromium, CHROMIUM_ARGS: CHROMIUM_ARGS.join(' ') };
const wtrArgs = process.argv.slice(2);
let passed = 0;
let failed = 0;
let status = 0;

// `npm test -- --files x` runs just those browser tests, which need no build.
if (wtrArgs.length === 0) {
  // Built once, before any test process starts: the Node tests only read dist/
  // and storybook-static/, so they neither build nor wait for one another.
  // .ci/run has just built both for its own steps (bench, Storybook); in CI
  // they are not built twice when nothing has changed since.
  if (process.env.CI === 'true' && builtAlready()) {
    console.log('dist/ and storybook-static/ are newer than their sources: using them as built.');
  } else {
    for (const script of ['build', 'build-storybook']) {
      // CI=true keeps Storybook from asking anything (telemetry, upgrades) of a terminal it may not have.
      const built = await run('npm', ['run', script], script === 'build-storybook' ? { ...env, CI: 'true' } : env);
      if (built.code !== 0) {
        console.error(`\nnpm run ${script} failed, so no test ran.`);
        process.exit(built.code);
      }
    }
  }
  // The Postgres store's tests need a real Postgres: the one CONDUIT_TEST_PG
  // names, or a throwaway cluster of Debian's postgresql, removed afterwards.
  let postgres;
  if (!process.env.CONDUIT_TEST_PG) {
    if (postgresUnavailable()) aptInstall('postgresql', 'No Postgres server found');
    const reason = postgresUnavailable();
    if (reason) {
      console.error(reason);
      process.exit(1);
    }
    postgres = await startPostgres();
  }
  const nodeEnv = postgres ? { ...env, CONDUIT_TEST_PG: postgres.url } : env;
  const node = await run('node', ['--import', 'tsx', '--test', '--test-reporter=spec', ...nodeTestFiles()], nodeEnv).finally(() => postgres?.stop());
  passed += Number(node.output.match(/ℹ pass (\d+)/)?.[1] ?? 0);
  failed += Number(node.output.match(/ℹ fail (\d+)/)?.[1] ?? 0);
  if (node.code !== 0) status = node.code;
}

const browser = await run('npx', ['web-test-runner', ...wtrArgs], env);
const counts = [...browser.output.matchAll(/(\d+) passed, (\d+) failed/g)].at(-1);
passed += Number(counts?.[1] ?? 0);
failed += Number(counts?.[2] ?? 0);
if (browser.code !== 0) status = browser.code;

console.log(`\n${passed} passed, ${failed} failed`);
process.exit(status || (failed > 0 ? 1 : 0));
