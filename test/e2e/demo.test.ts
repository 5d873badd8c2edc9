// The whole product as a partner runs it: the reference backend over HTTP
// (SQLite, simulated Chargify), the demo page served by Vite with its partner
// server, and Debian's Chromium driving the flow like a user.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { launchChromium } from './browser.js';
import { submitCredentials, toCredentials } from './journey.js';
import { startBackendStack, type BackendStack } from './stack.js';


describe('the demo against the real backend, in Chromium', () => {
  let stack: BackendStack;
  let demo: ViteDevServer;
  let browser: Browser;
  let demoUrl: string;

  before(async () => {
    stack = await startBackendStack({ name: 'e2e' });

    process.env.CONDUIT_BACKEND_URL = stack.url;
    process.env.CONDUIT_PARTNER_SECRET = stack.partnerSecret;
    process.env.DEMO_PORT = '0';
    demo = await createServer({ configFile: 'demo/vite.config.ts', logLevel: 'silent', server: { strictPort: false } });
    await demo.listen();
    demoUrl = demo.resolvedUrls!.local[0]!;
    stack.allowedOrigins.push(new URL(demoUrl).origin);

    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await demo?.close();
    await stack?.stop();
  });

  async function openDemo(): Promise<Page> {
    const page = await browser.newPage();
    await page.goto(demoUrl);
    return page;
  }

  it('rejects a wrong key with a clear message, then connects acme with the demo key', async () => {
    const page = await openDemo();
    const flow = page.locator('#inline-flow');
    await toCredentials(flow);
    await submitCredentials(flow, 'acme', 'chg_not_the_key');
    await flow.getByText("Chargify didn't accept this API key").waitFor();
    assert.equal(await flow.getByLabel('API key').inputValue(), '', 'the rejected key is cleared');

    await submitCredentials(flow, 'acme', 'chg_demo_acme_admin');
    await flow.getByRole('heading', { name: 'Chargify connected' }).waitFor();
    await flow.getByText('Acme Inc').waitFor();
    assert.match(await page.locator('#event-log').innerText(), /conduit-connection /);

    // The backend kept it: the modal, opened afresh, shows the connection instead of the form.
    await page.getByRole('button', { name: 'Connect your billing system' }).click();
    await page.locator('#modal-flow').getByRole('heading', { name: 'Chargify is already connected' }).waitFor();
    const [connection] = await stack.store.listConnections('acme-inc');
    assert.equal(connection?.status, 'Linked');
    await page.close();
  });
});
