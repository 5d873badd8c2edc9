// Part of `npm run build`: prints the Subresource Integrity hashes of the
// bundle and of the files it imports (its chunks, and the locale files on demand), with the
// snippet to paste (the import map makes the browser check those too), and
// writes them to dist/integrity.json. Each is keyed by its path inside the
// package (`dist/conduit-link.bundle.js`, `dist/locales/de.js`), which is what
// a partner writes after the version in a CDN URL (unpkg, jsDelivr).
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { posix } from 'node:path';

const DIST = 'dist';
const integrity = (path) => `sha384-${createHash('sha384').update(readFileSync(path)).digest('base64')}`;

const BUNDLE = posix.join(DIST, 'conduit-link.bundle.js');
// What the bundle imports before it runs: preloaded beside it, so the page does not
// wait for the bundle to learn it is needed.
const FIRST_SCREEN = posix.join(DIST, 'chunks', 'first-screen.js');
// What the bundle imports: the first screen's shared code and the later steps (chunks/), and the languages (locales/).
const imported = ['chunks', 'locales'].flatMap((folder) =>
  readdirSync(posix.join(DIST, folder))
    .filter((name) => name.endsWith('.js'))
    .sort()
    .map((name) => posix.join(DIST, folder, name)),
);
const hashes = Object.fromEntries([BUNDLE, ...imported].map((path) => [path, integrity(path)]));
writeFileSync(posix.join(DIST, 'integrity.json'), `${JSON.stringify(hashes, null, 2)}\n`);

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
const base = `https://cdn.example.com/conduit-link@${version}`;
const importMap = { integrity: Object.fromEntries(imported.map((path) => [`${base}/${path}`, hashes[path]])) };
console.log(`\n${BUNDLE}  ${hashes[BUNDLE]}\n`);
console.log('<script type="importmap">');
console.log(JSON.stringify(importMap, null, 2));
console.log('</script>');
console.log(`<link rel="modulepreload" href="${base}/${FIRST_SCREEN}" integrity="${hashes[FIRST_SCREEN]}" crossorigin="anonymous">`);
console.log(`<script type="module" src="${base}/${BUNDLE}" integrity="${hashes[BUNDLE]}" crossorigin="anonymous"></script>\n`);
