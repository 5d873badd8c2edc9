// The README's CDN snippet, as `npm run build` prints it: the bundle with its
// `integrity`, its first screen's chunk preloaded beside it, and an import map that pins the locale files the bundle imports
// on demand, each at its path inside the package (`…@0.1.0/dist/locales/de.js`,
// the keys of dist/integrity.json). A partner page on one origin loads them
// from a "CDN" on another, in Chromium, with a flow set up against the
// reference backend. With the hashes from dist/integrity.json the flow starts
// and speaks German, also when the bundle is served under another file name; a
// CDN that serves an altered file gets it refused, and the flow carries on in
// English and says why in the console.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { closeServer, launchChromium, listen } from './browser.js';
import { cdnFiles, DIST, REPO, withFullBuild } from './built-dist.js';
import { visitPage, type PageReport, type Visit } from './journey.js';
import { startBackendStack, type BackendStack } from './stack.js';
import { fillTemplate } from './template.js';

const BUNDLE = 'dist/conduit-link.bundle.js';
const FIRST_SCREEN = 'dist/chunks/first-screen.js';
// Where a partner who copies the file to its own host might put it: the locale
// files beside it in locales/, the bundle under a name of the partner's.
const RENAMED_BUNDLE = 'dist/northwind-billing-connect.min.js';

/** A message as xliff/de.xlf has it: its English source and its German target. */
function message(id: string): { english: string; german: string } {
  const xliff = readFileSync(join(REPO, 'xliff', 'de.xlf'), 'utf8');
  const [, english, german] = new RegExp(`<trans-unit id="${id.replaceAll('.', '\\.')}">\\s*<source>([^<]*)</source>\\s*<target>([^<]*)</target>`).exec(xliff) ?? [];
  assert(english && german, `xliff/de.xlf translates ${id}`);
  return { english, german };
}
const PICKER_TITLE = message('conduit.picker.title');

// An altered copy: what a compromised or broken CDN might serve.
const tamper = (file: Buffer) => Buffer.concat([file, Buffer.from('\n;globalThis.tampered = true;\n')]);

// The CDN's variants: the file each alters, if any, and where it serves the bundle.
const VARIANTS = {
  pristine: { altered: null, bundle: BUNDLE },
  'altered-bundle': { altered: BUNDLE, bundle: BUNDLE },
  'altered-de': { altered: 'dist/locales/de.js', bundle: BUNDLE },
  renamed: { altered: null, bundle: RENAMED_BUNDLE },
} satisfies Record<string, { altered: string | null; bundle: string }>;
type Variant = keyof typeof VARIANTS;

const PAGE = `<!doctype html>
<html lang="de">
  <head>
    <link rel="icon" href="data:," />
    <!-- import map -->
    <link rel="modulepreload" href="{{firstScreenUrl}}" integrity="{{firstScreenIntegrity}}" crossorigin="anonymous" />
    <script type="module" src="{{bundleUrl}}" integrity="{{bundleIntegrity}}" crossorigin="anonymous"></script>
  </head>
  <body>
    <conduit-link backend-url="{{backendUrl}}" company-id="{{companyId}}" session-token="{{sessionToken}}"></conduit-link>
  </body>
</html>`;

async function eventually(condition: () => boolean, what: string): Promise<void> {
  for (const started = Date.now(); !condition(); await new Promise((resolve) => setTimeout(resolve, 50))) {
    if (Date.now() - started > 15_000) assert.fail(`timed out waiting until ${what}`);
  }
}

