// The reference backend in-process for the end-to-end tests: the real handler
// over HTTP on a free port, a SQLite store in a temporary directory, and
// Chargify simulated by MSW in this Node process.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setupServer } from 'msw/node';
import { chargifyHandlers } from '../../mocks/chargify.js';
import { createChargifyVerifier } from '../../server/chargify/client.js';
import { createHandler } from '../../server/handler.js';
import type { Limits } from '../../server/limits.js';
import { createLogger } from '../../server/log.js';
import { serve } from '../../server/node.js';
import { openSqliteStore } from '../../server/store/sqlite.js';
import type { Store } from '../../server/store/store.js';

export interface BackendStack {
  /** The backend's base URL, `http://127.0.0.1:{port}`. */
  url: string;
  store: Store;
  /** The backend's CORS allow-list: push the page's origin once it is known. */
  allowedOrigins: string[];
  /** Generated for this stack, as `npm start` generates one per install. */
  partnerSecret: string;
  /** What the partner's server does for a page: a session token for `companyId`, minted with the partner secret. */
  mintSession(companyId: string): Promise<string>;
  /** Closes the backend and the store, stops simulating Chargify, removes the directory. */
  stop(): Promise<void>;
}

export async function startBackendStack({ name, limits }: { name: string; limits?: Partial<Limits> }): Promise<BackendStack> {
  const partnerSecret = randomBytes(32).toString('base64url');
  const directory = mkdtempSync(join(tmpdir(), `conduit-${name}-`));
  const chargify = setupServer(...chargifyHandlers);
  const allowedOrigins: string[] = [];
  let store: Store | undefined;
  let backend: Server | undefined;
  const stop = async () => {
    await new Promise((resolve) => (backend ? backend.close(resolve) : resolve(undefined)));
    await store?.close();
    chargify.close();
    rmSync(directory, { recursive: true, force: true });
  };
  try {
    // Bypass: calls to the backend itself (from a page server) are real HTTP and must get through.
    chargify.listen({ onUnhandledRequest: 'bypass' });
    store = openSqliteStore(join(directory, 'conduit.sqlite'));
    const handler = createHandler({
      store,
      chargify: createChargifyVerifier({ timeoutMs: 2000 }),
      clock: { now: () => new Date() },
      settings: { partnerSecret, secretKey: randomBytes(32), allowedOrigins, limits },
      log: createLogger(() => {}),
    });
    backend = await serve(handler, 0);
    const address = backend.address();
    assert(address && typeof address === 'object');
    const url = `http://127.0.0.1:${address.port}`;
    const mintSession = async (companyId: string): Promise<string> => {
      const minted = await fetch(`${url}/sessions`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${partnerSecret}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ companyId, companyName: 'Acme Inc' }),
      });
      assert.equal(minted.status, 201, 'the backend mints a session');
      return ((await minted.json()) as { token: string }).token;
    };
    return { url, store, allowedOrigins, partnerSecret, mintSession, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
