// `npm run screenshots`: pictures of every step in light, dark, Arabic and at
// 320 px, from the built single-file bundle against the reference backend
// (Chargify simulated), for the README and ACCESSIBILITY.md.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { startBackendStack } from '../test/e2e/stack.js';
import { DIST, withBuiltDist } from '../test/e2e/built-dist.js';
import { DEMO_KEYS, DEMO_SUBDOMAINS } from '../mocks/chargify.js';
import { CHROMIUM_ARGS, findChromium } from './chromium.js';
import { startPageServer } from './page-server.js';

const OUT = 'docs/screenshots';

interface Variant {
  name: string;
  theme: 'light' | 'dark';
  locale: string;
  width: number;
}

const VARIANTS: Variant[] = [
  { name: 'light', theme: 'light', locale: 'en', width: 600 },
  { name: 'dark', theme: 'dark', locale: 'en', width: 600 },
  { name: 'arabic', theme: 'light', locale: 'ar', width: 600 },
  { name: 'narrow', theme: 'light', locale: 'en', width: 320 },
];

function page(variant: Variant, backendUrl: string, token: string, companyId: string): string {
  const background = variant.theme === 'dark' ? '#0b0c10' : '#eef0f5';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body { margin: 0; padding: 12px; background: ${background}; font-family: system-ui; }</style>
<script type="module" src="/conduit-link.bundle.js"></script></head><body>
<conduit-link backend-url="${backendUrl}" company-id="${companyId}" session-token="${token}"
  partner-name="Northwind Capital" theme="${variant.theme}" locale="${variant.locale}"></conduit-link>
</body></html>`;
}

async function shoot(target: Page, file: string): Promise<void> {
  // Let focus rings and the announcement settle, then picture the card only.
  await target.waitForTimeout(250);
  await target.locator('conduit-link').screenshot({ path: join(OUT, file), animations: 'disabled' });
  console.log(`  ${file}`);
}

await withBuiltDist(['bundle'], () => undefined);
const stack = await startBackendStack({ name: 'screenshots' });
const server = await startPageServer(DIST);
const { origin } = server;
stack.allowedOrigins.push(origin);

const executablePath = findChromium();
if (!executablePath) throw new Error('No Chromium found: install Debian’s chromium or set CHROME_PATH.');
const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
mkdirSync(OUT, { recursive: true });

try {
  for (const variant of VARIANTS) {
    console.log(variant.name);
    const companyId = `screenshots-${variant.name}`;
    const token = await stack.mintSession(companyId);
    server.page(`/${variant.name}.html`, page(variant, stack.url, token, companyId));

    const tab = await browser.newPage({ viewport: { width: variant.width, height: 900 }, colorScheme: variant.theme });
    await tab.goto(`${origin}/${variant.name}.html`);
    const flow = tab.locator('conduit-link');
    const next = flow.locator('[part="primary-button"]');

    await flow.locator('.tile').first().click();
    await shoot(tab, `${variant.name}-1-picker.png`);
    await next.click();
    await flow.locator('conduit-permissions').waitFor();
    await shoot(tab, `${variant.name}-2-permissions.png`);
    await next.click();
    await flow.locator('#subdomain').fill(DEMO_SUBDOMAINS.acme);
    await flow.locator('#api-key').fill('chg_wrong_key');
    await next.click();
    await flow.locator('.field-error, .alert:not(:empty)').first().waitFor();
    await shoot(tab, `${variant.name}-3-credentials-error.png`);
    await flow.locator('#api-key').fill(DEMO_KEYS.acmeAdmin);
    await next.click();
    await flow.locator('conduit-success').waitFor();
    await shoot(tab, `${variant.name}-4-success.png`);
    await tab.close();
  }
} finally {
  await browser.close();
  await server.close();
  await stack.stop();
}
