import { createChargifyVerifier } from './chargify/client.js';
import { openPostgresTurns } from './chargify/postgres-turns.js';
import type { SiteTurns } from './chargify/site-turns.js';
import { connectionDepsFor, createHandler, type Handler } from './handler.js';
import { startBackgroundCheck } from './lifecycle.js';
import { createLogger } from './log.js';
import { serve } from './node.js';
import { ConfigError, securitySummary, settingsFromEnv, type NodeSettings } from './settings.js';
import { openStore } from './store/open.js';
import type { Store } from './store/store.js';

// The reference backend over HTTP, configured by the environment (the README's
// table): the `conduit-link-server` bin and the repository's `npm run backend`.

// Expired sessions and old idempotent answers go on a timer, not on the request path.
const PURGE_EVERY_MS = 60_000;

export interface RunOptions {
  /**
   * Starts the simulated Chargify and returns its `/simulator/…` controls. Only the
   * repository's dev entry has one (it needs MSW and mocks/); without it,
   * `CHARGIFY_MODE=simulated` stops the start with a message.
   */
  simulate?: () => Promise<Handler>;
}

/** A start that cannot go on: said in one line on stderr, exit code 1. */
function stop(message: string): never {
  process.stderr.write(`conduit-link-server: ${message}\n`);
  process.exit(1);
}

export async function runBackend(env: NodeJS.ProcessEnv, options: RunOptions = {}): Promise<void> {
  const log = createLogger();
  let settings: NodeSettings;
  let store: Store;
  let turns: SiteTurns | undefined;
  try {
    settings = settingsFromEnv(env, log);
    if (settings.chargifyMode === 'simulated' && !options.simulate) {
      throw new ConfigError(
        'CHARGIFY_MODE=simulated needs the repository\'s dev setup (`npm run backend` in a clone of conduit-link); the installed package calls the live Chargify (CHARGIFY_MODE=live).',
      );
    }
    store = await openStore(settings.postgresUrl ?? settings.databasePath);
    // On Postgres every process of the deployment shares each Chargify site's turns.
    if (settings.postgresUrl) turns = await openPostgresTurns(settings.postgresUrl);
  } catch (error) {
    // A missing driver or an unreachable database is as much the operator's to fix as a bad setting.
    stop((error as Error).message);
  }
  log.info('startup.security', securitySummary(settings));

  const simulator = settings.chargifyMode === 'simulated' && options.simulate ? await options.simulate() : null;
  const clock = { now: () => new Date() };
  const deps = { store, chargify: createChargifyVerifier({ timeoutMs: settings.chargifyTimeoutMs, turns }), clock, settings, log };
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
      void Promise.all([store.close(), turns?.close()]).then(() => process.exit(0));
    });
  }
}
