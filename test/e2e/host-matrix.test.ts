// The flow in the hosts partners really write, from the packed package: a
// React 19 app and a Vue 3 app (test/e2e/hosts/, built with Vite from a
// scratch install of the tarball) and a plain page that loads the CDN file
// with Subresource Integrity. Each runs inline and in a modal, with the session
// token set before the element connects and after (the app fetches it from its
// own "partner server" once it is on the page, the way most apps do; a modal is
// opened before the token arrives), and is walked to success in Chromium
// against the reference backend. What a partner must see: success, no 401 in
// the network log, every backend call with a token, and a quiet console. The
// builds also give each host's cost over the bare app, which the README's table
// states.
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { build, mergeConfig, type UserConfig } from 'vite';
import { withStaticImports } from '../../scripts/first-screen.js';
import { closeServer, launchChromium, listen } from './browser.js';
import { REPO, withFullBuild } from './built-dist.js';
import { submitCredentials, toCredentials, visitPage } from './journey.js';
import { runOrExplain } from './run.js';
import { startBackendStack, type BackendStack } from './stack.js';
import { fillTemplate } from './template.js';

const FIXTURES = join(REPO, 'test/e2e/hosts');
const { version: VERSION } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };

type HostName = 'react' | 'vue' | 'plain';

interface Host {
  name: HostName;
  title: string;
  /** How the README's cost table names it. */
  costRow: string;
  /** Built with Vite from the fixture's own vite.config.ts; the plain page is served as it is. */
  vite: boolean;
}

const HOSTS: Host[] = [
  { name: 'react', title: 'a React 19 app (Vite), `conduit-link/react`', costRow: 'React 19 app', vite: true },
  { name: 'vue', title: 'a Vue 3 app (Vite), `conduit-link/define.js`', costRow: 'Vue 3 app', vite: true },
  { name: 'plain', title: 'a plain page, the CDN file with SRI', costRow: 'plain HTML page', vite: false },
];

interface Case {
  mode: 'inline' | 'modal';
  /** `early`: set before the element connects; `late`: after, once the app asked its server. */
  token: 'early' | 'late';
}

const CASES: Case[] = [
  { mode: 'inline', token: 'early' },
  { mode: 'inline', token: 'late' },
  { mode: 'modal', token: 'early' },
  { mode: 'modal', token: 'late' },
];

// The README rounds to a tenth of a KB; Vite's and the flow's small changes may move a build this much.
const COST_TOLERANCE_KB = 1;

const kb = (bytes: number) => bytes / 1024;

