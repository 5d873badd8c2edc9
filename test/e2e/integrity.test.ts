// The README's CDN snippet, as `npm run build` prints it: the bundle with its
// `integrity`, and an import map that pins the locale files the bundle imports
// on demand. A partner page on one origin loads them from a "CDN" on another,
// in Chromium. With the hashes from dist/integrity.json the flow starts and
// speaks German; a CDN that serves an altered file gets it refused, and the
// flow carries on in English and says why in the console.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { closeServer, launchChromium, listen } from './browser.js';
import { DIST, REPO, withFullBuild } from './built-dist.js';
import { visitPage, type PageReport, type Visit } from './journey.js';

/** A message's German, as translated in xliff/de.xlf. */
function german(id: string): string {
  const xliff = readFileSync(join(REPO, 'xliff', 'de.xlf'), 'utf8');
  const target = new RegExp(`<trans-unit id="${id.replaceAll('.', '\\.')}">[^]*?<target>([^<]*)</target>`).exec(xliff)?.[1];
  assert(target, `xliff/de.xlf translates ${id}`);
  return target;
}

// An altered copy: what a compromised or broken CDN might serve.
const tamper = (file: Buffer) => Buffer.concat([file, Buffer.from('\n;globalThis.tampered = true;\n')]);

// The CDN's variants: the file each alters, if any.
const ALTERED: Record<string, string | null> = {
  pristine: null,
  'altered-bundle': '/conduit-link.bundle.js',
  'altered-de': '/locales/de.js',
};

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
  let browser: Browser;

  before(async () => {
    // In memory from here on: another test process may rebuild dist/ meanwhile.
    ({ files, hashes } = await withFullBuild(() => {
      const locales = readdirSync(join(DIST, 'locales')).filter((name) => name.endsWith('.js'));
      return {
        files: new Map([
          ['/conduit-link.bundle.js', readFileSync(join(DIST, 'conduit-link.bundle.js'))],
          ...locales.map((name) => [`/locales/${name}`, readFileSync(join(DIST, 'locales', name))] as const),
        ]),
        hashes: JSON.parse(readFileSync(join(DIST, 'integrity.json'), 'utf8')) as Record<string, string>,
      };
    }));

    // `/<variant>/<file>`: every variant serves dist/'s files, some with one altered.
    cdn = createServer((request, response) => {
      const [, variant, path] = /^\/([^/]+)(\/.*)$/.exec(request.url ?? '') ?? [];
      const file = files.get(path ?? '');
      response.setHeader('Access-Control-Allow-Origin', '*');
      if (!file || !(variant! in ALTERED)) {
        response.statusCode = 404;
        response.end();
        return;
      }
      response.setHeader('Content-Type', 'text/javascript');
      response.end(ALTERED[variant!] === path ? tamper(file) : file);
    });
    cdnUrl = await listen(cdn);

    // The partner's page, built from integrity.json the way the README's snippet is.
    host = createServer((request, response) => {
      const base = new URL(request.url ?? '/', 'http://host').searchParams.get('base') ?? cdnUrl;
      const integrity = Object.fromEntries(
        Object.entries(hashes)
          .filter(([path]) => path.startsWith('./locales/'))
          .map(([path, hash]) => [`${base}/${path.slice(2)}`, hash]),
      );
      response.setHeader('Content-Type', 'text/html; charset=utf-8');
      response.end(`<!doctype html>
        <html lang="de">
          <head>
            <script type="importmap">${JSON.stringify({ integrity })}</script>
            <script type="module" src="${base}/conduit-link.bundle.js" integrity="${hashes['conduit-link.bundle.js']}" crossorigin="anonymous"></script>
          </head>
          <body><conduit-link></conduit-link></body>
        </html>`);
    });
    hostUrl = await listen(host);

    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await closeServer(cdn);
    await closeServer(host);
  });

  // The page's <conduit-link> has no backend-url, so it stops at once on its
  // configuration error: a screen whose language shows that the file loaded.
  async function visit(variant: keyof typeof ALTERED, journey: (visit: Visit) => Promise<void>): Promise<void> {
    await visitPage(browser, `${hostUrl}/?base=${encodeURIComponent(`${cdnUrl}/${variant}`)}`, journey);
  }

  /** Console and uncaught errors alike: where Chromium reports a refused file is no concern here. */
  const errorsOf = ({ consoleErrors, pageErrors }: PageReport) => [...consoleErrors, ...pageErrors];
  const withoutConfigError = (errors: string[]) => errors.filter((text) => !text.startsWith('<conduit-link>: backend-url'));

  it('loads the bundle and the German file the printed hashes pin', async () => {
    await visit('pristine', async (seen) => {
      await seen.page.getByRole('heading', { name: german('conduit.link.errorTitle') }).waitFor();
      assert.deepEqual(withoutConfigError(errorsOf(seen)), []);
      assert.deepEqual(seen.consoleWarnings, []);
    });
  });

  it('refuses an altered locale file, and the flow carries on in English', async () => {
    await visit('altered-de', async (seen) => {
      await eventually(
        () => seen.consoleWarnings.some((text) => text.includes('the de translation could not be loaded')),
        'the console says why the flow is in English',
      );
      await seen.page.getByRole('heading', { name: 'Something went wrong' }).waitFor();
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
