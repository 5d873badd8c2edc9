// `npm run bench`: what the flow costs a host page, in bytes over the wire.
// Builds the single-file bundle and, the same way, Lit alone (the floor), then
// prints minified, gzip and brotli sizes and checks the budget.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build } from 'vite';

const BUDGET_GZIP = 25 * 1024;

// The flow exactly as `npm run build` ships it: English in the bundle, each
// other locale a file beside it that only its readers fetch.
async function flowBundle(outDir) {
  await build({ mode: 'bundle', logLevel: 'silent', build: { outDir, emptyOutDir: true, sourcemap: false } });
  return readFileSync(join(outDir, 'conduit-link.bundle.js'));
}

// Lit alone, built the same way.
async function floorBundle(entry, outDir) {
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
      rollupOptions: { output: { minify: true } },
    },
  });
  return readFileSync(join(outDir, 'bundle.js'));
}

function sizes(code) {
  return {
    minified: code.length,
    gzip: gzipSync(code, { level: 9 }).length,
    brotli: brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

// Inside the project, so the floor's `import 'lit'` resolves like ours does.
const scratch = 'node_modules/.cache/conduit-bench';
mkdirSync(scratch, { recursive: true });
const litEntry = join(scratch, 'lit-floor.js');
// The floor: Lit's runtime with one trivial element, so nothing is tree-shaken away.
writeFileSync(
  litEntry,
  `import { LitElement, html } from 'lit';\n` +
    `customElements.define('lit-floor', class extends LitElement { render() { return html\`<p>floor</p>\`; } });\n`,
);

const flow = sizes(await flowBundle(join(scratch, 'flow')));
const lit = sizes(await floorBundle(litEntry, join(scratch, 'lit')));

const kb = (bytes) => `${(bytes / 1024).toFixed(2)} KB`;
const rows = [
  ['', 'minified', 'gzip', 'brotli'],
  ['conduit-link bundle', kb(flow.minified), kb(flow.gzip), kb(flow.brotli)],
  ['Lit alone (floor)', kb(lit.minified), kb(lit.gzip), kb(lit.brotli)],
  ['ratio to floor', ...['minified', 'gzip', 'brotli'].map((k) => `${(flow[k] / lit[k]).toFixed(2)}×`)],
];
for (const row of rows) console.log(row.map((cell, i) => (i === 0 ? cell.padEnd(22) : cell.padStart(12))).join(''));

mkdirSync('bench', { recursive: true });
writeFileSync('bench/results.json', `${JSON.stringify({ date: new Date().toISOString(), flow, lit }, null, 2)}\n`);

if (flow.gzip > BUDGET_GZIP) {
  console.error(`\nOver budget: ${kb(flow.gzip)} gzip > ${kb(BUDGET_GZIP)}.`);
  process.exit(1);
}
console.log(`\nWithin budget: ${kb(flow.gzip)} gzip ≤ ${kb(BUDGET_GZIP)}.`);
