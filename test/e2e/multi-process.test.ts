// Two reference backend processes on one Postgres behind a round-robin proxy
// (issue 18), end to end: the CDN bundle on a partner page in Chromium walks
// the same journey as against one process on SQLite, each request landing on
// either process; and when one process is killed mid-flow, the other finishes it.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { Browser, Locator } from 'playwright-core';
import { DEMO_KEYS, DEMO_SUBDOMAINS } from '../../mocks/chargify.js';
import { openPostgresStore } from '../../server/store/postgres.js';
import type { Store } from '../../server/store/store.js';
import { freshDatabase } from '../server/postgres-support.js';
import { closeServer, launchChromium, listen } from './browser.js';
import { cdnFiles, withBuiltDist } from './built-dist.js';
import { submitCredentials, toCredentials, visitPage } from './journey.js';
import { explainedBy, startBackendProcess, startRoundRobinProxy, type BackendProcess, type RoundRobinProxy } from './multi-process.js';

const REFUSED = "Chargify didn't accept this API key for this site.";

function page(backendUrl: string, company: string, token: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Two backends</title><link rel="icon" href="data:,">
<script type="module" src="/conduit-link.bundle.js"></script></head><body>
<conduit-link backend-url="${backendUrl}" partner-name="Northwind Capital" company-id="${company}" session-token="${token}"></conduit-link>
</body></html>`;
}

describe('two backend processes on one Postgres, behind a round-robin proxy, in Chromium', () => {
  const partnerSecret = randomBytes(32).toString('base64url');
  let backends: BackendProcess[] = [];
  let proxy: RoundRobinProxy;
  let store: Store;
  let server: Server;
  let origin: string;
  let browser: Browser;

  before(async () => {
    const cdn = await withBuiltDist(['bundle'], cdnFiles);
    const postgresUrl = await freshDatabase();
    // The partner's page: its server mints each page's session through the proxy, as through its load balancer.
    server = createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://host');
      if (cdn.has(url.pathname)) {
        response.writeHead(200, { 'Content-Type': 'text/javascript' }).end(cdn.get(url.pathname));
      } else if (url.pathname === '/') {
        const company = url.searchParams.get('company') ?? '';
        mintSession(company).then(
          (token) => response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(page(proxy.url, company, token)),
          (error: unknown) => response.writeHead(500).end(String(error)),
        );
      } else {
        response.writeHead(404).end();
      }
    });
    origin = await listen(server);
    // Started together, as a deployment's processes are: they migrate the new database once, between them.
    const environment = { postgresUrl, partnerSecret, secretKey: randomBytes(32).toString('hex'), allowedOrigins: [origin] };
    backends = await Promise.all([startBackendProcess(environment), startBackendProcess(environment)]);
    proxy = await startRoundRobinProxy(backends.map((backend) => backend.url));
    store = await openPostgresStore(postgresUrl, { poolSize: 2 });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await closeServer(server);
    await proxy?.close();
    await Promise.all(backends.map((backend) => backend.kill()));
    await store?.close();
  });

  async function mintSession(companyId: string): Promise<string> {
    const minted = await fetch(`${proxy.url}/sessions`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${partnerSecret}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ companyId, companyName: 'Acme Inc' }),
    });
    assert.equal(minted.status, 201, 'the backends mint a session');
    return ((await minted.json()) as { token: string }).token;
  }

  const heading = (flow: Locator, name: string) => flow.getByRole('heading', { name }).waitFor();

  it('refuses a wrong key, connects with the right one, and shows the connection on reload, whichever process answers', async () => {
    const company = 'multi-journey';
    const before = proxy.answeredBy.length;
    await explainedBy(backends, () =>
      visitPage(browser, `${origin}/?company=${company}`, async ({ page, flow }) => {
        await toCredentials(flow);
        await submitCredentials(flow, DEMO_SUBDOMAINS.acme, 'chg_not_the_key');
        await flow.getByText(REFUSED).waitFor();
        await submitCredentials(flow, DEMO_SUBDOMAINS.acme, DEMO_KEYS.acmeAdmin);
        await heading(flow, 'Chargify connected');
        await flow.getByText('Acme Inc').waitFor();
        await page.reload();
        await heading(flow, 'Chargify is already connected');
      }),
    );
    const answered = proxy.answeredBy.slice(before);
    for (const backend of backends) assert.ok(answered.includes(backend.url), `${backend.url} answered part of the journey`);
    assert.deepEqual((await store.listConnections(company)).map((connection) => connection.status), ['Linked']);
  });

  it('finishes the flow on the other process when one is killed mid-flow', async () => {
    const company = 'multi-killed';
    const [doomed, survivor] = backends as [BackendProcess, BackendProcess];
    await explainedBy(backends, () =>
      visitPage(browser, `${origin}/?company=${company}`, async ({ flow }) => {
        await toCredentials(flow);
        // Everything so far — the session, the pending connection — is in Postgres, not in the doomed process.
        await doomed.kill();
        const killedAt = proxy.answeredBy.length;
        const failoversBefore = proxy.failovers;
        // The flow's next request meets the dead process first, as it would on a load balancer that has not noticed yet.
        proxy.aimNextAt(doomed.url);
        await submitCredentials(flow, DEMO_SUBDOMAINS.acme, DEMO_KEYS.acmeAdmin);
        await heading(flow, 'Chargify connected');
        const after = proxy.answeredBy.slice(killedAt);
        assert.ok(after.length > 0 && after.every((url) => url === survivor.url), 'the survivor answered everything after the kill');
        assert.ok(proxy.failovers > failoversBefore, 'the request meant for the killed process went to the survivor');
      }),
    );
    assert.deepEqual((await store.listConnections(company)).map((connection) => connection.status), ['Linked']);
  });
});
