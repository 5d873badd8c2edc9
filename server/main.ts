import { createChargifyVerifier } from './chargify/client.js';
import { connectionDepsFor, createHandler, type Handler } from './handler.js';
import { startBackgroundCheck } from './lifecycle.js';
import { createLogger } from './log.js';
import { serve } from './node.js';
import { ConfigError, securitySummary, settingsFromEnv, type NodeSettings } from './settings.js';
import { openPostgresStore } from './store/postgres.js';
import { openSqliteStore } from './store/sqlite.js';

// `npm run backend`: the reference backend over HTTP. With CHARGIFY_MODE=simulated
// (the default outside production) Chargify is the MSW simulation in
// mocks/chargify.ts; with CHARGIFY_MODE=live (the default in production) it is the real thing.
const log = createLogger();

// Expired sessions and old idempotent answers go on a timer, not on the request path.
const PURGE_EVERY_MS = 60_000;

let settings: NodeSettings;
try {
  settings = settingsFromEnv(process.env, log);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`conduit-link backend: ${error.message}\n`);
  process.exit(1);
}
log.info('startup.security', securitySummary(settings));

let simulator: Handler | null = null;
if (settings.chargifyMode === 'simulated') {
  const [{ setupServer }, chargify] = await Promise.all([import('msw/node'), import('../mocks/chargify.js')]);
  setupServer(...chargify.chargifyHandlers).listen({ onUnhandledRequest: 'bypass' });
  simulator = chargify.simulatorControls;
}

const clock = { now: () => new Date() };
const store = settings.postgresUrl ? await openPostgresStore(settings.postgresUrl) : openSqliteStore(settings.databasePath);
const deps = { store, chargify: createChargifyVerifier({ timeoutMs: settings.chargifyTimeoutMs }), clock, settings, log };
const contract = createHandler(deps);
// Simulated mode only: /simulator/… revokes and restores demo keys (README's demo table).
const handler: Handler = simulator
  ? async (request, context) => (new URL(request.url).pathname.startsWith('/simulator/') ? simulator(request) : contract(request, context))
  : contract;
const background = settings.verifyIntervalMs ? startBackgroundCheck(connectionDepsFor(deps), settings.verifyIntervalMs) : null;
const purge = () => void store.purge(clock.now()).catch(() => log.error('purge.failed'));
purge();
const purging = setInterval(purge, PURGE_EVERY_MS).unref();
const server = await serve(handler, settings.port, { publicOrigin: settings.publicOrigin, trustProxy: settings.trustProxy, log });
const address = server.address();
log.info('listening', { port: typeof address === 'object' && address ? address.port : settings.port, mode: settings.chargifyMode });

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    clearInterval(purging);
    background?.stop();
    server.close();
    void store.close().then(() => process.exit(0));
  });
}
