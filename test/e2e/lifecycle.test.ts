// The connection's life after the first day (issue 17), end to end: the CDN
// bundle on a partner page in Chromium, against the reference backend with
// simulated Chargify. A key replaced keeps its connection; a key revoked in
// Chargify shows the deauthorized screen, then takes a new key; disconnect asks
// first; a hand-off finishes in a second browser context while the first page
// watches, and the link works once; a pending connection is resumed.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { DEMO_KEYS, DEMO_SUBDOMAINS, restoreKeys, revokeKey } from '../../mocks/chargify.js';
import { closeServer, launchChromium, listen, spoken } from './browser.js';
import { cdnFiles, withBuiltDist } from './built-dist.js';
import { submitCredentials, toCredentials, visitPage } from './journey.js';
import { startBackendStack, type BackendStack } from './stack.js';

const REFUSED = "Chargify didn't accept this API key for this site.";
const OFFER = "I don't have the admin key — send this step to a colleague";

/** The partner's page: the flow for `company`, every event's type and reason kept in `window.conduitLog`. */
function page(backendUrl: string, attributes: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Lifecycle</title><link rel="icon" href="data:,">
<script type="module" src="/conduit-link.bundle.js"></script></head><body>
<conduit-link backend-url="${backendUrl}" partner-name="Northwind Capital" ${attributes}></conduit-link>
<script>
  window.conduitLog = [];
  for (const type of ['conduit-connection', 'conduit-disconnect', 'conduit-handoff']) {
    document.addEventListener(type, (event) => window.conduitLog.push({ type, connectionId: event.connectionId, reason: event.reason }));
  }
</script></body></html>`;
}

describe('the connection after the first day, against the reference backend, in Chromium', () => {
  let stack: BackendStack;
  let server: Server;
  let origin: string;
  let browser: Browser;

  before(async () => {
    const cdn = await withBuiltDist(['bundle'], cdnFiles);
    stack = await startBackendStack({ name: 'lifecycle' });
    server = createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://host');
      const send = (html: string) => response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(html);
      if (cdn.has(url.pathname)) {
        response.writeHead(200, { 'Content-Type': 'text/javascript' }).end(cdn.get(url.pathname));
      } else if (url.pathname === '/') {
        const company = url.searchParams.get('company') ?? '';
        stack.mintSession(company).then(
          (token) => send(page(stack.url, `company-id="${company}" session-token="${token}" handoff-url="${origin}/colleague"`)),
          (error: unknown) => response.writeHead(500).end(String(error)),
        );
      } else if (url.pathname === '/colleague') {
        send(page(stack.url, `handoff-token="${url.searchParams.get('conduit_handoff') ?? ''}"`));
      } else {
        response.writeHead(404).end();
      }
    });
    origin = await listen(server);
    stack.allowedOrigins.push(origin);
    browser = await launchChromium();
  });

  after(async () => {
    restoreKeys();
    await browser?.close();
    await closeServer(server);
    await stack?.stop();
  });

  const heading = (flow: Locator, name: string | RegExp) => flow.getByRole('heading', { name }).waitFor();
  const log = (page: Page) => page.evaluate('window.conduitLog') as Promise<{ type: string; connectionId?: string; reason?: string }[]>;

  async function connectAcme(flow: Locator): Promise<void> {
    await toCredentials(flow);
    await submitCredentials(flow, DEMO_SUBDOMAINS.acme, DEMO_KEYS.acmeAdmin);
    await heading(flow, 'Chargify connected');
  }

  async function connections(company: string) {
    return stack.store.listConnections(company);
  }

  it("replaces the key with the same site's new key (same connection), and refuses another site's key", async () => {
    const company = 'life-replace';
    const url = `${origin}/?company=${company}`;
    await visitPage(browser, url, async ({ page, flow }) => {
      await connectAcme(flow);
      const [first] = await connections(company);
      await page.reload();
      await heading(flow, 'Chargify is already connected');
      await flow.getByRole('button', { name: 'Replace API key' }).click();
      await flow.getByLabel('API key').fill(DEMO_KEYS.euroShopAdmin);
      await flow.getByRole('button', { name: 'Continue' }).click();
      await flow.getByText(REFUSED).waitFor();
      assert.equal((await connections(company))[0]!.status, 'Linked', 'a refused key changes nothing');
      await flow.getByLabel('API key').fill(DEMO_KEYS.acmeRotated);
      await flow.getByRole('button', { name: 'Continue' }).click();
      await heading(flow, 'Chargify connected');
      const after = await connections(company);
      assert.deepEqual(after.map((connection) => [connection.id, connection.status]), [[first!.id, 'Linked']]);
      assert.deepEqual((await log(page)).at(-1), { type: 'conduit-connection', connectionId: first!.id, reason: 'key-replaced' });
    });
  });

  it('a key revoked in Chargify: the deauthorized screen on opening, then a new key', async () => {
    const company = 'life-revoked';
    const url = `${origin}/?company=${company}`;
    try {
      await visitPage(browser, url, async ({ page, flow }) => {
        await connectAcme(flow);
        revokeKey(DEMO_KEYS.acmeAdmin);
        await page.reload();
        await heading(flow, 'Chargify no longer accepts the key');
        await flow.getByRole('button', { name: 'Enter a new key' }).click();
        await flow.getByLabel('API key').fill(DEMO_KEYS.acmeRotated);
        await flow.getByRole('button', { name: 'Continue' }).click();
        await heading(flow, 'Chargify connected');
        const [connection] = await connections(company);
        assert.equal(connection!.status, 'Linked');
        assert.deepEqual((await log(page)).at(-1), { type: 'conduit-connection', connectionId: connection!.id, reason: 'key-replaced' });
      });
    } finally {
      restoreKeys();
    }
  });

  it('disconnects after a confirmation, then shows the picker', async () => {
    const company = 'life-disconnect';
    await visitPage(browser, `${origin}/?company=${company}`, async ({ page, flow }) => {
      await connectAcme(flow);
      await page.reload();
      await flow.getByRole('button', { name: 'Disconnect Chargify' }).click();
      await heading(flow, spoken('Disconnect Acme Inc?'));
      await flow.getByRole('button', { name: 'Disconnect', exact: true }).click();
      await flow.getByText('Chargify', { exact: true }).waitFor();
      const [connection] = await connections(company);
      assert.equal(connection!.status, 'Unlinked');
      assert.deepEqual((await log(page)).at(-1), { type: 'conduit-disconnect', connectionId: connection!.id, reason: undefined });
    });
  });

  it('hands the credentials step to a colleague in another browser, watches it land, and the link works once', { timeout: 60_000 }, async () => {
    const company = 'life-handoff';
    await visitPage(browser, `${origin}/?company=${company}`, async ({ page, flow }) => {
      await toCredentials(flow);
      await flow.getByRole('button', { name: OFFER }).click();
      await heading(flow, 'Send this step to a colleague');
      const link = (await flow.getByText(/conduit_handoff=/).first().textContent())!.trim();
      assert(link.startsWith(`${origin}/colleague?conduit_handoff=`), link);
      await flow.getByRole('button', { name: "I've sent it" }).click();
      await heading(flow, 'Waiting for your colleague…');

      // The colleague, in a browser context of their own.
      await visitPage(browser, link, async ({ flow: theirs }) => {
        await theirs.getByRole('button', { name: 'Next' }).click();
        await theirs.getByRole('button', { name: 'Next' }).click();
        await submitCredentials(theirs, DEMO_SUBDOMAINS.acme, DEMO_KEYS.acmeAdmin);
        await heading(theirs, 'Chargify connected');
      });
      await flow.getByRole('heading', { name: 'Chargify connected' }).waitFor({ timeout: 30_000 });
      const [connection] = await connections(company);
      assert.equal(connection!.status, 'Linked');
      assert.deepEqual((await log(page)).at(-1), { type: 'conduit-connection', connectionId: connection!.id, reason: 'handoff' });

      await visitPage(browser, link, async ({ flow: again }) => {
        await again.getByText('This link has been used, has expired or was withdrawn. Ask for a new one.').waitFor();
        assert.equal(await again.getByRole('button').count(), 0, 'nothing else offered');
      });
    });
  });

  it('resumes a pending connection after a reload instead of creating another', async () => {
    const company = 'life-resume';
    await visitPage(browser, `${origin}/?company=${company}`, async ({ page, flow }) => {
      await toCredentials(flow);
      await submitCredentials(flow, DEMO_SUBDOMAINS.acme, 'chg_wrong_key_for_resume');
      await flow.getByText(REFUSED).waitFor();
      await page.reload();
      await toCredentials(flow);
      await submitCredentials(flow, DEMO_SUBDOMAINS.acme, DEMO_KEYS.acmeAdmin);
      await heading(flow, 'Chargify connected');
      assert.deepEqual((await connections(company)).map((connection) => connection.status), ['Linked']);
    });
  });
});
