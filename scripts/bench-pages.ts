// The pages `npm run bench` times in Chromium, and how it times them: the flow
// from the built bundle, and the floor, a Lit page rendering the same picker from
// the same backend. Both pages carry the same instrument (PHASES), which marks
// where "script start → picker interactive" goes with performance marks and the
// Resource Timing entries, so neither page is polled from outside.
import type { Browser, Page } from 'playwright-core';
import { DEMO_KEYS, DEMO_SUBDOMAINS } from '../mocks/chargify.js';
import type { BackendStack } from '../test/e2e/stack.js';
import type { PageServer } from './page-server.js';

/** Milliseconds from the page's first script to each point on the way to an interactive picker. */
export interface Phases {
  /** The code has arrived (the last script file's response ended). */
  scriptLoaded: number;
  /** The element is defined: the code ran. */
  defined: number;
  /** The element rendered for the first time (its loading state). */
  firstRender: number;
  /** The first backend request went out. */
  requestsSent: number;
  /** The last backend answer before the picker arrived (its CORS preflight included). */
  answered: number;
  /** The picker is on screen and takes input. */
  interactive: number;
}

export const PHASE_NAMES: Record<keyof Phases, string> = {
  scriptLoaded: 'script loaded',
  defined: 'element defined',
  firstRender: 'first render (loading)',
  requestsSent: 'first backend request sent',
  answered: 'last backend answer in',
  interactive: 'picker interactive',
};

// In the page before anything else. The page calls benchInteractive() when its
// picker takes input; the phases are read from the marks and the resource entries.
const PHASES = (tag: string, backendOrigin: string) => `<script>
  const start = performance.now();
  let interactive;
  window.benchDone = new Promise((resolve) => (interactive = resolve));
  window.benchInteractive = () => {
    performance.mark('interactive');
    interactive();
  };
  customElements.whenDefined('${tag}').then(() => performance.mark('defined'));
  window.benchPhases = () => {
    const mark = (name) => performance.getEntriesByName(name)[0].startTime - start;
    const resources = performance.getEntriesByType('resource');
    const scripts = resources.filter((entry) => entry.name.endsWith('.js'));
    const calls = resources.filter((entry) => entry.name.startsWith('${backendOrigin}') && entry.startTime < performance.getEntriesByName('interactive')[0].startTime);
    return {
      // The preload scanner may fetch the code before the first script runs: then 0.
      scriptLoaded: Math.max(0, ...scripts.map((entry) => entry.responseEnd - start)),
      defined: mark('defined'),
      firstRender: mark('first-render'),
      requestsSent: Math.min(...calls.map((entry) => entry.startTime)) - start,
      answered: Math.max(...calls.map((entry) => entry.responseEnd)) - start,
      interactive: mark('interactive'),
    };
  };
</script>`;

/** The floor's picker: Lit, the same two GETs the flow makes on opening, the same tiles. */
export const LIT_PICKER_SOURCE = `import { LitElement, css, html } from 'lit';
customElements.define('lit-picker', class extends LitElement {
  static properties = { integrations: { state: true } };
  static styles = css\`fieldset { display: grid; gap: 8px; border: 0; } label { display: flex; gap: 8px; padding: 12px; border: 1px solid #ccc; border-radius: 8px; }\`;
  connectedCallback() {
    super.connectedCallback();
    const base = this.getAttribute('backend-url');
    const init = { headers: { Authorization: \`Bearer \${this.getAttribute('session-token')}\`, 'X-Correlation-Id': crypto.randomUUID() }, credentials: 'omit' };
    const get = (path) => fetch(base + path, init).then((response) => response.json());
    Promise.all([get('/integrations'), get(\`/companies/\${this.getAttribute('company-id')}/connections\`)]).then(([catalogue]) => {
      this.integrations = catalogue.results.filter((integration) => integration.enabled !== false);
    });
  }
  render() {
    if (!this.integrations) return html\`<p role="status">Loading…</p>\`;
    return html\`<h2 tabindex="-1">Connect your billing platform</h2>
      <form><fieldset><legend>Choose your billing platform</legend>
      \${this.integrations.map((integration) => html\`<label><input type="radio" name="integration" value=\${integration.key} />
        <img alt="" src=\${integration.logoUrl} width="32" height="32" />\${integration.name}</label>\`)}
      </fieldset><button>Continue</button></form>\`;
  }
  updated() {
    if (this.integrations) this.dispatchEvent(new Event('interactive'));
  }
});
`;

