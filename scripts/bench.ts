// `npm run bench`: what the flow costs a host page, measured in one run on this
// machine beside the floor (Lit alone, built the same way):
//   (a) minified, gzip and brotli bytes of the single-file bundle, of define.js
//       with its dependencies as a partner's bundler would build it, and of Lit;
//   (b) median time from script start to an interactive picker, over page loads
//       with a cold cache, phase by phase, at normal speed and with the CPU slowed
//       down 4×, against a Lit page rendering the same picker from the same backend;
//   (c) the median time of each step transition;
//   (d) the JS heap after 50 modal open/close cycles against after one;
//   (e) the reference backend: connects per second and latency on SQLite and on
//       Postgres, one and two processes, against a bare node:http floor
//       (scripts/bench-backend.ts).
// Prints a table with the ratios to the floor, writes bench/results.json, and
// fails when the bundle grew more than RATCHET_SLACK over the figure recorded in
// bench/baseline.json (sizes only: timings vary by machine). A change may lower
// that figure; it may raise it only with a line in the README saying what the
// bytes bought.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { withStaticImports } from './first-screen.js';
import { targetLocales } from '../src/localization/generated/locale-codes.js';
import { startBackendStack } from '../test/e2e/stack.js';
import { Lab, LIT_PICKER_SOURCE, PHASE_NAMES, type Phases } from './bench-pages.js';
import { CHROMIUM_ARGS, findChromium } from './chromium.js';
import { startPageServer } from './page-server.js';
import { benchBackend } from './bench-backend.js';

// A ratchet, not a fixed line: what the repository last recorded, plus a little
// slack for the minifier's moods. The goal stays 20 KB with Lit.
const BASELINE = JSON.parse(readFileSync('bench/baseline.json', 'utf8')) as { bundleGzip: number };
const RATCHET_SLACK = 256;
const BUDGET_GZIP = BASELINE.bundleGzip + RATCHET_SLACK;
const GOAL_GZIP = 20 * 1024;
// BENCH_LOADS=5 for a quick look while working on the first screen.
const LOADS = Number(process.env.BENCH_LOADS) || 21;
// Normal speed, and a slow phone's CPU as Chromium's DevTools emulate it.
const CPU_SLOWDOWNS = [1, 4];
const TRANSITION_RUNS = 15;
const MODAL_CYCLES = 50;
const WARM_UP_CYCLES = 10;
const SCRATCH = 'node_modules/.cache/conduit-bench';

interface Sizes {
  minified: number;
  gzip: number;
  brotli: number;
}

