// The reference backend as a partner installs it (issue 18): `npm pack` of
// server/, installed with npm into a fresh folder outside the repo. Its bin
// starts from the environment on SQLite and answers its health check; its
// library, imported by name there, links a Chargify connection against the
// simulated Chargify through an injected fetch; its types check in a partner's
// TypeScript; and a database driver that is not installed is named, not crashed on.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { getResponse } from 'msw';
import { ACME_SITE, chargifyHandlers, DEMO_KEYS } from '../../mocks/chargify.js';
import { REPO, requireBuilt } from './built-dist.js';
import { runOrExplain } from './run.js';

const SERVER = join(REPO, 'server');
const PARTNER_SECRET = 'partner-secret-for-the-package-test-7d1e0b93c4a2';

/** The package's sources, for a warning when its build is older than them. */
function serverSources(): string[] {
  const sources = readdirSync(SERVER, { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith('.ts') && !path.startsWith('dist'))
    .map((path) => join(SERVER, path));
  return [...sources, join(SERVER, 'package.json'), join(REPO, 'src', 'backend', 'types.ts')];
}

/** The version the repo has installed, so npm finds it in the cache the repo's install filled. */
function installedVersion(name: string): string {
  return (JSON.parse(readFileSync(join(REPO, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
}

interface Packed {
  filename: string;
  files: { path: string }[];
}

interface Exited {
  code: number | null;
  stderr: string;
}

/** Runs the installed bin to its end, with only `env` (and PATH) set: what a deployment's environment gives it. */
function runBin(app: string, env: Record<string, string>): Promise<Exited> {
  return new Promise((resolve) => {
    const child = spawn(join(app, 'node_modules', '.bin', 'conduit-link-server'), [], { cwd: app, env: { PATH: process.env.PATH, ...env } });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

const CONSUMER = `
import { createChargifyVerifier, createHandler, openStore, type Handler, type Store } from 'conduit-link-server';

const store: Store = await openStore(process.env.CONDUIT_DB ?? '.data/conduit.sqlite');
const handler: Handler = createHandler({
  store,
  chargify: createChargifyVerifier({ timeoutMs: 10_000 }),
  clock: { now: () => new Date() },
  settings: { partnerSecret: process.env.PARTNER_SECRET!, secretKey: Buffer.from(process.env.SECRET_KEY!, 'hex'), allowedOrigins: [] },
});
const response: Response = await handler(new Request('http://localhost/health'));
console.log(response.status);
// @ts-expect-error: a store opens from a CONDUIT_DB value, a string; fails if the types say any.
await openStore(8787);
`;

describe('the packed backend package in a fresh folder', { timeout: 110_000 }, () => {
  let scratch: string;
  let app: string;
  let packed: Packed;
  const installed = (name: string) => existsSync(join(app, 'node_modules', name));

  before(async () => {
    // Packed from what `npm run build` wrote (npm test builds before any test runs), not built here: see built-dist.ts.
    requireBuilt(['index.js', 'index.d.ts', 'bin.js'].map((file) => join(SERVER, 'dist', 'server', file)), 'npm run build', serverSources());
    scratch = mkdtempSync(join(tmpdir(), 'conduit-server-package-'));
    const { stdout } = await runOrExplain('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', scratch], { cwd: SERVER, timeout: 60_000 });
    [packed] = JSON.parse(stdout) as [Packed];

    // The package alone first, from the npm cache where it can: its optional peers stay out.
    app = join(scratch, 'app');
    mkdirSync(app);
    const dependencies = { 'conduit-link-server': `file:${join(scratch, packed.filename)}` };
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'partner-backend', private: true, type: 'module', dependencies }, null, 2));
    await runOrExplain('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: app, timeout: 60_000 });
  });
  after(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('holds built JavaScript with types and the contract, and pulls in no simulator, MSW or database driver', () => {
    const paths = packed.files.map(({ path }) => path);
    for (const file of ['dist/server/index.js', 'dist/server/index.d.ts', 'dist/server/bin.js', 'dist/src/backend/types.d.ts', 'openapi.yaml']) {
      assert.ok(paths.includes(file), `${file} in ${paths.join(', ')}`);
    }
    assert.deepEqual(
      paths.filter((path) => /(^|\/)mocks\/|\.ts$/.test(path) && !path.endsWith('.d.ts')),
      [],
      'no TypeScript sources and nothing of mocks/',
    );
    const manifest = JSON.parse(readFileSync(join(app, 'node_modules', 'conduit-link-server', 'package.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(manifest.dependencies, undefined);
    assert.deepEqual(manifest.peerDependenciesMeta, { 'better-sqlite3': { optional: true }, pg: { optional: true } });
    for (const name of ['msw', 'better-sqlite3', 'pg', 'tsx']) assert.equal(installed(name), false, `${name} installed`);
  });

  it('names the driver to install when the database needs one that is missing', async () => {
    const sqlite = await runBin(app, { CONDUIT_DB: 'data/conduit.sqlite' });
    assert.equal(sqlite.code, 1);
    assert.match(sqlite.stderr, /CONDUIT_DB names a SQLite file, but the `better-sqlite3` package is not installed.*npm install better-sqlite3/);
    // Nothing listens on port 1: the driver is looked for before any connection is tried.
    const postgres = await runBin(app, { CONDUIT_DB: 'postgres://conduit@127.0.0.1:1/conduit' });
    assert.equal(postgres.code, 1);
    assert.match(postgres.stderr, /`pg` package is not installed: npm install pg/);
  });

  describe('with better-sqlite3 installed beside it', () => {
    before(async () => {
      // Its install script would compile it from source here (minutes: no prebuilt binary
      // can be downloaded), so it is installed without scripts and given the addon the
      // repo's install compiled, the same version for the same Node.
      const version = installedVersion('better-sqlite3');
      await runOrExplain('npm', ['install', `better-sqlite3@${version}`, '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: app, timeout: 60_000 });
      const addon = join('build', 'Release', 'better_sqlite3.node');
      mkdirSync(join(app, 'node_modules', 'better-sqlite3', 'build', 'Release'), { recursive: true });
      copyFileSync(join(REPO, 'node_modules', 'better-sqlite3', addon), join(app, 'node_modules', 'better-sqlite3', addon));
    });

    it('starts from the environment on SQLite and answers its health check', async () => {
      const child = spawn(join(app, 'node_modules', '.bin', 'conduit-link-server'), [], {
        cwd: app,
        env: { PATH: process.env.PATH, PORT: '0' },
      });
      let stderr = '';
      child.stderr.on('data', (chunk) => (stderr += chunk));
      const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
      try {
        const events: Record<string, Record<string, unknown>> = {};
        for await (const line of createInterface({ input: child.stdout })) {
          const entry = JSON.parse(line) as Record<string, unknown>;
          events[entry.event as string] = entry;
          if (entry.event === 'listening') break;
        }
        assert.ok(events.listening, `it never listened: ${stderr}`);
        // No CHARGIFY_MODE: the package has no simulator, so it calls the live Chargify.
        assert.equal(events['startup.security']?.mode, 'live');
        const health = await fetch(`http://127.0.0.1:${events.listening.port}/health`);
        assert.equal(health.status, 200);
        assert.deepEqual(await health.json(), { status: 'ok' });
        // CONDUIT_DB's default, and the secrets generated beside it on a first start.
        for (const file of ['conduit.sqlite', 'secret.key', 'partner.secret']) assert.ok(existsSync(join(app, '.data', file)), file);
      } finally {
        child.kill('SIGTERM');
      }
      assert.equal(await exited, 0, `stopped on SIGTERM: ${stderr}`);
    });

    it('imported by name, mounts the contract and links a key against the simulated Chargify through an injected fetch', async () => {
      // Resolved as the partner's own code resolves it: from their folder, through the package's exports map.
      const entry = createRequire(join(app, 'package.json')).resolve('conduit-link-server');
      const server = (await import(pathToFileURL(entry).href)) as typeof import('../../server/index.js');
      const asked: string[] = [];
      const simulated: typeof fetch = async (input, init) => {
        const request = new Request(input, init);
        asked.push(`${request.method} ${request.url}`);
        return (await getResponse(chargifyHandlers, request)) ?? new Response('No simulated answer.', { status: 500 });
      };
      const store = await server.openStore(join(app, 'library', 'conduit.sqlite'));
      try {
        const handler = server.createHandler({
          store,
          chargify: server.createChargifyVerifier({ fetch: simulated, timeoutMs: 5_000 }),
          clock: { now: () => new Date() },
          settings: { partnerSecret: PARTNER_SECRET, secretKey: randomBytes(32), allowedOrigins: [] },
          log: server.createLogger(() => {}),
        });
        const call = async (method: string, path: string, bearer: string, body: unknown) => {
          const response = await handler(
            new Request(`http://backend.test${path}`, {
              method,
              headers: { Authorization: `Bearer ${bearer}`, 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID() },
              body: JSON.stringify(body),
            }),
          );
          return { status: response.status, body: (await response.json()) as Record<string, any> };
        };
        const session = await call('POST', '/sessions', PARTNER_SECRET, { companyId: 'partner-co', companyName: 'Partner Co' });
        assert.equal(session.status, 201);
        const token = session.body.token as string;
        const pending = await call('POST', '/companies/partner-co/connections', token, { platformKey: 'chargify' });
        assert.equal(pending.status, 201);
        const linked = await call('PUT', `/companies/partner-co/connections/${pending.body.id}/authorization`, token, {
          apiKey: DEMO_KEYS.acmeAdmin,
          subdomain: ACME_SITE.subdomain,
          region: 'US',
        });
        assert.equal(linked.status, 200, JSON.stringify(linked.body));
        assert.equal(linked.body.status, 'Linked');
        assert.equal(linked.body.connectionInfo.siteName, ACME_SITE.name);
        assert.deepEqual(asked, ['GET https://acme.chargify.com/site.json']);
      } finally {
        await store.close();
      }
    });

    it('type-checks in a partner’s strict TypeScript', async () => {
      writeFileSync(join(app, 'consumer.ts'), CONSUMER);
      const tsconfig = {
        compilerOptions: {
          strict: true,
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          noEmit: true,
          // The package's own declarations are checked too; Node's types are the partner's, here the repo's.
          skipLibCheck: false,
          typeRoots: [join(REPO, 'node_modules', '@types')],
          types: ['node'],
        },
        files: ['consumer.ts'],
      };
      writeFileSync(join(app, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
      await runOrExplain(join(REPO, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json'], { cwd: app, timeout: 60_000 });
    });
  });
});
