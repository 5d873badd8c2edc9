// conduit-link-server: the reference backend as a library, to mount the contract
// in any framework that speaks Fetch-API Request and Response:
//
//   const store = await openStore(process.env.CONDUIT_DB ?? '.data/conduit.sqlite');
//   const handler = createHandler({ store, chargify: createChargifyVerifier(), clock: { now: () => new Date() }, settings });
//
// The `conduit-link-server` bin runs the same handler over node:http from the environment.

export { createChargifyVerifier, type ChargifyVerifierOptions } from './chargify/client.js';
export type { ChargifyVerifier } from './chargify/types.js';
export { openPostgresTurns, type PostgresTurnsOptions } from './chargify/postgres-turns.js';
export type { SiteTurns } from './chargify/site-turns.js';
export { createHandler, type Clock, type Handler, type HandlerDeps, type RequestContext, type Settings } from './handler.js';
export { DEFAULT_LIMITS, type Limits, type WindowLimit } from './limits.js';
export { createLogger, type Logger } from './log.js';
export { serve, type ServeOptions } from './node.js';
export { rotateSecretKey, type Rotation } from './rotate-key.js';
export { ConfigError, settingsFromEnv, type NodeSettings } from './settings.js';
export { openStore, type OpenStoreOptions } from './store/open.js';
export type { Store } from './store/store.js';
