// The widget never follows a redirect (issue 13). A partner backend that
// answers PUT …/authorization with a 307 to another origin must not get the
// API key re-sent there, nor that origin's answer shown as a connection. Real
// origins in Chromium: the partner's page with the shipped bundle, a small
// backend that answers the contract's calls but redirects the authorization,
// and the origin the redirect points to, which records whatever reaches it.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { closeServer, launchChromium, listen } from './browser.js';
import { cdnFiles, withBuiltDist } from './built-dist.js';
import { submitCredentials, toCredentials, visitPage } from './journey.js';
import { fillTemplate } from './template.js';

const KEY = 'chg_redirect_canary_5e4d3c2b1a';
const COMPANY = 'redirect-co';
const AUTHORIZATION = `/companies/${COMPANY}/connections/conn_redirect/authorization`;
const BAD_RESPONSE = 'The server sent an answer we could not read. Try again, and contact support if it keeps happening.';

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Northwind Capital · Connect your billing system</title>
    <script type="module" src="/conduit-link.bundle.js"></script>
  </head>
  <body>
    <conduit-link backend-url="{{backendUrl}}" company-id="{{companyId}}" session-token="tok-redirect" partner-name="Northwind Capital"></conduit-link>
    <ol id="event-log"></ol>
    <script>
      for (const type of ['conduit-error', 'conduit-connection']) {
        document.addEventListener(type, (event) => {
          const item = document.createElement('li');
          item.textContent = type + ' ' + (type === 'conduit-error' ? event.code : event.connectionId);
          document.querySelector('#event-log').append(item);
        });
      }
    </script>
  </body>
</html>`;

/** One request as a server received it. */
interface Arrival {
  method: string;
  path: string;
  body: string;
}

async function arrival(request: IncomingMessage): Promise<Arrival> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return { method: request.method ?? '', path: request.url ?? '', body: Buffer.concat(chunks).toString('utf8') };
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}

function connection(status: 'PendingAuth' | 'Linked', connectionInfo: Record<string, unknown> = {}) {
  return {
    id: 'conn_redirect',
    integrationKey: 'chargify',
    platformName: 'Chargify',
    sourceType: 'Commerce',
    status,
    created: '2025-01-02T03:04:05Z',
    connectionInfo,
  };
}

/** The partner's backend, with the CORS a real one has, except that it redirects the authorization to `target()`. */
function redirectingBackend(pageOrigin: () => string, target: () => string, arrivals: Arrival[]): Server {
  return createServer(async (request, response) => {
    const seen = await arrival(request);
    arrivals.push(seen);
    const { method, path } = seen;
    response.setHeader('Access-Control-Allow-Origin', pageOrigin());
    response.setHeader('Access-Control-Expose-Headers', 'Retry-After, X-Correlation-Id');
    response.setHeader('Vary', 'Origin');
    if (method === 'OPTIONS') {
      response.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, PATCH');
      response.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, Idempotency-Key, X-Correlation-Id');
      response.writeHead(204).end();
    } else if (method === 'PUT' && path === AUTHORIZATION) {
      response.writeHead(307, { Location: `${target()}${path}` }).end();
    } else if (method === 'GET' && path === '/integrations') {
      sendJson(response, 200, {
        results: [{ key: 'chargify', name: 'Chargify', logoUrl: '', enabled: true, sourceType: 'Commerce', isBeta: false }],
      });
    } else if (method === 'GET' && path === `/companies/${COMPANY}/connections`) {
      sendJson(response, 200, { results: [] });
    } else if (method === 'POST' && path === `/companies/${COMPANY}/connections`) {
      sendJson(response, 201, connection('PendingAuth'));
    } else {
      sendJson(response, 404, { statusCode: 404, service: 'redirect-test', error: 'Not found.', validation: null });
    }
  });
}

/**
 * The origin the redirect points to: records everything that reaches it, and
 * answers as permissively as a careless server would, so that a followed
 * redirect would end in what looks like a connection.
 */
function recordingOrigin(arrivals: Arrival[]): Server {
  return createServer(async (request, response) => {
    arrivals.push(await arrival(request));
    response.setHeader('Access-Control-Allow-Origin', '*');
    if (request.method === 'OPTIONS') {
      response.setHeader('Access-Control-Allow-Methods', 'PUT');
      response.setHeader('Access-Control-Allow-Headers', request.headers['access-control-request-headers'] ?? '');
      response.writeHead(204).end();
      return;
    }
    sendJson(response, 200, connection('Linked', { subdomain: 'acme', region: 'US', siteName: 'Elsewhere Inc' }));
  });
}

describe('a backend that redirects the authorization to another origin, in Chromium', () => {
  const backendArrivals: Arrival[] = [];
  const elsewhereArrivals: Arrival[] = [];
  let backend: Server;
  let elsewhere: Server;
  let host: Server;
  let hostUrl = '';
  let elsewhereUrl = '';
  let browser: Browser;

  before(async () => {
    // In memory from here on: another test process may rebuild dist/ meanwhile.
    const cdn = await withBuiltDist(['bundle'], cdnFiles);
    elsewhere = recordingOrigin(elsewhereArrivals);
    elsewhereUrl = await listen(elsewhere);
    backend = redirectingBackend(() => hostUrl, () => elsewhereUrl, backendArrivals);
    const backendUrl = await listen(backend);
    host = createServer((request, response) => {
      const path = new URL(request.url ?? '/', 'http://host').pathname;
      if (path === '/') {
        response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(fillTemplate(PAGE, { backendUrl, companyId: COMPANY }));
      } else if (cdn.has(path)) {
        response.writeHead(200, { 'Content-Type': 'text/javascript' }).end(cdn.get(path));
      } else {
        response.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
      }
    });
    hostUrl = await listen(host);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await closeServer(host);
    await closeServer(backend);
    await closeServer(elsewhere);
  });

  it('sends nothing to where the redirect points; the user reads the bad-response message and conduit-error says bad_response', async () => {
    const { report } = await visitPage(browser, hostUrl, async ({ page, flow }) => {
      await toCredentials(flow);
      await submitCredentials(flow, 'acme', KEY);
      const connected = flow.getByRole('heading', { name: 'Chargify connected' });
      await flow.getByText(BAD_RESPONSE).or(connected).waitFor();
      assert.equal(await connected.count(), 0, 'the other origin’s answer was shown as a connection');
      await page.locator('#event-log').getByText('conduit-error bad_response').waitFor();
      assert.equal(await page.locator('#event-log li').count(), 1, 'events the page heard');
      // Time for a followed redirect (or its preflight) to arrive, had there been one.
      await page.waitForTimeout(300);
    });

    assert.deepEqual(
      elsewhereArrivals.map(({ method, path }) => `${method} ${path}`),
      [],
      'requests that reached the origin the redirect points to',
    );
    assert.deepEqual(
      backendArrivals.filter(({ method }) => method === 'PUT').map(({ path }) => path),
      [AUTHORIZATION],
      'the backend got the authorization once, and redirected it: never retried',
    );
    const logged = report.consoleErrors.filter((text) => text.startsWith('<conduit-link>'));
    assert.equal(logged.length, 1, `one console error for the partner's developer: ${JSON.stringify(report.consoleErrors)}`);
    assert.match(logged[0]!, /Point backend-url at the final URL/);
    assert(!logged[0]!.includes(KEY), 'the console error holds the key');
    assert.deepEqual(report.pageErrors, []);
  });
});