describe('the bundle from a CDN with Subresource Integrity, in Chromium', () => {
  let files: Map<string, Buffer>;
  let hashes: Record<string, string>;
  let cdn: Server;
  let cdnUrl: string;
  let host: Server;
  let hostUrl: string;
  let stack: BackendStack;
  let browser: Browser;

  before(async () => {
    // In memory from here on: another test process may rebuild dist/ meanwhile.
    ({ files, hashes } = await withFullBuild(() => {
      return {
        // By path in the package: `dist/` and the path from the bundle's folder.
        files: new Map([...cdnFiles()].map(([path, file]) => [`dist${path}`, file] as const)),
        hashes: JSON.parse(readFileSync(join(DIST, 'integrity.json'), 'utf8')) as Record<string, string>,
      };
    }));

    // `/<variant>/<path in the package>`: every variant serves the package's files, some with one altered or renamed.
    cdn = createServer((request, response) => {
      const [, name = '', path = ''] = /^\/([^/]+)\/(.*)$/.exec(request.url ?? '') ?? [];
      const variant = Object.hasOwn(VARIANTS, name) ? VARIANTS[name as Variant] : undefined;
      // A renamed bundle is there only under its new name.
      const source = path === variant?.bundle ? BUNDLE : path === BUNDLE ? undefined : path;
      const file = variant && source ? files.get(source) : undefined;
      response.setHeader('Access-Control-Allow-Origin', '*');
      if (!file) {
        response.statusCode = 404;
        response.end();
        return;
      }
      response.setHeader('Content-Type', 'text/javascript');
      response.end(variant?.altered === source ? tamper(file) : file);
    });
    cdnUrl = await listen(cdn);

    stack = await startBackendStack({ name: 'integrity' });

    // The partner's page, built from integrity.json the way the README's snippet is,
    // with a session its server minted for the company.
    host = createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://host');
      const variant = url.searchParams.get('variant') ?? '';
      if (url.pathname !== '/' || !Object.hasOwn(VARIANTS, variant)) {
        response.statusCode = 404;
        response.end();
        return;
      }
      const base = `${cdnUrl}/${variant}`;
      const importMap = {
        integrity: Object.fromEntries(
          Object.entries(hashes)
            .filter(([path]) => path !== BUNDLE)
            .map(([path, hash]) => [`${base}/${path}`, hash]),
        ),
      };
      const companyId = `integrity-${variant}`;
      stack.mintSession(companyId).then(
        (sessionToken) => {
          response.setHeader('Content-Type', 'text/html; charset=utf-8');
          const page = fillTemplate(PAGE, {
            bundleUrl: `${base}/${VARIANTS[variant as Variant].bundle}`,
            bundleIntegrity: hashes[BUNDLE]!,
            firstScreenUrl: `${base}/${FIRST_SCREEN}`,
            firstScreenIntegrity: hashes[FIRST_SCREEN]!,
            backendUrl: stack.url,
            companyId,
            sessionToken,
          });
          // JSON in a script element, which takes no HTML escapes (no URL or hash here has a `<`).
          response.end(page.replace('<!-- import map -->', `<script type="importmap">${JSON.stringify(importMap)}</script>`));
        },
        (error: unknown) => {
          response.statusCode = 500;
          response.end(String(error));
        },
      );
    });
    hostUrl = await listen(host);
    stack.allowedOrigins.push(hostUrl);

    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await closeServer(cdn);
    await closeServer(host);
    await stack?.stop();
  });

  function visit<T>(variant: Variant, journey: (visit: Visit) => Promise<T>): Promise<{ report: PageReport; result: T }> {
    return visitPage(browser, `${hostUrl}/?variant=${variant}`, journey);
  }

  /** Console and uncaught errors alike: where Chromium reports a refused file is no concern here. */
  const errorsOf = ({ consoleErrors, pageErrors }: PageReport) => [...consoleErrors, ...pageErrors];

  it('integrity.json names each file by its path in the package, as a CDN URL ends after the version', () => {
    const imported = [...files.keys()].filter((path) => path !== BUNDLE);
    assert(imported.includes('dist/locales/de.js'));
    assert(imported.some((path) => path.startsWith('dist/chunks/')));
    assert.deepEqual(Object.keys(hashes).sort(), [BUNDLE, ...imported].sort());
  });

  it('loads the bundle and the German file the printed hashes pin', async () => {
    await visit('pristine', async (seen) => {
      await seen.flow.getByRole('heading', { name: PICKER_TITLE.german }).waitFor();
      assert.deepEqual(errorsOf(seen), []);
      assert.deepEqual(seen.consoleWarnings, []);
    });
  });

  it('loads German beside a bundle served under another file name: the locale file imports nothing by name', async () => {
    await visit('renamed', async (seen) => {
      await seen.flow.getByRole('heading', { name: PICKER_TITLE.german }).waitFor();
      assert.deepEqual(errorsOf(seen), []);
      assert.deepEqual(seen.consoleWarnings, []);
    });
  });

  it('refuses an altered locale file, and the flow carries on in English', async () => {
    await visit('altered-de', async (seen) => {
      await eventually(
        () => seen.consoleWarnings.some((text) => text.includes('the de translation could not be loaded')),
        'the console says why the flow is in English',
      );
      await seen.flow.getByRole('heading', { name: PICKER_TITLE.english }).waitFor();
      const errors = errorsOf(seen);
      assert(errors.some((text) => /integrity/i.test(text)), `Chromium reports the integrity failure: ${JSON.stringify(errors)}`);
      assert.equal(await seen.page.evaluate(() => 'tampered' in globalThis), false, 'the altered code never ran');
    });
  });

  it('refuses an altered bundle: nothing of it runs', async () => {
    await visit('altered-bundle', async (seen) => {
      await seen.page.waitForLoadState('load');
      assert.equal(await seen.page.evaluate("customElements.get('conduit-link') === undefined && !('tampered' in globalThis)"), true);
      const errors = errorsOf(seen);
      assert(errors.some((text) => /integrity/i.test(text)), `Chromium reports the integrity failure: ${JSON.stringify(errors)}`);
    });
  });
});
