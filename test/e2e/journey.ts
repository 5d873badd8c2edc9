// Journeys on a real page, for the end-to-end tests that drive Chromium with
// Playwright (the demo, the strict-CSP page, the installed package, the CDN
// page): a visit that records what the page reports, and the flow walked as a
// user walks it.
import type { Browser, Locator, Page } from 'playwright-core';

/** What a page reported while a test visited it. */
export interface PageReport {
  /** Console errors, each followed by the URL that logged it. */
  consoleErrors: string[];
  consoleWarnings: string[];
  /** Uncaught errors. */
  pageErrors: string[];
}

/** A page being visited; its report fills in as the journey goes. */
export interface Visit extends PageReport {
  page: Page;
  /** The flow the journey walks. */
  flow: Locator;
}

export interface VisitOptions {
  /** Playwright's default timeout for the journey's waits and actions, in ms; 15 s unless said. */
  timeout?: number;
  /** Where the flow is on the page; `conduit-link` unless said. */
  flow?: string;
  /** Runs on the new page before it navigates: to expose functions, or add init scripts. */
  beforeNavigation?: (page: Page) => Promise<void>;
  /** More the page reported, of a kind this module does not record, to explain a failure with too. */
  alsoReported?: () => object;
}

/**
 * Opens `url` in a browser context of its own, so no visit meets another's
 * state, walks `journey` on it, and closes it again. A failing journey also
 * says what the page reported meanwhile, as a blocked script or a page error
 * mostly shows only as a timeout.
 */
export async function visitPage<T>(
  browser: Browser,
  url: string,
  journey: (visit: Visit) => Promise<T>,
  options: VisitOptions = {},
): Promise<{ report: PageReport; result: T }> {
  const context = await browser.newContext();
  try {
    context.setDefaultTimeout(options.timeout ?? 15_000);
    const page = await context.newPage();
    const report: PageReport = { consoleErrors: [], consoleWarnings: [], pageErrors: [] };
    page.on('console', (message) => {
      if (message.type() === 'error') report.consoleErrors.push(`${message.text()} (${message.location().url})`);
      if (message.type() === 'warning') report.consoleWarnings.push(message.text());
    });
    page.on('pageerror', (error) => report.pageErrors.push(String(error)));
    await options.beforeNavigation?.(page);
    const result = await explainingFailure(
      async () => {
        await page.goto(url);
        return journey({ page, flow: page.locator(options.flow ?? 'conduit-link'), ...report });
      },
      () => ({ ...report, ...options.alsoReported?.() }),
    );
    return { report, result };
  } finally {
    await context.close();
  }
}

async function explainingFailure<T>(journey: () => Promise<T>, reported: () => object): Promise<T> {
  try {
    return await journey();
  } catch (error) {
    throw new Error(`${(error as Error).message}\nMeanwhile the page reported: ${JSON.stringify(reported(), null, 2)}`, { cause: error });
  }
}

/** From the picker to the permissions step: Chargify, Next. */
export async function toPermissions(flow: Locator): Promise<void> {
  await flow.getByText('Chargify', { exact: true }).click();
  await flow.getByRole('button', { name: 'Next' }).click();
}

/** From the picker to the credentials step: Chargify, Next, Next. */
export async function toCredentials(flow: Locator): Promise<void> {
  await toPermissions(flow);
  await flow.getByRole('button', { name: 'Next' }).click();
}

/** Types the site and the key, and presses Continue. */
export async function submitCredentials(flow: Locator, subdomain: string, apiKey: string): Promise<void> {
  await flow.getByLabel('Site subdomain').fill(subdomain);
  await flow.getByLabel('API key').fill(apiKey);
  await flow.getByRole('button', { name: 'Continue' }).click();
}