export class Lab {
  #company = 0;
  readonly #browser: Browser;
  readonly #server: PageServer;
  readonly #stack: BackendStack;

  constructor(browser: Browser, server: PageServer, stack: BackendStack) {
    this.#browser = browser;
    this.#server = server;
    this.#stack = stack;
  }

  /** A page with the flow for a company of its own, so no run meets another's connection; its first screen preloaded as the README shows. */
  async flowPage(attributes = ''): Promise<string> {
    const { companyId, token, path } = await this.#visit('flow');
    this.#server.page(
      path,
      `<!doctype html><html lang="en"><head><meta charset="utf-8">
${PHASES('conduit-link', this.#stack.url)}
<link rel="modulepreload" href="/flow/chunks/first-screen.js">
<script type="module" src="/flow/conduit-link.bundle.js"></script></head><body>
<conduit-link ${attributes} backend-url="${this.#stack.url}" company-id="${companyId}" session-token="${token}" partner-name="Bench"></conduit-link>
<script type="module">
  ${PAGE_HELPERS}
  flow.updateComplete.then(() => performance.mark('first-render'));
  flow.addEventListener('conduit-step-change', async (event) => {
    if (event.step !== 'picker') return;
    await customElements.whenDefined('conduit-integration-picker');
    await flow.updateComplete;
    await flow.shadowRoot.querySelector('conduit-integration-picker').updateComplete;
    benchInteractive();
  });
</script></body></html>`,
    );
    return `${this.#server.origin}${path}`;
  }

  /** The floor: a Lit page rendering the same picker from the same backend, for a company of its own. */
  async floorPage(): Promise<string> {
    const { companyId, token, path } = await this.#visit('floor');
    this.#server.page(
      path,
      `<!doctype html><html lang="en"><head><meta charset="utf-8">
${PHASES('lit-picker', this.#stack.url)}
<script type="module" src="/picker/bundle.js"></script></head><body>
<lit-picker backend-url="${this.#stack.url}" company-id="${companyId}" session-token="${token}"></lit-picker>
<script type="module">
  const picker = document.querySelector('lit-picker');
  picker.updateComplete.then(() => performance.mark('first-render'));
  picker.addEventListener('interactive', () => benchInteractive(), { once: true });
</script></body></html>`,
    );
    return `${this.#server.origin}${path}`;
  }

  /** The phases of one load in a fresh context (cold cache), the CPU slowed down `cpuSlowdown` times. */
  async phases(url: string, cpuSlowdown: number): Promise<Phases> {
    const context = await this.#browser.newContext();
    try {
      const page = await context.newPage();
      if (cpuSlowdown > 1) await (await context.newCDPSession(page)).send('Emulation.setCPUThrottlingRate', { rate: cpuSlowdown });
      await page.goto(url);
      return await page.evaluate(async () => {
        const bench = window as unknown as { benchDone: Promise<void>; benchPhases(): Phases };
        await bench.benchDone;
        return bench.benchPhases();
      });
    } finally {
      await context.close();
    }
  }

  /** The time of each transition, from the user's click to the next step rendered. */
  async transitions(): Promise<Record<string, number>> {
    const context = await this.#browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(await this.flowPage());
      await page.evaluate(() => (window as unknown as { benchDone: Promise<void> }).benchDone);
      return await page.evaluate(
        ([subdomain, apiKey]) =>
          (window as unknown as { benchTransitions(s: string, k: string): Promise<Record<string, number>> }).benchTransitions(subdomain, apiKey),
        [DEMO_SUBDOMAINS.acme, DEMO_KEYS.acmeAdmin] as const,
      );
    } finally {
      await context.close();
    }
  }

  /**
   * Used JS heap (after forced GCs) after one modal open/close cycle, after a
   * warm-up (the JIT compiles the code the first cycles run), and after many.
   */
  async modalHeap(cycles: number, warmUp: number): Promise<{ afterOne: number; afterWarmUp: number; afterMany: number }> {
    const context = await this.#browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(await this.flowPage('mode="modal"'));
      await page.evaluate(() => customElements.whenDefined('conduit-link'));
      const cdp = await context.newCDPSession(page);
      const heap = async (): Promise<number> => {
        for (let i = 0; i < 3; i++) await cdp.send('HeapProfiler.collectGarbage');
        return (await cdp.send('Runtime.getHeapUsage')).usedSize;
      };
      await cycleModal(page, 1);
      const afterOne = await heap();
      await cycleModal(page, warmUp - 1);
      const afterWarmUp = await heap();
      await cycleModal(page, cycles - warmUp);
      const afterMany = await heap();
      return { afterOne, afterWarmUp, afterMany };
    } finally {
      await context.close();
    }
  }

  async #visit(kind: string): Promise<{ companyId: string; token: string; path: string }> {
    const companyId = `bench-${++this.#company}`;
    return { companyId, token: await this.#stack.mintSession(companyId), path: `/${kind}-${this.#company}.html` };
  }
}

