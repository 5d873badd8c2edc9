// The package as a partner gets it: `npm pack` of a full `npm run build`,
// installed with npm into scratch apps outside the repo, a React 19 app in
// TypeScript (typechecked strictly, so the `on…` props must be typed events)
// and a plain HTML page, both built with Vite the way a partner's app would be
// (every import resolved from the scratch app's node_modules), then driven
// through the flow in Chromium against the reference backend. Also: the
// package imports in Node (server-side rendering), and two copies on one page
// don't throw.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, relative, sep } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { Browser, Locator } from 'playwright-core';
import { build, createLogger, parseSync } from 'vite';
import { closeServer, launchChromium, listen, spoken } from './browser.js';
import { exportTargets, REPO, withFullBuild } from './built-dist.js';
import { submitCredentials, toCredentials, toPermissions, visitPage, type PageReport, type Visit } from './journey.js';
import { runOrExplain } from './run.js';
import { startBackendStack, type BackendStack } from './stack.js';
import { fillTemplate } from './template.js';

const run = promisify(execFile);

interface PackageJson {
  name: string;
  version: string;
  main?: string;
  module?: string;
  types?: string;
  exports: unknown;
  customElements?: string;
}

const REPO_PACKAGE = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as PackageJson;

/** The version the repo has installed, so npm finds it in the cache the repo's install filled. */
function installedVersion(name: string): string {
  return (JSON.parse(readFileSync(join(REPO, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
}

function filesUnder(directory: string): string[] {
  return readdirSync(directory, { recursive: true, encoding: 'utf8' })
    .filter((path) => statSync(join(directory, path)).isFile())
    .map((path) => path.split(sep).join('/'))
    .sort();
}

// ---------------------------------------------------------------------------
// The scratch apps: what a partner writes.

// TypeScript without JSX (so no JSX setup): React 19 renders the flow with its
// events as typed props, and the app records what those props, and a listener
// on document, receive. Under `strict`, an untyped event would be an implicit
// any and fail; the @ts-expect-error fails if `event` is any or grows the key.
const REACT_APP = `
import { createElement, StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import {
  CONDUIT_EVENT_TYPES,
  ConduitCloseEvent,
  ConduitConnectionEvent,
  ConduitConnectionStartedEvent,
  ConduitConsentEvent,
  ConduitDisconnectEvent,
  ConduitErrorEvent,
  ConduitEvent,
  ConduitFinishEvent,
  ConduitHandoffEvent,
  ConduitIntegrationSelectEvent,
  ConduitLinkElement,
  ConduitReadyEvent,
  ConduitRequestCloseEvent,
  ConduitStepChangeEvent,
} from 'conduit-link';
import { ConduitLink } from 'conduit-link/react';

type ConduitEventType = (typeof CONDUIT_EVENT_TYPES)[number];

const CLASSES: Record<ConduitEventType, abstract new (...args: never[]) => ConduitEvent> = {
  'conduit-ready': ConduitReadyEvent,
  'conduit-step-change': ConduitStepChangeEvent,
  'conduit-integration-select': ConduitIntegrationSelectEvent,
  'conduit-consent': ConduitConsentEvent,
  'conduit-connection-started': ConduitConnectionStartedEvent,
  'conduit-connection': ConduitConnectionEvent,
  'conduit-error': ConduitErrorEvent,
  'conduit-request-close': ConduitRequestCloseEvent,
  'conduit-close': ConduitCloseEvent,
  'conduit-finish': ConduitFinishEvent,
  'conduit-disconnect': ConduitDisconnectEvent,
  'conduit-handoff': ConduitHandoffEvent,
};

interface Received {
  type: string;
  isConduitEvent: boolean;
  isItsClass: boolean;
  fields: Record<string, unknown>;
}

const log = {
  props: [] as Received[],
  document: [] as Received[],
  /** What the props read through their types. */
  typed: [] as Record<string, unknown>[],
  documentConnectionId: null as string | null,
  elementIsTheClass: false,
};
(window as unknown as { conduitLog: typeof log }).conduitLog = log;

function describe(event: Event): Received {
  const ownClass = CLASSES[event.type as ConduitEventType];
  return {
    type: event.type,
    isConduitEvent: event instanceof ConduitEvent,
    isItsClass: ownClass !== undefined && event instanceof ownClass,
    fields: JSON.parse(JSON.stringify({ ...event })) as Record<string, unknown>,
  };
}

for (const type of CONDUIT_EVENT_TYPES) document.addEventListener(type, (event) => log.document.push(describe(event)));
// Typed on document too, through the global event map the package declares.
document.addEventListener('conduit-connection', (event) => {
  log.documentConnectionId = event.connectionId;
});

function seen(event: ConduitEvent, typed: Record<string, unknown>): void {
  log.props.push(describe(event));
  log.typed.push({ type: event.type, ...typed });
  log.elementIsTheClass = document.querySelector('conduit-link') instanceof ConduitLinkElement;
}

const root = document.getElementById('root')!;
const { backendUrl = '', companyId = '', sessionToken = '' } = root.dataset;

function App() {
  const [finished, setFinished] = useState<string | null>(null);
  return createElement(
    'main',
    null,
    createElement(ConduitLink, {
      backendUrl,
      companyId,
      sessionToken,
      partnerName: 'Northwind Capital',
      onReady: (event) => seen(event, { integrations: [...event.integrations] }),
      onStepChange: (event) => seen(event, { step: event.step, previousStep: event.previousStep }),
      onIntegrationSelect: (event) => seen(event, { integrationKey: event.integrationKey }),
      onConsent: (event) => seen(event, { integrationKey: event.integrationKey, locale: event.locale }),
      onConnectionStarted: (event) => seen(event, { connectionId: event.connectionId }),
      onConnection: (event) => {
        const connectionId: string = event.connectionId;
        // @ts-expect-error the API key never leaves the flow, and the event's type says so
        const apiKey: unknown = event.apiKey;
        seen(event, { connectionId, siteName: event.connectionInfo.siteName, apiKey: apiKey === undefined ? 'absent' : 'present' });
      },
      onError: (event) => seen(event, { code: event.code, message: event.message }),
      onRequestClose: (event) => seen(event, { source: event.source }),
      onClose: (event) => seen(event, { step: event.step }),
      onFinish: (event) => {
        seen(event, { connectionId: event.connectionId });
        setFinished(event.connectionId);
      },
    }),
    finished === null ? null : createElement('p', { id: 'finished' }, \`Finished: \${finished}\`),
  );
}

createRoot(root).render(createElement(StrictMode, null, createElement(App)));
`;

// Proves the typecheck can fail: the same mistake without @ts-expect-error.
const WRONG_APP = `
import { createElement } from 'react';
import { ConduitLink } from 'conduit-link/react';

export const flow = createElement(ConduitLink, { onConnection: (event) => console.log(event.apiKey) });
`;

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'ESNext',
    moduleResolution: 'bundler',
    lib: ['ES2023', 'DOM', 'DOM.Iterable'],
    strict: true,
    verbatimModuleSyntax: true,
    noEmit: true,
    // The package's declarations are checked too, against the partner's React types.
    skipLibCheck: false,
    types: [],
  },
  files: ['app.ts'],
};

const REACT_HTML = `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"><title>Partner app (React)</title><link rel="icon" href="data:,"></head>
  <body>
    <div id="root" data-backend-url="{{backendUrl}}" data-company-id="{{companyId}}" data-session-token="{{sessionToken}}"></div>
    <script type="module" src="./app.ts"></script>
  </body>
</html>
`;

// A page with no framework, as the README's Embedding shows, from npm.
const PLAIN_HTML = `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"><title>Partner page</title><link rel="icon" href="data:,"></head>
  <body>
    <conduit-link
      backend-url="{{backendUrl}}"
      company-id="{{companyId}}"
      session-token="{{sessionToken}}"
      partner-name="Northwind Capital"
    ></conduit-link>
    <ol id="event-log"></ol>
    <script type="module">
      import 'conduit-link/define.js';
      import * as conduit from 'conduit-link';
      const { CONDUIT_EVENT_TYPES, ConduitEvent, ConduitLinkElement } = conduit;

      // Each event's class by its name: conduit-connection-started is ConduitConnectionStartedEvent.
      const classOf = (type) => conduit[type.replace(/(?:^|-)(\\w)/g, (_, letter) => letter.toUpperCase()) + 'Event'];
      const log = { document: [], elementIsTheClass: customElements.get('conduit-link') === ConduitLinkElement };
      window.conduitLog = log;
      const list = document.querySelector('#event-log');
      for (const type of CONDUIT_EVENT_TYPES) {
        document.addEventListener(type, (event) => {
          log.document.push({
            type: event.type,
            isConduitEvent: event instanceof ConduitEvent,
            isItsClass: classOf(event.type) !== undefined && event instanceof classOf(event.type),
            fields: JSON.parse(JSON.stringify({ ...event })),
          });
          list.append(Object.assign(document.createElement('li'), { textContent: event.type }));
        });
      }
    </script>
  </body>
</html>
`;

const OTHER_VERSION = '0.0.1-other-copy';

// Another copy of the flow (an older one, in some other bundle) defined the tag first.
const CLASH_HTML = `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"><title>Two copies</title><link rel="icon" href="data:,"></head>
  <body>
    <script>
      customElements.define('conduit-link', class extends HTMLElement { static conduitVersion = '${OTHER_VERSION}'; });
    </script>
    <conduit-link></conduit-link>
    <script type="module">
      import 'conduit-link/define.js';
      import { ConduitIntegrationPicker, ConduitLinkElement } from 'conduit-link';
      window.clash = {
        linkVersion: customElements.get('conduit-link').conduitVersion,
        linkIsOurs: customElements.get('conduit-link') === ConduitLinkElement,
        pickerIsOurs: customElements.get('conduit-integration-picker') === ConduitIntegrationPicker,
      };
    </script>
  </body>
</html>
`;

// ---------------------------------------------------------------------------

interface Received {
  type: string;
  isConduitEvent: boolean;
  isItsClass: boolean;
  fields: Record<string, unknown>;
}

interface ReactLog {
  props: Received[];
  document: Received[];
  typed: Record<string, unknown>[];
  documentConnectionId: string | null;
  elementIsTheClass: boolean;
}

interface PlainLog {
  document: Received[];
  elementIsTheClass: boolean;
}

describe('the packed package in partner apps', () => {
  let scratch: string;
  let packageDir: string;
  let app: string;
  let appDist: string;
  let tarball: string;
  let packed: PackageJson;
  let packedFiles: string[];
  let stack: BackendStack;
  let host: Server;
  let hostUrl: string;
  let browser: Browser;
  /** What Vite said while building the partner's app, beyond its progress. */
  const buildWarnings: string[] = [];

  before(
    async () => {
      scratch = mkdtempSync(join(tmpdir(), 'conduit-package-'));
      const packDir = join(scratch, 'pack');
      mkdirSync(packDir);

      // Packed under the build lock: another test process may rebuild dist/ once it is released.
      const [{ filename }] = await withFullBuild(async () => {
        const { stdout } = await runOrExplain('npm', ['pack', '--json', '--pack-destination', packDir], { cwd: REPO, timeout: 120_000 });
        return JSON.parse(stdout) as [{ filename: string }];
      });
      tarball = join(packDir, filename);
      await runOrExplain('tar', ['-xzf', tarball, '-C', packDir], { cwd: packDir, timeout: 60_000 });
      packageDir = join(packDir, 'package');
      packedFiles = filesUnder(packageDir);
      packed = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as PackageJson;

      // The partner's app: the tarball, React 19 and its types, from the npm cache where it can.
      app = join(scratch, 'app');
      mkdirSync(app);
      const dependencies = {
        'conduit-link': `file:${tarball}`,
        ...Object.fromEntries(['react', 'react-dom', '@types/react', '@types/react-dom'].map((name) => [name, installedVersion(name)])),
      };
      writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'partner-app', private: true, type: 'module', dependencies }, null, 2));
      writeFileSync(join(app, 'app.ts'), REACT_APP);
      writeFileSync(join(app, 'wrong.ts'), WRONG_APP);
      writeFileSync(join(app, 'tsconfig.json'), JSON.stringify(TSCONFIG, null, 2));
      writeFileSync(join(app, 'tsconfig.wrong.json'), JSON.stringify({ extends: './tsconfig.json', files: ['wrong.ts'] }, null, 2));
      writeFileSync(join(app, 'index.html'), REACT_HTML);
      writeFileSync(join(app, 'plain.html'), PLAIN_HTML);
      writeFileSync(join(app, 'clash.html'), CLASH_HTML);
      await runOrExplain('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: app, timeout: 180_000 });

      // The repo's Vite, but everything it resolves comes from the scratch app's node_modules.
      appDist = join(scratch, 'app-dist');
      const logger = createLogger('warn');
      const keep = (message: string) => {
        // Rolldown's note that plugins took long: about this machine's load, not the package.
        if (!message.includes('PLUGIN_TIMINGS')) buildWarnings.push(message);
      };
      await build({
        root: app,
        configFile: false,
        logLevel: 'warn',
        customLogger: { ...logger, warn: keep, warnOnce: keep, error: keep },
        build: {
          outDir: appDist,
          emptyOutDir: true,
          rollupOptions: { input: ['index.html', 'plain.html', 'clash.html'].map((page) => join(app, page)) },
        },
      });

      stack = await startBackendStack({ name: 'package' });

      // The partner's server: the built app, with a session token minted server to
      // server for `?company=` written into the HTML; the tarball's dist/ under /vendor/.
      const renderPage = async (html: string, url: URL): Promise<string> => {
        const companyId = url.searchParams.get('company') ?? 'package-company';
        const token = await stack.mintSession(companyId);
        return fillTemplate(html, { backendUrl: stack.url, companyId, sessionToken: token });
      };
      const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json' };
      host = createServer((request, response) => {
        const url = new URL(request.url ?? '/', 'http://host');
        const [root, path] = url.pathname.startsWith('/vendor/')
          ? [join(packageDir, 'dist'), url.pathname.slice('/vendor'.length)]
          : [appDist, url.pathname === '/' ? '/index.html' : url.pathname];
        const file = join(root, normalize(decodeURIComponent(path)).replace(/^(\.\.[/\\])+/, ''));
        response.setHeader('Cache-Control', 'no-store');
        if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) {
          response.statusCode = 404;
          response.end('Not found');
          return;
        }
        response.setHeader('Content-Type', TYPES[extname(file)] ?? 'application/octet-stream');
        if (extname(file) !== '.html') {
          response.end(readFileSync(file));
          return;
        }
        renderPage(readFileSync(file, 'utf8'), url).then(
          (page) => response.end(page),
          (error: unknown) => {
            response.statusCode = 500;
            response.end(String(error));
          },
        );
      });
      hostUrl = await listen(host);
      stack.allowedOrigins.push(hostUrl);

      browser = await launchChromium();
    },
    { timeout: 600_000 },
  );

  after(async () => {
    await browser?.close();
    await closeServer(host);
    await stack?.stop();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  /** Opens `path` for a company of its own and walks `journey` on it. */
  function onPage<T>(path: string, companyId: string, journey: (visit: Visit) => Promise<T>): Promise<{ report: PageReport; result: T }> {
    const url = new URL(path, hostUrl);
    url.searchParams.set('company', companyId);
    return visitPage(browser, url.href, journey, { timeout: 20_000 });
  }

  /** As a user: Chargify, Next, Next, acme's admin key, Continue, then Finish once connected. */
  async function connectAcmeAndFinish(flow: Locator): Promise<void> {
    await toCredentials(flow);
    await submitCredentials(flow, 'acme', 'chg_demo_acme_admin');
    await flow.getByRole('heading', { name: 'Chargify connected' }).waitFor();
    await flow.getByRole('button', { name: 'Finish' }).click();
  }

  /** What a connect-and-finish journey must have delivered, as each event's own class, to any listener. */
  async function assertJourney(received: Received[], companyId: string): Promise<string> {
    const types = received.map((event) => event.type);
    assert.deepEqual(
      types.filter((type) => type !== 'conduit-step-change'),
      ['conduit-ready', 'conduit-integration-select', 'conduit-consent', 'conduit-connection-started', 'conduit-connection', 'conduit-finish'],
      `the flow's events, in order (all: ${types.join(', ')})`,
    );
    const steps = received.filter((event) => event.type === 'conduit-step-change').map((event) => event.fields.step);
    assert.deepEqual(steps, ['picker', 'permissions', 'credentials', 'success'], 'the step changes');
    for (const event of received) {
      assert(event.isConduitEvent, `${event.type} is a ConduitEvent`);
      assert(event.isItsClass, `${event.type} is an instance of its exported class`);
    }
    assert(!JSON.stringify(received).includes('chg_demo_acme_admin'), 'no event carries the API key');

    const connections = await stack.store.listConnections(companyId);
    assert.equal(connections.length, 1, 'the backend stored one connection');
    const [stored] = connections;
    assert.equal(stored!.status, 'Linked');
    const idOf = (type: string) => received.find((event) => event.type === type)?.fields.connectionId;
    assert.equal(idOf('conduit-connection-started'), stored!.id, 'conduit-connection-started names the stored connection');
    assert.equal(idOf('conduit-connection'), stored!.id, 'conduit-connection names the stored connection');
    assert.equal(idOf('conduit-finish'), stored!.id, 'conduit-finish names the stored connection');
    return stored!.id;
  }

  function assertQuiet(report: PageReport): void {
    assert.deepEqual(report.pageErrors, [], 'uncaught errors');
    assert.deepEqual(report.consoleErrors, [], 'console errors');
    assert.deepEqual(report.consoleWarnings, [], 'console warnings');
  }

  it('the tarball ships the full build in dist/, and nothing from the repo besides', () => {
    assert.equal(packed.name, REPO_PACKAGE.name);
    assert.equal(packed.version, REPO_PACKAGE.version);
    for (const file of ['index.js', 'define.js', 'react.js', 'index.d.ts', 'define.d.ts', 'react.d.ts', 'conduit-link.bundle.js', 'integrity.json']) {
      assert(packedFiles.includes(`dist/${file}`), `dist/${file} is packed`);
    }
    // Every language the bundle can load on demand.
    const locales = readdirSync(join(REPO, 'src/localization/generated'))
      .filter((name) => name.endsWith('.ts') && name !== 'locale-codes.ts')
      .map((name) => `dist/locales/${name.replace(/\.ts$/, '.js')}`);
    assert(locales.length > 0);
    for (const locale of locales) assert(packedFiles.includes(locale), `${locale} is packed`);
    // And the bundle's chunks: its first screen, the later steps and the connection's screens.
    const chunks = packedFiles.filter((path) => /^dist\/chunks\/[^/]+\.js$/.test(path));
    for (const chunk of ['first-screen', 'later-steps', 'lifecycle-steps']) assert(chunks.includes(`dist/chunks/${chunk}.js`), `dist/chunks/${chunk}.js is packed`);

    // Every target of the exports map, main/module/types, and the manifest editors find through `customElements`;
    // a pattern (`./dist/locales/*`) must match packed files.
    const entries = [...exportTargets(packed.exports), packed.main, packed.module, packed.types, packed.customElements].filter((path) => path !== undefined);
    for (const entry of entries) {
      const [before, after] = normalize(entry).split(sep).join('/').split('*');
      const matches = packedFiles.filter((path) => (after === undefined ? path === before : path.startsWith(before!) && path.endsWith(after)));
      assert(matches.length > 0, `${entry} (named in package.json) is packed`);
    }
    assert(exportTargets(packed.exports).includes('./dist/integrity.json'), 'exports names the SRI hashes');
    const manifestPath = exportTargets((packed.exports as Record<string, unknown>)['./custom-elements.json']);
    assert.equal(manifestPath.length, 1, 'exports names the custom-elements manifest');
    const manifest = JSON.parse(readFileSync(join(packageDir, manifestPath[0]!), 'utf8')) as { modules: { declarations?: { tagName?: string }[] }[] };
    const tags = manifest.modules.flatMap((module) => module.declarations ?? []).map((declaration) => declaration.tagName);
    assert(tags.includes('conduit-link'), 'the manifest describes <conduit-link>');

    // Outside dist/: package.json, the README, a licence, and files the exports map names.
    const named = new Set(entries.map((entry) => normalize(entry).split(sep).join('/')));
    const stray = packedFiles.filter((path) => !path.startsWith('dist/') && !named.has(path) && !/^(package\.json|README\.md|LICEN[CS]E(\.\w+)?)$/i.test(path));
    assert.deepEqual(stray, [], 'nothing else from the repo');
    assert.deepEqual(
      packedFiles.filter((path) => /(^|\/)(src|test|tests|server|mocks|demo|stories|scripts|node_modules|\.storybook)\//.test(path) || /\.(test|spec)\.|\.tgz$/.test(path)),
      [],
      'no sources, tests, servers, mocks or demos',
    );

    // Source maps map the shipped code to src/ (and the bundle's Lit), with the text inside: never a test.
    const maps = packedFiles.filter((path) => path.endsWith('.map'));
    assert(maps.length > 0);
    for (const path of maps) {
      const map = JSON.parse(readFileSync(join(packageDir, path), 'utf8')) as { sources: string[]; sourcesContent?: (string | null)[] };
      for (const source of map.sources) {
        const from = relative(REPO, join(REPO, path, '..', source)).split(sep).join('/');
        assert.match(from, /^(src|node_modules)\//, `${path} maps ${source}`);
      }
      assert.equal(map.sourcesContent?.filter((content) => typeof content === 'string').length, map.sources.length, `${path} carries its sources' text`);
    }

    // The SRI hashes partners paste are those of the files they get, keyed by the
    // path a CDN URL names after the package's version.
    const integrity = JSON.parse(readFileSync(join(packageDir, 'dist/integrity.json'), 'utf8')) as Record<string, string>;
    const localeChunks = packedFiles.filter((path) => /^dist\/locales\/[^/]+\.js$/.test(path));
    assert.deepEqual(Object.keys(integrity).sort(), ['dist/conduit-link.bundle.js', ...chunks, ...localeChunks].sort());
    for (const [path, hash] of Object.entries(integrity)) {
      const actual = `sha384-${createHash('sha384').update(readFileSync(join(packageDir, path))).digest('base64')}`;
      assert.equal(hash, actual, `integrity.json's hash of ${path}`);
    }
  });

  // Published readable, as lit.dev advises (partners' bundlers minify): names as written, a line
  // per statement, a source map beside each module with code. Only the CDN bundle is minified.
  it('its modules are as written: names kept, not minified, each with code with its source map', () => {
    const dist = join(app, 'node_modules/conduit-link/dist');
    const controller = readFileSync(join(dist, 'components/conduit-link/flow-controller.js'), 'utf8');
    for (const name of ['FlowController = class', 'pendingConnection(', '#lifecycle', 'missingConfiguration(']) {
      assert.ok(controller.includes(name), `flow-controller.js keeps ${name}`);
    }
    const modules = readdirSync(dist, { recursive: true, encoding: 'utf8' }).filter(
      (name) => name.endsWith('.js') && !/^(chunks|locales)[\\/]/.test(name) && name !== 'conduit-link.bundle.js',
    );
    for (const file of modules) {
      const code = readFileSync(join(dist, file), 'utf8');
      if (code.length > 2048) assert.ok(code.length / code.split('\n').length < 100, `${file} reads as written, not minified`);
      // index.js only names what other modules export: no code of its own, so no map.
      if (file !== 'index.js') assert.ok(existsSync(join(dist, `${file}.map`)), `${file} has its source map`);
    }
  });

  it('its modules import nothing from outside but Lit, @lit/localize, @lit/react and React', () => {
    const dist = join(app, 'node_modules/conduit-link/dist');
    const outside = new Set<string>();
    for (const file of readdirSync(dist, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.js'))) {
      // Parsed, so that a comment naming a module does not count.
      const { program } = parseSync(file, readFileSync(join(dist, file), 'utf8'));
      for (const statement of program.body) {
        const specifier = 'source' in statement ? statement.source?.value : undefined;
        if (specifier && !specifier.startsWith('.')) outside.add(specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/'));
      }
    }
    assert.deepEqual([...outside].sort(), ['@lit/localize', '@lit/react', 'lit', 'react']);
  });

  it("installs beside the partner's React 19 with no copies of its own, and builds with Vite without a warning", () => {
    const installed = JSON.parse(readFileSync(join(app, 'node_modules/conduit-link/package.json'), 'utf8')) as PackageJson;
    assert.equal(installed.version, REPO_PACKAGE.version);
    const react = JSON.parse(readFileSync(join(app, 'node_modules/react/package.json'), 'utf8')) as { version: string };
    assert.equal(react.version.split('.')[0], '19', 'a React 19 app');
    assert(!existsSync(join(app, 'node_modules/conduit-link/node_modules')), 'no nested copies of Lit or React under conduit-link');
    assert.deepEqual(buildWarnings, [], "Vite's warnings");
  });

  it("typechecks strictly: the React component's on… props are the typed events", async () => {
    const tsc = join(REPO, 'node_modules/.bin/tsc');
    await runOrExplain(tsc, ['-p', 'tsconfig.json'], { cwd: app, timeout: 120_000 });
    // The check can fail: the mistake the app expects, without its @ts-expect-error.
    const wrong = await run(tsc, ['-p', 'tsconfig.wrong.json'], { cwd: app, timeout: 120_000 }).then(
      () => null,
      (error: { stdout?: string }) => error.stdout ?? '',
    );
    assert.notEqual(wrong, null, 'tsc refuses event.apiKey');
    assert.match(wrong!, /wrong\.ts.*Property 'apiKey' does not exist on type 'ConduitConnectionEvent'/);
  });

  it('imports in Node without a DOM, as server-side rendering does', async () => {
    const script = `
      const index = await import('conduit-link');
      const define = await import('conduit-link/define.js');
      const react = await import('conduit-link/react');
      if (typeof index.ConduitConnectionEvent !== 'function') throw new Error('conduit-link exports no ConduitConnectionEvent');
      if (define.ConduitLink !== index.ConduitLink) throw new Error('define.js re-exports another ConduitLink');
      const { createElement } = await import('react');
      const { renderToString } = await import('react-dom/server');
      console.log(renderToString(createElement(react.ConduitLink, { backendUrl: 'https://api.example.com', companyId: 'c1', partnerName: 'Northwind Capital' })));
    `;
    const { stdout } = await runOrExplain(process.execPath, ['--input-type=module', '-e', script], { cwd: app, timeout: 60_000 });
    assert.match(stdout, /<conduit-link[\s>]/, 'React renders the element on the server');
  });

  it('a React 19 app: the on… props get each event as its class, and so does a listener on document', { timeout: 120_000 }, async () => {
    const companyId = 'package-react';
    const { report, result: log } = await onPage('/index.html', companyId, async ({ page, flow }) => {
      await connectAcmeAndFinish(flow);
      await page.locator('#finished').waitFor();
      return (await page.evaluate('window.conduitLog')) as ReactLog;
    });
    const id = await assertJourney(log.props, companyId);
    assert.deepEqual(log.document, log.props, 'document listeners got the same events, in the same order');
    assert(log.elementIsTheClass, "the element is the package's ConduitLink class");

    const typed = (type: string) => log.typed.find((entry) => entry.type === type);
    assert.deepEqual(typed('conduit-connection'), { type: 'conduit-connection', connectionId: id, siteName: 'Acme Inc', apiKey: 'absent' });
    assert.deepEqual(typed('conduit-finish'), { type: 'conduit-finish', connectionId: id });
    assert.deepEqual(typed('conduit-ready'), { type: 'conduit-ready', integrations: ['chargify'] });
    assert.equal(log.documentConnectionId, id);
    assertQuiet(report);
  });

  it('a plain page: `conduit-link/define.js` upgrades the markup, and document listeners get each event as its class', { timeout: 120_000 }, async () => {
    const companyId = 'package-plain';
    const { report, result: log } = await onPage('/plain.html', companyId, async ({ page, flow }) => {
      await connectAcmeAndFinish(flow);
      await page.locator('#event-log').getByText('conduit-finish').waitFor();
      return (await page.evaluate('window.conduitLog')) as PlainLog;
    });
    await assertJourney(log.document, companyId);
    assert(log.elementIsTheClass, "<conduit-link> is the package's ConduitLink class");
    assertQuiet(report);
  });

  it('two copies on one page: no exception, and a warning names both versions', { timeout: 120_000 }, async () => {
    // Another class holds the tag already: ours is ignored for it, and says so.
    const { report: clash, result } = await onPage('/clash.html', 'package-clash', async ({ page }) => {
      await page.waitForFunction('window.clash !== undefined');
      return (await page.evaluate('window.clash')) as { linkVersion: string; linkIsOurs: boolean; pickerIsOurs: boolean };
    });
    assert.deepEqual(clash.pageErrors, [], 'uncaught errors');
    assert.deepEqual(clash.consoleErrors, [], 'console errors');
    assert.deepEqual(result, { linkVersion: OTHER_VERSION, linkIsOurs: false, pickerIsOurs: true }, 'the first definition wins; the other tags it defines at once are ours');
    assert.deepEqual(
      clash.consoleWarnings,
      [`<conduit-link> is already defined by conduit-link ${OTHER_VERSION}; keeping it and ignoring this copy, ${REPO_PACKAGE.version}.`],
      'one warning, naming both versions',
    );

    // The package's single-file bundle (from the tarball, as a CDN serves it) on a page built from npm.
    const { report: twice } = await onPage('/plain.html', 'package-twice', async ({ page, flow }) => {
      await flow.getByText('Chargify', { exact: true }).waitFor();
      await page.addScriptTag({ url: '/vendor/conduit-link.bundle.js', type: 'module' });
      // The bundle warns as it runs; a round trip lets its messages arrive.
      await page.evaluate('new Promise((resolve) => setTimeout(resolve, 200))');
      await toPermissions(flow);
      await flow.getByRole('heading', { name: spoken('Connect to Chargify') }).waitFor();
    });
    assert.deepEqual(twice.pageErrors, [], 'uncaught errors');
    assert.deepEqual(twice.consoleErrors, [], 'console errors');
    // The tags the bundle defines as it runs; its later steps load only for its own <conduit-link>, which never runs here.
    const tags = ['conduit-link', 'conduit-integration-picker', 'conduit-support-reference'];
    assert.deepEqual(
      [...twice.consoleWarnings].sort(),
      tags
        .map((tag) => `<${tag}> is already defined by conduit-link ${REPO_PACKAGE.version}; keeping it and ignoring this copy, ${REPO_PACKAGE.version}.`)
        .sort(),
      'a warning for each tag, naming both copies’ versions',
    );
  });
});