/** The app's dependencies at the versions the repo installed, so npm finds them in the cache its install filled. */
function installedVersion(name: string): string {
  return (JSON.parse(readFileSync(join(REPO, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
}

interface Manifest {
  [source: string]: { file: string; imports?: string[]; css?: string[] };
}

/** Gzip bytes of what `entry`'s page loads at start (its chunk, the chunks it imports, their CSS); what it imports on demand (a locale) is not counted. */
function startupGzip(outDir: string, entry: string): number {
  const manifest = JSON.parse(readFileSync(join(outDir, '.vite/manifest.json'), 'utf8')) as Manifest;
  const files = new Set<string>();
  const visit = (key: string) => {
    const chunk = manifest[key]!;
    if (files.has(chunk.file)) return;
    files.add(chunk.file);
    for (const css of chunk.css ?? []) files.add(css);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  visit(entry);
  return [...files].reduce((sum, file) => sum + gzipSync(readFileSync(join(outDir, file)), { level: 9 }).length, 0);
}

/** The partner server's side of the token: a late case holds the answer until the test lets it go. */
class TokenDesk {
  #held = new Map<string, { asked: () => void; released: Promise<void>; release: () => void }>();

  /** Holds the tokens `companyId`'s page asks for until `release`; `asked` resolves when it first asks. */
  hold(companyId: string): { asked: Promise<void>; release: () => void } {
    let asked!: () => void;
    let release!: () => void;
    const whenAsked = new Promise<void>((resolve) => (asked = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    this.#held.set(companyId, { asked, released, release });
    return { asked: whenAsked, release };
  }

  /** Lets every held token go: a failed journey must not leave its request hanging. */
  releaseAll(): void {
    for (const held of this.#held.values()) held.release();
    this.#held.clear();
  }

  /** Waits, if the company's token is held, until it is released. */
  async wait(companyId: string): Promise<void> {
    const held = this.#held.get(companyId);
    if (!held) return;
    held.asked();
    await held.released;
  }
}

/** What the page asked the backend, as the browser's network log has it. */
interface Call {
  method: string;
  path: string;
  status: number;
  authorization: string | undefined;
}

describe('partner hosts, from the packed package, against the reference backend, in Chromium', () => {
  let scratch: string;
  let packageDir: string;
  let stack: BackendStack;
  let host: Server;
  let hostUrl: string;
  let browser: Browser;
  let bundleIntegrity: string;
  let localeIntegrity: Record<string, string>;
  const tokens = new TokenDesk();
  /** Gzip bytes at start, with the flow and in the bare app. */
  const costs = new Map<HostName, { bare: number; flow: number }>();
  const built = new Map<HostName, string>();

  before(
    async () => {
      scratch = mkdtempSync(join(tmpdir(), 'conduit-hosts-'));

      // The tarball, as `npm pack` makes it of a full build (under the build lock:
      // another test process may rebuild dist/ once it is released).
      const [{ filename }] = await withFullBuild(async () => {
        const { stdout } = await runOrExplain('npm', ['pack', '--json', '--pack-destination', scratch], { cwd: REPO, timeout: 120_000 });
        return JSON.parse(stdout) as [{ filename: string }];
      });
      const tarball = join(scratch, filename);

      // One install for the apps: the tarball, React, Vue and the React types, from the npm cache.
      const apps = join(scratch, 'apps');
      mkdirSync(apps);
      const dependencies = {
        'conduit-link': `file:${tarball}`,
        ...Object.fromEntries(['react', 'react-dom', 'vue', '@types/react', '@types/react-dom'].map((name) => [name, installedVersion(name)])),
      };
      const manifest = { name: 'partner-apps', private: true, type: 'module', dependencies };
      writeFileSync(join(apps, 'package.json'), JSON.stringify(manifest, null, 2));
      await runOrExplain('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: apps, timeout: 300_000 });
      packageDir = join(apps, 'node_modules/conduit-link');

      // Each app twice, production builds: with the flow (served to the browser) and bare (for the cost only).
      for (const { name, vite } of HOSTS) {
        if (!vite) continue;
        const app = join(apps, name);
        cpSync(join(FIXTURES, name), app, { recursive: true });
        // The fixture's own config, loaded from the repo (its plugins are the repo's dev dependencies).
        const { default: config } = (await import(join(FIXTURES, name, 'vite.config.ts'))) as { default: UserConfig };
        const outDirs = { flow: join(scratch, 'dist', name), bare: join(scratch, 'dist', `${name}-bare`) };
        for (const [variant, page] of [['flow', 'index.html'], ['bare', 'bare.html']] as const) {
          await build(
            mergeConfig(config, {
              root: app,
              configFile: false,
              base: `/${name}/`,
              logLevel: 'warn',
              build: { outDir: outDirs[variant], emptyOutDir: true, manifest: true, rollupOptions: { input: join(app, page) } },
            }),
          );
        }
        built.set(name, outDirs.flow);
        costs.set(name, { flow: startupGzip(outDirs.flow, 'index.html'), bare: startupGzip(outDirs.bare, 'bare.html') });
      }
      // The plain page loads the bundle and the chunk it imports at start; the bare page loads nothing.
      const plainStart = withStaticImports(join(packageDir, 'dist'), 'conduit-link.bundle.js').map((file) => gzipSync(readFileSync(join(packageDir, 'dist', file)), { level: 9 }).length);
      costs.set('plain', { flow: plainStart.reduce((sum, bytes) => sum + bytes, 0), bare: 0 });

      const integrity = JSON.parse(readFileSync(join(packageDir, 'dist/integrity.json'), 'utf8')) as Record<string, string>;
      bundleIntegrity = integrity['dist/conduit-link.bundle.js']!;
      localeIntegrity = Object.fromEntries(Object.entries(integrity).filter(([path]) => path !== 'dist/conduit-link.bundle.js'));

      stack = await startBackendStack({ name: 'hosts' });

      // The partner's server: the built apps under /react/ and /vue/, the plain
      // page under /plain/, the tarball's files as a CDN serves them under
      // /cdn/conduit-link@<version>/, and its own endpoint that mints a session
      // token for the signed-in user's company (a cookie set with the page).
      const cdn = `/cdn/conduit-link@${VERSION}`;
      const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json' };
      const serveFile = (response: ServerResponse, root: string, path: string): boolean => {
        const file = join(root, normalize(decodeURIComponent(path)).replace(/^(\.\.[/\\])+/, ''));
        if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) return false;
        response.setHeader('Content-Type', TYPES[extname(file)] ?? 'application/octet-stream');
        response.end(readFileSync(file));
        return true;
      };
      const renderPage = (html: string, companyId: string) =>
        fillTemplate(html, { backendUrl: stack.url, companyId, cdn: `${hostUrl}${cdn}`, bundleIntegrity }).replace(
          '<!-- conduit-link import map -->',
          // JSON in a script element takes no HTML escapes; no URL or hash here has a `<`.
          `<script type="importmap">${JSON.stringify({ integrity: Object.fromEntries(Object.entries(localeIntegrity).map(([path, hash]) => [`${hostUrl}${cdn}/${path}`, hash])) })}</script>`,
        );
      host = createServer((request, response) => {
        const url = new URL(request.url ?? '/', 'http://host');
        const companyId = /(?:^|;\s*)partner_company=([^;]+)/.exec(request.headers.cookie ?? '')?.[1];
        response.setHeader('Cache-Control', 'no-store');
        if (url.pathname === '/partner/conduit-token') {
          if (!companyId) {
            response.statusCode = 401;
            response.end();
            return;
          }
          tokens
            .wait(companyId)
            .then(() => stack.mintSession(companyId))
            .then(
              (token) => {
                response.setHeader('Content-Type', 'text/plain');
                response.end(token);
              },
              (error: unknown) => {
                response.statusCode = 500;
                response.end(String(error));
              },
            );
          return;
        }
        if (url.pathname.startsWith(`${cdn}/`)) {
          if (!serveFile(response, packageDir, url.pathname.slice(cdn.length))) response.writeHead(404).end();
          return;
        }
        const [, name, rest] = /^\/(react|vue|plain)(\/.*)$/.exec(url.pathname) ?? [];
        if (!name || !rest) {
          response.writeHead(404).end();
          return;
        }
        if (rest === '/') {
          // `?company=` plays the partner's sign-in: the page and the cookie name the user's company.
          const signedIn = url.searchParams.get('company') ?? '';
          const html = readFileSync(name === 'plain' ? join(FIXTURES, 'plain/index.html') : join(built.get(name as HostName)!, 'index.html'), 'utf8');
          response.setHeader('Set-Cookie', `partner_company=${signedIn}; Path=/; SameSite=Strict`);
          response.setHeader('Content-Type', TYPES['.html']!);
          response.end(renderPage(html, signedIn));
          return;
        }
        if (name === 'plain' || !serveFile(response, built.get(name as HostName)!, rest)) response.writeHead(404).end();
      });
      hostUrl = await listen(host);
      stack.allowedOrigins.push(hostUrl);

      browser = await launchChromium();
    },
    { timeout: 600_000 },
  );

  after(async () => {
    tokens.releaseAll();
    await browser?.close();
    await closeServer(host);
    await stack?.stop();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  /** Records each backend call's method, path, status and Authorization header. */
  function recordBackendCalls(page: Page, calls: Call[], pending: Promise<unknown>[]): void {
    page.on('response', (response) => {
      const request = response.request();
      if (!request.url().startsWith(stack.url) || request.method() === 'OPTIONS') return;
      pending.push(
        request.allHeaders().then((headers) => {
          calls.push({ method: request.method(), path: new URL(request.url()).pathname, status: response.status(), authorization: headers.authorization });
        }),
      );
    });
  }

  async function walk(hostName: HostName, { mode, token }: Case): Promise<void> {
    const companyId = `${hostName}-${mode}-${token}`;
    const held = token === 'late' ? tokens.hold(companyId) : undefined;
    const calls: Call[] = [];
    const pending: Promise<unknown>[] = [];
    const url = `${hostUrl}/${hostName}/?company=${companyId}&mode=${mode}&token=${token}`;
    const { report } = await visitPage(
      browser,
      url,
      async ({ page, flow }) => {
        const connect = page.getByRole('button', { name: 'Connect your billing system' });
        if (held) {
          // The app is on the page and has asked its server for the token: the element is there without one.
          await held.asked;
          await flow.waitFor({ state: 'attached' });
          if (mode === 'modal') {
            await connect.click();
            await flow.getByRole('dialog').waitFor();
          }
          held.release();
        } else if (mode === 'modal') {
          await flow.waitFor({ state: 'attached' });
          await connect.click();
        }
        await toCredentials(flow);
        await submitCredentials(flow, 'acme', 'chg_demo_acme_admin');
        await flow.getByRole('heading', { name: 'Chargify connected' }).waitFor();
        await page.getByText('Billing connected: Acme Inc').waitFor();
        await flow.getByRole('button', { name: 'Finish' }).click();
        const [stored] = await stack.store.listConnections(companyId);
        assert.equal(stored?.status, 'Linked', 'the backend linked the connection');
        await page.getByText(`Finished with connection ${stored!.id}`).waitFor();
      },
      { timeout: 10_000, beforeNavigation: async (page) => recordBackendCalls(page, calls, pending), alsoReported: () => ({ backendCalls: calls }) },
    );
    await Promise.all(pending);

    assert.deepEqual(
      calls.filter((call) => call.status === 401),
      [],
      'no 401 in the network log',
    );
    assert.deepEqual(
      calls.filter((call) => !/^Bearer \S+$/.test(call.authorization ?? '')),
      [],
      'every call to the backend carries a session token',
    );
    assert.deepEqual(report.pageErrors, [], 'uncaught errors');
    assert.deepEqual(report.consoleErrors, [], 'console errors');
    assert.deepEqual(report.consoleWarnings, [], 'console warnings');
  }

  for (const { name, title } of HOSTS) {
    describe(title, () => {
      for (const testCase of CASES) {
        const when = testCase.token === 'early' ? 'set before the element connects' : 'fetched after it connects';
        const opened = testCase.mode === 'modal' ? (testCase.token === 'late' ? ', open() before the token' : ', opened with open()') : '';
        it(`${testCase.mode}, the session token ${when}${opened}: success, no 401, a quiet console`, { timeout: 60_000 }, () => walk(name, testCase));
      }
    });
  }

  it("a wrong key, an error the user fixes: the console has only the browser's own line for the 400, nothing from the widget", { timeout: 60_000 }, async () => {
    const calls: Call[] = [];
    const pending: Promise<unknown>[] = [];
    const { report } = await visitPage(
      browser,
      `${hostUrl}/plain/?company=plain-wrong-key&mode=inline&token=early`,
      async ({ flow }) => {
        await toCredentials(flow);
        await submitCredentials(flow, 'acme', 'chg_not_the_key');
        await flow.getByText(/didn't accept this API key/).waitFor();
      },
      { timeout: 10_000, beforeNavigation: async (page) => recordBackendCalls(page, calls, pending), alsoReported: () => ({ backendCalls: calls }) },
    );
    await Promise.all(pending);
    const verdicts = calls.filter((call) => call.status >= 400);
    assert.deepEqual(
      verdicts.map(({ method, status }) => `${method} ${status}`),
      ['PUT 400'],
      'one verdict on the key',
    );
    assert.deepEqual(
      report.consoleErrors,
      [`Failed to load resource: the server responded with a status of 400 (Bad Request) (${stack.url}${verdicts[0]!.path})`],
      "the browser's network line, and nothing else",
    );
    assert.deepEqual(report.consoleWarnings, [], 'no warning');
    assert.deepEqual(report.pageErrors, [], 'uncaught errors');
  });

  it('the React and Vue apps typecheck strictly against the packed types (Vue: <conduit-link> in templates, through conduit-link/vue)', { timeout: 180_000 }, async () => {
    const tsc = join(REPO, 'node_modules/.bin/tsc');
    for (const { name, vite } of HOSTS) {
      if (vite) await runOrExplain(tsc, ['-p', 'tsconfig.json'], { cwd: join(scratch, 'apps', name), timeout: 120_000 });
    }
  });

  it("the README's cost table states each host's cost over its bare app", (t) => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8').split('\n');
    const wrong: string[] = [];
    for (const { name, costRow } of HOSTS) {
      const { bare, flow } = costs.get(name)!;
      const measured = `+${kb(flow - bare).toFixed(1)} KB`;
      t.diagnostic(`${costRow}: bare ${kb(bare).toFixed(1)} KB, with the flow ${kb(flow).toFixed(1)} KB, ${measured} gzip`);
      const row = readme.find((line) => line.startsWith(`| ${costRow}`));
      const stated = row && /\| \+(\d+(?:\.\d+)?) KB \|\s*$/.exec(row)?.[1];
      if (!stated || Math.abs(Number(stated) - kb(flow - bare)) > COST_TOLERANCE_KB) wrong.push(`${costRow}: the README says ${stated ? `+${stated} KB` : 'nothing'}, the build measures ${measured}`);
    }
    assert.deepEqual(wrong, []);
  });
});