function sizes(code: Buffer): Sizes {
  return {
    minified: code.length,
    gzip: gzipSync(code, { level: 9 }).length,
    brotli: brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

// Any entry, minified with its dependencies, the way a page or a partner's
// bundler gets it; what it imports on demand (locales) is split off and not counted.
async function bundleOf(entry: string, outDir: string): Promise<Buffer> {
  await build({
    configFile: false,
    logLevel: 'silent',
    publicDir: false,
    resolve: { conditions: ['production'] },
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      lib: { entry, formats: ['es'], fileName: () => 'bundle.js' },
      rollupOptions: { preserveEntrySignatures: 'allow-extension', output: { minify: true, comments: false } },
    },
  });
  return readFileSync(join(outDir, 'bundle.js'));
}

function total(parts: readonly Sizes[]): Sizes {
  return parts.reduce((sum, part) => ({ minified: sum.minified + part.minified, gzip: sum.gzip + part.gzip, brotli: sum.brotli + part.brotli }), {
    minified: 0,
    gzip: 0,
    brotli: 0,
  });
}

/** The artefacts: the shipped bundle (its first screen, and with its later chunks) and its locales, the npm modules, and the floor. */
async function buildAll(): Promise<{ bundle: Sizes; bundleTotal: Sizes; locales: Record<string, Sizes>; define: Sizes; floor: Sizes; picker: Sizes }> {
  const flowDir = join(SCRATCH, 'flow');
  await build({ mode: 'bundle', logLevel: 'silent', build: { outDir: flowDir, emptyOutDir: true, sourcemap: false } });
  const locales: Record<string, Sizes> = {};
  for (const code of targetLocales) {
    locales[code] = sizes(readFileSync(join(flowDir, 'locales', `${code}.js`)));
  }
  const libDir = join(SCRATCH, 'lib');
  await build({ logLevel: 'silent', build: { outDir: libDir, emptyOutDir: true, sourcemap: false } });
  const floorEntry = join(SCRATCH, 'lit-floor.js');
  // The floor: Lit's runtime with one trivial element, so nothing is tree-shaken away.
  writeFileSync(
    floorEntry,
    `import { LitElement, html } from 'lit';\n` +
      `customElements.define('lit-floor', class extends LitElement { render() { return html\`<p>floor</p>\`; } });\n`,
  );
  // The time floor: a Lit page rendering the same picker from the same backend.
  const pickerEntry = join(SCRATCH, 'lit-picker.js');
  writeFileSync(pickerEntry, LIT_PICKER_SOURCE);
  // The first screen: the bundle and what it imports before it runs. The later steps load after it.
  const firstScreen = withStaticImports(flowDir, 'conduit-link.bundle.js');
  const later = readdirSync(join(flowDir, 'chunks'))
    .filter((name) => name.endsWith('.js'))
    .map((name) => `chunks/${name}`)
    .filter((file) => !firstScreen.includes(file));
  const measure = (files: readonly string[]) => total(files.map((file) => sizes(readFileSync(join(flowDir, file)))));
  return {
    bundle: measure(firstScreen),
    bundleTotal: measure([...firstScreen, ...later]),
    locales,
    define: sizes(await bundleOf(join(libDir, 'define.js'), join(SCRATCH, 'define'))),
    floor: sizes(await bundleOf(floorEntry, join(SCRATCH, 'floor'))),
    picker: sizes(await bundleOf(pickerEntry, join(SCRATCH, 'picker'))),
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Each phase's median over the loads. */
function medianPhases(loads: readonly Phases[]): Phases {
  const names = Object.keys(PHASE_NAMES) as (keyof Phases)[];
  return Object.fromEntries(names.map((name) => [name, median(loads.map((load) => load[name]))])) as unknown as Phases;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(2)} KB`;
const ms = (value: number) => `${value.toFixed(1)} ms`;
const ratio = (value: number, floor: number) => `${(value / floor).toFixed(2)}×`;

function table(rows: string[][]): void {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  for (const row of rows) console.log(row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]! + 2))).join(''));
  console.log('');
}

// On stderr, so the table on stdout stays clean.
function progress(phase: string): void {
  process.stderr.write(`… ${phase}\n`);
}

mkdirSync(SCRATCH, { recursive: true });
progress('building');
const built = await buildAll();

const executablePath = findChromium();
if (!executablePath) throw new Error('No Chromium found: install Debian’s chromium or set CHROME_PATH.');
const stack = await startBackendStack({ name: 'bench' });
const server = await startPageServer(SCRATCH);
stack.allowedOrigins.push(server.origin);
const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });

type Speed = { flow: Phases; floor: Phases };
let timings: { loads: Record<string, Speed>; transitions: Record<string, number>; heap: { afterOne: number; afterWarmUp: number; afterMany: number } };
try {
  const lab = new Lab(browser, server, stack);
  const loads: Record<string, Speed> = {};
  for (const slowdown of CPU_SLOWDOWNS) {
    progress(`page loads, CPU ${slowdown}× slower`);
    const flow: Phases[] = [];
    const floor: Phases[] = [];
    // Interleaved, so drift in the machine's load falls on both alike.
    for (let i = 0; i < LOADS; i++) {
      flow.push(await lab.phases(await lab.flowPage(), slowdown));
      floor.push(await lab.phases(await lab.floorPage(), slowdown));
    }
    loads[`${slowdown}×`] = { flow: medianPhases(flow), floor: medianPhases(floor) };
  }
  progress('step transitions');
  const runs: Record<string, number[]> = {};
  for (let i = 0; i < TRANSITION_RUNS; i++) {
    for (const [name, value] of Object.entries(await lab.transitions())) (runs[name] ??= []).push(value);
  }
  timings = {
    loads,
    transitions: Object.fromEntries(Object.entries(runs).map(([name, values]) => [name, median(values)])),
    heap: (progress('modal heap'), await lab.modalHeap(MODAL_CYCLES, WARM_UP_CYCLES)),
  };
} finally {
  await browser.close();
  await server.close();
  await stack.stop();
}

const { bundle, bundleTotal, define, floor, picker, locales } = built;
const localeGzip = Object.values(locales).map((size) => size.gzip);
console.log(`Sizes (one file, minified; ${Object.keys(locales).length} locales load on demand, ${kb(Math.min(...localeGzip))}–${kb(Math.max(...localeGzip))} gzip each)\n`);
table([
  ['', 'minified', 'gzip', 'brotli', 'gzip ÷ floor'],
  ['first screen: conduit-link.bundle.js + what it imports', kb(bundle.minified), kb(bundle.gzip), kb(bundle.brotli), ratio(bundle.gzip, floor.gzip)],
  ['all of it, the later steps’ chunk included', kb(bundleTotal.minified), kb(bundleTotal.gzip), kb(bundleTotal.brotli), ratio(bundleTotal.gzip, floor.gzip)],
  ['define.js + dependencies', kb(define.minified), kb(define.gzip), kb(define.brotli), ratio(define.gzip, floor.gzip)],
  ['Lit alone (floor)', kb(floor.minified), kb(floor.gzip), kb(floor.brotli), '1.00×'],
  ['the Lit picker page (the time floor)', kb(picker.minified), kb(picker.gzip), kb(picker.brotli), ratio(picker.gzip, floor.gzip)],
]);
console.log(
  `Time from script start, in ms (headless Chromium, median of ${LOADS} cold loads each; the floor is a Lit page rendering the same picker from the same backend)\n`,
);
table([
  ['', ...Object.keys(timings.loads).flatMap((speed) => [`flow, CPU ${speed}`, `floor, CPU ${speed}`])],
  ...(Object.keys(PHASE_NAMES) as (keyof Phases)[]).map((phase) => [
    PHASE_NAMES[phase],
    ...Object.values(timings.loads).flatMap(({ flow, floor }) => [ms(flow[phase]), ms(floor[phase])]),
  ]),
  ['picker interactive ÷ floor', ...Object.values(timings.loads).flatMap(({ flow, floor }) => [ratio(flow.interactive, floor.interactive), ''])],
]);
table([['step transition', 'median'], ...Object.entries(timings.transitions).map(([name, value]) => [name, ms(value)])]);
const { afterOne, afterWarmUp, afterMany } = timings.heap;
const perCycle = (afterMany - afterWarmUp) / (MODAL_CYCLES - WARM_UP_CYCLES);
console.log(`Memory (used JS heap after forced GC; DevTools keeps a record of each request while it watches)\n`);
table([
  ['', 'heap', '÷ after 1'],
  ['modal after 1 open/close', kb(afterOne), '1.00×'],
  [`modal after ${WARM_UP_CYCLES} (JIT warmed up)`, kb(afterWarmUp), ratio(afterWarmUp, afterOne)],
  [`modal after ${MODAL_CYCLES}`, kb(afterMany), ratio(afterMany, afterOne)],
  [`per cycle after the warm-up`, `${(perCycle / 1024).toFixed(2)} KB`, ''],
]);

const backend = await benchBackend(progress);
table(backend.rows);

mkdirSync('bench', { recursive: true });
writeFileSync(
  'bench/results.json',
  `${JSON.stringify({ date: new Date().toISOString(), budgetGzip: BUDGET_GZIP, goalGzip: GOAL_GZIP, sizes: { bundle, bundleTotal, define, floor, picker, locales }, timings, backend: backend.results }, null, 2)}\n`,
);

if (bundle.gzip > BUDGET_GZIP) {
  console.error(
    `Over the ratchet: the bundle is ${kb(bundle.gzip)} gzip, more than ${kb(RATCHET_SLACK)} over bench/baseline.json's ${kb(BASELINE.bundleGzip)}. ` +
      'Make it smaller, or raise the baseline with a line in the README saying what the bytes bought.',
  );
  process.exit(1);
}
console.log(`Within the ratchet: the bundle is ${kb(bundle.gzip)} gzip ≤ ${kb(BASELINE.bundleGzip)} + ${kb(RATCHET_SLACK)}.`);
if (bundle.gzip < BASELINE.bundleGzip - RATCHET_SLACK) {
  console.log(`Smaller than the baseline by ${kb(BASELINE.bundleGzip - bundle.gzip)}: lower bench/baseline.json to ${bundle.gzip}.`);
}
if (bundle.gzip > GOAL_GZIP) console.log(`Goal not reached: ${kb(bundle.gzip - GOAL_GZIP)} over ${kb(GOAL_GZIP)}.`);
