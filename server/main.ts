import { createChargifyVerifier } from './chargify/client.js';
import { createHandler } from './handler.js';
import { createLogger } from './log.js';
import { serve } from './node.js';
import { settingsFromEnv } from './settings.js';
import { openSqliteStore } from './store/sqlite.js';

// `npm run backend`: the reference backend over HTTP. With CHARGIFY_MODE=simulated
// (the default) Chargify is the MSW simulation in mocks/chargify.ts; with
// CHARGIFY_MODE=live it is the real thing.
const log = createLogger();
const settings = settingsFromEnv(process.env, log);

if (settings.chargifyMode === 'simulated') {
  const [{ setupServer }, { chargifyHandlers }] = await Promise.all([import('msw/node'), import('../mocks/chargify.js')]);
  setupServer(...chargifyHandlers).listen({ onUnhandledRequest: 'bypass' });
}

const store = openSqliteStore(settings.databasePath);
const handler = createHandler({
  store,
  chargify: createChargifyVerifier({ timeoutMs: settings.chargifyTimeoutMs }),
  clock: { now: () => new Date() },
  settings,
  log,
});
const server = await serve(handler, settings.port);
const address = server.address();
log.info('listening', { port: typeof address === 'object' && address ? address.port : settings.port, mode: settings.chargifyMode });

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    server.close();
    void store.close().then(() => process.exit(0));
  });
}
