import { esbuildPlugin } from '@web/dev-server-esbuild';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_ARGS, findChromium } from './scripts/chromium.js';

const executablePath = process.env.CHROME_PATH || findChromium();

// Chromium names a few roles its own way; these are the ARIA roles a screen reader announces.
const ARIA_ROLE = { DisclosureTriangle: 'button', image: 'img', RootWebArea: 'document' };
// Nodes for runs of text and list bullets, not for elements a test can look for.
const TEXT_ROLES = new Set(['StaticText', 'InlineTextBox', 'ListMarker', 'LineBreak']);

/** The tree's nodes depth first, as a screen reader reads them (CDP lists a parent's children after it, not each subtree in turn). */
function readingOrder(nodes) {
  const byId = new Map(nodes.map((node) => [node.nodeId, node]));
  const ordered = [];
  const stack = nodes.filter((node) => !node.parentId || !byId.has(node.parentId)).reverse();
  while (stack.length > 0) {
    const node = stack.pop();
    ordered.push(node);
    for (const id of [...(node.childIds ?? [])].reverse()) if (byId.has(id)) stack.push(byId.get(id));
  }
  // Anything the walk did not reach still counts, at the end.
  const reached = new Set(ordered);
  return [...ordered, ...nodes.filter((node) => !reached.has(node))];
}

/**
 * The `ax-query` command (test/a11y.ts): Chromium's own accessibility tree,
 * through the DevTools protocol's Accessibility domain. It answers with the
 * role, name, description and properties of each node the tree exposes, in
 * reading order, and leaves the nodes' DOM elements, in the same order, in
 * `window.__axQuery[id].found`; the page keeps those inside its root. One
 * snapshot per query: the subtree below the root (`queryAXTree`), or, while a
 * modal dialog is open (`modal`), the whole tree, because a query below an
 * element then finds nothing: the dialog's ancestors are inert. With `self`,
 * only the root element's own node.
 * `@web/test-runner-commands`' own `a11ySnapshot` cannot serve here: it calls
 * Playwright's `page.accessibility`, which playwright-core 1.65 no longer has,
 * and it hands back no elements to click.
 */
function accessibilityTreePlugin() {
  const cdpSessions = new WeakMap();
  return {
    name: 'accessibility-tree',
    async executeCommand({ command, payload, session }) {
      if (command !== 'ax-query') return undefined;
      if (session.browser.type !== 'playwright') throw new Error('ax-query needs the Playwright launcher');
      const page = session.browser.getPage(session.id);
      let cdp = cdpSessions.get(page);
      if (!cdp) {
        cdp = await page.context().newCDPSession(page);
        cdpSessions.set(page, cdp);
      }
      const objectGroup = `ax-query-${payload.id}`;
      const query = `window.__axQuery[${Number(payload.id)}]`;
      try {
        const { result: root } = await cdp.send('Runtime.evaluate', { expression: `${query}.root`, objectGroup });
        if (!root.objectId) throw new Error('ax-query: the page gave no root element');
        const { nodes } = payload.self
          ? await cdp.send('Accessibility.getPartialAXTree', { objectId: root.objectId, fetchRelatives: false })
          : payload.modal
            ? await cdp.send('Accessibility.getFullAXTree', {})
            : await cdp.send('Accessibility.queryAXTree', { objectId: root.objectId });
        const describe = ({ node, role }) => ({
          role,
          name: node.name?.value ?? '',
          description: node.description?.value ?? '',
          ignored: node.ignored,
          properties: Object.fromEntries((node.properties ?? []).map((property) => [property.name, property.value.value])),
        });
        // The root's own node: the page knows its element already.
        if (payload.self) {
          const own = nodes.find((node) => node.backendDOMNodeId !== undefined);
          return own ? [describe({ node: own, role: ARIA_ROLE[own.role?.value] ?? own.role?.value ?? '' })] : [];
        }
        const roles = payload.roles ? new Set(payload.roles) : null;
        // queryAXTree lists its subtree depth first already.
        const wanted = (payload.modal ? readingOrder(nodes) : nodes)
          .filter((node) => node.backendDOMNodeId !== undefined && !node.ignored)
          .map((node) => ({ node, role: ARIA_ROLE[node.role?.value] ?? node.role?.value ?? '' }))
          .filter(({ role }) => !TEXT_ROLES.has(role) && (!roles || roles.has(role)));
        // Sent together, so the round trips overlap.
        const resolved = await Promise.all(
          wanted.map(({ node }) => cdp.send('DOM.resolveNode', { backendNodeId: node.backendDOMNodeId, objectGroup })),
        );
        await cdp.send('Runtime.callFunctionOn', {
          objectId: root.objectId,
          functionDeclaration: `function (...found) { ${query}.found = found; }`,
          arguments: resolved.map(({ object }) => ({ objectId: object.objectId })),
        });
        return wanted.map(describe);
      } finally {
        // Not waited for: the session runs commands in order, so the next query comes after it anyway.
        cdp.send('Runtime.releaseObjectGroup', { objectGroup }).catch(() => {});
      }
    },
  };
}

export default {
  // Browser tests only; test/server and test/e2e run under Node (scripts/test.js).
  // Every browser test; the Node ones (the backend's, the end-to-end ones) run under node --test.
  files: ['test/**/*.test.ts', '!test/server/**', '!test/e2e/**'],
  nodeResolve: { exportConditions: ['browser', 'development'] },
  concurrency: 2,
  testFramework: { config: { timeout: 10000 } },
  testsFinishTimeout: 5 * 60 * 1000,
  browsers: [
    playwrightLauncher({
      product: 'chromium',
      launchOptions: { executablePath, headless: true, args: CHROMIUM_ARGS },
    }),
  ],
  plugins: [
    accessibilityTreePlugin(),
    esbuildPlugin({ ts: true, target: 'es2022', tsconfig: fileURLToPath(new URL('./tsconfig.json', import.meta.url)) }),
  ],
  middleware: [
    // MSW's service worker must be served from the root to control the page.
    function serveWorker(context, next) {
      if (context.url === '/mockServiceWorker.js') context.url = '/public/mockServiceWorker.js';
      return next();
    },
  ],
  filterBrowserLogs: ({ args }) => !String(args[0] ?? '').includes('Lit is in dev mode'),
};
