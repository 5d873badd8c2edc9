// The flow on a partner page under the strictest policy a partner might run
// (issue 4, item 4): nonce-only scripts with 'strict-dynamic', nonce-only styles,
// connections to the backend alone, and Trusted Types required. The page is
// demo/csp/ and the shipped single-file bundle, served by a plain Node server
// (Vite's dev server would inject inline scripts), against the reference
// backend with simulated Chargify. Each journey must end with no violation
// reported; a first test shows that violations, when they happen, are seen.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { closeServer, launchChromium, listen, spoken } from './browser.js';
import { cdnFiles, REPO, withBuiltDist } from './built-dist.js';
import { submitCredentials, toCredentials, toPermissions, visitPage, type PageReport, type Visit } from './journey.js';
import { startBackendStack, type BackendStack } from './stack.js';
import { fillTemplate } from './template.js';

const PAGE_DIR = join(REPO, 'demo', 'csp');

/**
 * `nonce`: the policy partners are told to use. `none`: the same with
 * `style-src 'none'`, to show what the flow needs of style-src in Chromium.
 */
type StylePolicy = 'nonce' | 'none';

function contentSecurityPolicy(nonce: string, backendOrigin: string, styles: StylePolicy): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}' 'strict-dynamic'`,
    `style-src ${styles === 'nonce' ? `'nonce-${nonce}'` : "'none'"}`,
    `connect-src ${backendOrigin}`,
    "require-trusted-types-for 'script'",
    'trusted-types lit-html',
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

// In the page; it must not miss a violation, so it is in place before any of
// the page's own scripts run, and it hands each one to the test at once.
const REPORT_VIOLATIONS = `
  document.addEventListener('securitypolicyviolation', (event) => {
    window.reportCspViolation({
      directive: event.effectiveDirective,
      blocked: event.blockedURI,
      sample: event.sample,
      at: event.sourceFile + ':' + event.lineNumber + ':' + event.columnNumber,
    });
  }, true);
`;

// Chromium's own words for what a policy blocked (violations of any directive, Trusted Types).
const CSP_CONSOLE = /Content Security Policy|Trusted ?Type|TrustedHTML|TrustedScript/i;

interface Violation {
  directive: string;
  blocked: string;
  sample: string;
  at: string;
}

interface PageOptions {
  styles?: StylePolicy;
  /** Runs in the page before its own scripts. */
  initScript?: string;
}

interface StrictReport extends PageReport {
  violations: Violation[];
}