// In the page, as plain JavaScript (functions passed to page.evaluate would be
// serialised with the script runner's helpers): drives the flow with real
// clicks and times each step change; opens and closes the modal.
const PAGE_HELPERS = `
  const flow = document.querySelector('conduit-link');
  const root = flow.shadowRoot;
  const stepElement = () => root.querySelector('.body > *');
  const inStep = (selector) => stepElement().shadowRoot.querySelector(selector);
  const arrive = (step) => new Promise((resolve) => {
    const listener = async (event) => {
      if (event.step !== step) return;
      flow.removeEventListener('conduit-step-change', listener);
      await flow.updateComplete;
      // A later step counts from the click to its screen, its chunk's arrival included.
      await customElements.whenDefined(stepElement().localName);
      await stepElement().updateComplete;
      resolve();
    };
    flow.addEventListener('conduit-step-change', listener);
  });
  const timed = async (step, act) => {
    const arrived = arrive(step);
    const start = performance.now();
    act();
    await arrived;
    return performance.now() - start;
  };
  window.benchTransitions = async (subdomain, apiKey) => {
    inStep('input[type=radio]').click();
    await stepElement().updateComplete;
    const toPermissions = await timed('permissions', () => inStep('button[type=submit]').click());
    const toCredentials = await timed('credentials', () => inStep('button.primary').click());
    inStep('#subdomain').value = subdomain;
    inStep('#api-key').value = apiKey;
    const toSuccess = await timed('success', () => inStep('button[type=submit]').click());
    return {
      'picker → permissions': toPermissions,
      'permissions → credentials': toCredentials,
      'credentials → success (key checked)': toSuccess,
    };
  };
  window.benchCycleModal = async (count) => {
    for (let i = 0; i < count; i++) {
      const ready = new Promise((resolve) => flow.addEventListener('conduit-ready', resolve, { once: true }));
      flow.open();
      await ready;
      const closed = new Promise((resolve) => flow.addEventListener('conduit-close', resolve, { once: true }));
      flow.close();
      await closed;
    }
  };
`;

async function cycleModal(page: Page, cycles: number): Promise<void> {
  await page.evaluate((count) => (window as unknown as { benchCycleModal(count: number): Promise<void> }).benchCycleModal(count), cycles);
}
