// `npm test`: makes sure a Chromium is there, then runs the Node suite (the
// build steps, the reference backend and the end-to-end tests) and the browser
// suite, and ends with one plain summary line for both.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CHROMIUM_ARGS, findChromium } from './chromium.js';

function installChromium() {
  const canApt = process.getuid?.() === 0 && spawnSync('which', ['apt-get']).status === 0;
  if (!canApt) return false;
  console.log("No Chromium found; installing Debian's chromium with apt-get…");
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env });
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
  return ['test/build', 'test/server', 'test/e2e'].flatMap((dir) =>
    readdirSync(dir)
      .filter((name) => name.endsWith('.test.ts'))
      .map((name) => join(dir, name)),
  );
}

let chromium = findChromium();
if (!chromium && installChromium()) chromium = findChromium();
if (!chromium) {
  console.error('No Chromium found. Install one (Debian: `sudo apt-get install -y chromium`) or set CHROME_PATH to its executable.');
  process.exit(1);
}

const env = { ...process.env, CHROME_PATH: chromium, CHROMIUM_ARGS: CHROMIUM_ARGS.join(' ') };
const wtrArgs = process.argv.slice(2);
let passed = 0;
let failed = 0;
let status = 0;

// `npm test -- --files x` runs just those browser tests.
if (wtrArgs.length === 0) {
  const node = await run('node', ['--import', 'tsx', '--test', '--test-reporter=spec', ...nodeTestFiles()], env);
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