describe('the flow on a strict-CSP partner page, in Chromium', () => {
  let stack: BackendStack;
  let backendUrl: string;
  let host: Server;
  let hostUrl: string;
  let browser: Browser;
  let bootFailure: unknown;

  before(async () => {
    // In memory from here on: another test process may rebuild dist/ meanwhile.
    // The bundle, with the later steps and each language it imports when a reader needs them.
    const cdn = await withBuiltDist(['bundle'], cdnFiles);
    const hostScript = readFileSync(join(PAGE_DIR, 'host.js'));
    const pageTemplate = readFileSync(join(PAGE_DIR, 'index.html'), 'utf8');

    // The page server's calls to the backend are real HTTP: the simulated Chargify lets them through.
    stack = await startBackendStack({ name: 'csp' });
    backendUrl = stack.url;

    // The partner's server: mints a session token server to server for the
    // company in `?company=` and writes it into the page, so the page itself
    // connects to nothing but the backend and connect-src needs nothing else.
    async function renderPage(url: URL, nonce: string): Promise<string> {
      const companyId = url.searchParams.get('company') ?? 'csp-company';
      const token = await stack.mintSession(companyId);
      return fillTemplate(pageTemplate, { nonce, backendUrl, companyId, sessionToken: token });
    }

    host = createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://host');
      const nonce = randomBytes(16).toString('base64');
      const styles: StylePolicy = url.searchParams.get('styles') === 'none' ? 'none' : 'nonce';
      response.setHeader('Content-Security-Policy', contentSecurityPolicy(nonce, backendUrl, styles));
      response.setHeader('X-Content-Type-Options', 'nosniff');
      response.setHeader('Cache-Control', 'no-store');
      const send = (type: string, body: string | Buffer) => {
        response.setHeader('Content-Type', type);
        response.end(body);
      };
      if (url.pathname === '/') {
        renderPage(url, nonce).then(
          (page) => send('text/html; charset=utf-8', page),
          (error: unknown) => {
            response.statusCode = 500;
            send('text/plain', String(error));
          },
        );
      } else if (url.pathname === '/host.js') {
        send('text/javascript', hostScript);
      } else if (cdn.has(url.pathname)) {
        send('text/javascript', cdn.get(url.pathname)!);
      } else {
        response.statusCode = 404;
        send('text/plain', 'Not found');
      }
    });
    hostUrl = await listen(host);
    stack.allowedOrigins.push(hostUrl);

    browser = await launchChromium();

    // When the bundle cannot start at all (blocked, or missing a file it imports),
    // every test fails at once with why, rather than each timing out on its own.
    // (A locator, not waitForFunction: that evaluates a string, which this page forbids.)
    await onStrictPage('csp-boot', ({ flow }) => flow.getByText('Chargify', { exact: true }).waitFor()).catch((error: unknown) => {
      bootFailure = error;
    });
  });

  after(async () => {
    await browser?.close();
    await closeServer(host);
    await stack?.stop();
  });

  /**
   * Opens the page for a company of its own (so no test meets another's
   * connection) and walks `journey` on its inline flow; the report has the
   * policy's violations too.
   */
  async function onStrictPage(companyId: string, journey: (visit: Visit) => Promise<void>, options: PageOptions = {}): Promise<StrictReport> {
    if (bootFailure) throw bootFailure;
    const url = new URL(hostUrl);
    url.searchParams.set('company', companyId);
    if (options.styles) url.searchParams.set('styles', options.styles);
    const violations: Violation[] = [];
    const { report } = await visitPage(
      browser,
      url.href,
      async (visit) => {
        await journey(visit);
        // Violations are reported asynchronously; a round trip through the page lets any pending one arrive.
        await visit.page.evaluate('new Promise((resolve) => setTimeout(resolve, 100))');
      },
      {
        flow: '#inline-flow',
        beforeNavigation: async (page) => {
          await page.exposeFunction('reportCspViolation', (violation: Violation) => violations.push(violation));
          await page.addInitScript(REPORT_VIOLATIONS);
          if (options.initScript) await page.addInitScript(options.initScript);
        },
        alsoReported: () => ({ violations }),
      },
    );
    return { ...report, violations };
  }

  /** Nothing was blocked and nothing threw; other console errors (Chromium logs every 400) are no concern here. */
  function assertNoViolations(report: StrictReport): void {
    assert.deepEqual(report.violations, [], 'securitypolicyviolation events');
    assert.deepEqual(
      report.consoleErrors.filter((text) => CSP_CONSOLE.test(text)),
      [],
      'console errors about the policy',
    );
    assert.deepEqual(report.pageErrors, [], 'uncaught errors');
  }

  async function connectAcme(visit: Visit): Promise<void> {
    await toCredentials(visit.flow);
    await submitCredentials(visit.flow, 'acme', 'chg_demo_acme_admin');
    await visit.flow.getByRole('heading', { name: 'Chargify connected' }).waitFor();
    await visit.page.locator('#event-log').getByText('conduit-connection acme (inline-flow)').waitFor();
  }

  it('the page enforces its policy, and the test sees every kind of violation', async () => {
    const report = await onStrictPage('csp-control', async ({ page, flow }) => {
      await flow.getByText('Chargify', { exact: true }).waitFor();
      // What a careless host page or component might do: an image (default-src),
      // an inline style attribute (style-src), markup through innerHTML (Trusted Types).
      await page.evaluate(`
        document.body.append(Object.assign(document.createElement('img'), { src: '/logo.png' }));
        document.body.setAttribute('style', 'color: red');
        try { document.body.appendChild(document.createElement('div')).innerHTML = '<b>x</b>'; } catch {}
      `);
    });
    const directives = report.violations.map((violation) => violation.directive).sort();
    assert.deepEqual(directives, ['img-src', 'require-trusted-types-for', 'style-src-attr']);
    assert(report.consoleErrors.some((text) => CSP_CONSOLE.test(text)), 'Chromium logs them too');
  });

  it('loads a translation beside the bundle under the policy', async () => {
    const report = await onStrictPage('csp-french', async ({ page, flow }) => {
      await flow.getByText('Chargify', { exact: true }).waitFor();
      await page.evaluate(`document.querySelector('#inline-flow').setAttribute('locale', 'fr')`);
      await flow.getByRole('heading', { name: 'Choisissez votre plateforme de facturation' }).waitFor();
    });
    assertNoViolations(report);
  });

  it('completes the flow: acme with its admin key is connected', async () => {
    assertNoViolations(await onStrictPage('csp-connect', connectAcme));
  });

  it('the session token the page was given is not left in its DOM', async () => {
    await onStrictPage('csp-token', async ({ page, flow }) => {
      await flow.getByText('Chargify', { exact: true }).waitFor();
      assert.equal(await page.locator('meta[name^="conduit-"]').count(), 2, 'the other settings stay');
      assert.equal(await page.locator('meta[name="conduit-session-token"]').count(), 0);
      assert.equal(await page.locator('[session-token]').count(), 0);
    });
  });

  it('explains a key Chargify rejects', async () => {
    const report = await onStrictPage('csp-rejected', async ({ page, flow }) => {
      await toCredentials(flow);
      await submitCredentials(flow, 'acme', 'chg_not_the_key');
      await flow.getByText("Chargify didn't accept this API key").waitFor();
      await page.locator('#event-log').getByText('conduit-error invalid_credentials (inline-flow)').waitFor();
    });
    assertNoViolations(report);
  });

  it('offers the other region for a site found there, then connects', async () => {
    const report = await onStrictPage('csp-region', async ({ page, flow }) => {
      await toCredentials(flow);
      await submitCredentials(flow, 'euro-shop', 'chg_demo_euro_admin');
      await flow.getByRole('button', { name: spoken('Switch to the Europe region') }).click();
      await flow.getByRole('button', { name: 'Continue' }).click();
      await flow.getByRole('heading', { name: 'Chargify connected' }).waitFor();
      await page.locator('#event-log').getByText('conduit-connection euro-shop (inline-flow)').waitFor();
    });
    assertNoViolations(report);
  });

  it('explains a blocked account', async () => {
    const report = await onStrictPage('csp-blocked', async ({ page, flow }) => {
      await toCredentials(flow);
      await submitCredentials(flow, 'trial-ended', 'chg_any_key');
      await flow.getByText('Chargify has blocked access to this account').waitFor();
      await page.locator('#event-log').getByText('conduit-error account_blocked (inline-flow)').waitFor();
    });
    assertNoViolations(report);
  });

  it('in a modal, Escape mid-flow asks first, and Leave closes it', async () => {
    const report = await onStrictPage('csp-modal', async ({ page }) => {
      const modal = page.locator('#modal-flow');
      await page.getByRole('button', { name: 'Connect your billing system' }).click();
      await toPermissions(modal);
      await modal.getByRole('heading', { name: spoken('Connect to Chargify') }).waitFor();
      await page.keyboard.press('Escape');
      await modal.getByRole('heading', { name: 'Leave without connecting?' }).waitFor();
      await modal.getByRole('button', { name: 'Leave' }).click();
      await page.locator('#event-log').getByText('conduit-close permissions (modal-flow)').waitFor();
      await modal.getByRole('dialog').waitFor({ state: 'hidden' });
    });
    assertNoViolations(report);
  });

  // Lit styles shadow roots with constructed stylesheets (adoptedStyleSheets),
  // which style-src does not govern; the README tells partners so.
  it("needs nothing from style-src in Chromium: the flow completes under style-src 'none'", async () => {
    assertNoViolations(await onStrictPage('csp-no-styles', connectAcme, { styles: 'none' }));
  });

  // Where adoptedStyleSheets is missing, Lit writes <style> elements instead;
  // they pass style-src only with window.litNonce, which the host page sets.
  it("Lit's <style> fallback carries window.litNonce and passes style-src", async () => {
    const report = await onStrictPage(
      'csp-style-fallback',
      async (visit) => {
        await connectAcme(visit);
        const styles = await visit.page.evaluate("document.querySelector('#inline-flow').shadowRoot.querySelectorAll('style').length");
        assert(Number(styles) > 0, 'Lit fell back to <style> elements');
      },
      { initScript: 'delete Document.prototype.adoptedStyleSheets;' },
    );
    assertNoViolations(report);
  });
});
