import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { databasePathFrom, partnerSecretFile } from '../server/settings.js';

const root = fileURLToPath(new URL('.', import.meta.url));
const repo = fileURLToPath(new URL('..', import.meta.url));

const backendUrl = process.env.CONDUIT_BACKEND_URL ?? 'http://localhost:8787';

// The secret the backend generated for this install (or was given), read when
// needed: the backend writes it on its first start, which may come after this one.
function partnerSecret(): string {
  return process.env.CONDUIT_PARTNER_SECRET || readFileSync(partnerSecretFile(databasePathFrom(process.env.CONDUIT_DB)), 'utf8').trim();
}

// What a partner's own server does: it holds the partner secret and mints a
// short-lived, company-scoped session token for the page. The browser never
// sees the secret.
function partnerServer(): Plugin {
  return {
    name: 'northwind-partner-server',
    configureServer(server) {
      // Demo only: revoke (or restore) the acme demo key in the simulated Chargify, to try a
      // deauthorized connection by hand. The backend answers these only in simulated mode.
      server.middlewares.use('/partner/simulator', async (request, response) => {
        const action = (request.url ?? '').replace(/^\//, '');
        if (request.method !== 'POST' || (action !== 'revoke' && action !== 'restore')) {
          response.statusCode = 404;
          response.end();
          return;
        }
        try {
          const answer = await fetch(`${backendUrl}/simulator/${action}`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: action === 'revoke' ? JSON.stringify({ apiKey: 'chg_demo_acme_admin' }) : '{}',
          });
          response.statusCode = answer.status;
          response.end(await answer.text());
        } catch {
          response.statusCode = 502;
          response.end(JSON.stringify({ error: `The backend at ${backendUrl} is not answering.` }));
        }
      });
      server.middlewares.use('/partner/session', async (_request, response) => {
        try {
          const minted = await fetch(`${backendUrl}/sessions`, {
            method: 'POST',
            headers: { Authorization: `Bearer ${partnerSecret()}`, 'Content-Type': 'application/json' },
            body: JSON.stringify({ companyId: 'acme-inc', companyName: 'Acme Inc' }),
          });
          response.statusCode = minted.status;
          response.setHeader('Content-Type', 'application/json');
          response.setHeader('Cache-Control', 'no-store');
          response.end(await minted.text());
        } catch {
          response.statusCode = 502;
          response.end(JSON.stringify({ error: `The backend at ${backendUrl} is not answering.` }));
        }
      });
    },
  };
}

// `npm start` runs this beside the reference backend (scripts/start.js).
export default defineConfig({
  root,
  publicDir: false,
  define: { __CONDUIT_BACKEND_URL__: JSON.stringify(backendUrl) },
  plugins: [partnerServer()],
  server: { host: 'localhost', port: Number(process.env.DEMO_PORT ?? 5173), strictPort: true, fs: { allow: [repo] } },
});
