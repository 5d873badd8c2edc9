// Part of `npm run build`: prints the Subresource Integrity hashes of the
// single-file bundle and of the locale files it imports on demand, with the
// snippet to paste (the import map makes the browser check those too), and
// writes them to dist/integrity.json.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const DIST = 'dist';
const integrity = (path) => `sha384-${createHash('sha384').update(readFileSync(path)).digest('base64')}`;

const bundle = integrity(join(DIST, 'conduit-link.bundle.js'));
const locales = Object.fromEntries(
  readdirSync(join(DIST, 'locales'))
    .filter((name) => name.endsWith('.js'))
    .sort()
    .map((name) => [`./locales/${name}`, integrity(join(DIST, 'locales', name))]),
);
writeFileSync(join(DIST, 'integrity.json'), `${JSON.stringify({ 'conduit-link.bundle.js': bundle, ...locales }, null, 2)}\n`);

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
const base = `https://cdn.example.com/conduit-link@${version}`;
const importMap = { integrity: Object.fromEntries(Object.entries(locales).map(([path, hash]) => [`${base}/${path.slice(2)}`, hash])) };
console.log(`\nconduit-link.bundle.js  ${bundle}\n`);
console.log('<script type="importmap">');
console.log(JSON.stringify(importMap, null, 2));
console.log('</script>');
console.log(`<script type="module" src="${base}/conduit-link.bundle.js" integrity="${bundle}" crossorigin="anonymous"></script>\n`);
