import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { parseSecretKey } from './crypto.js';
import type { Settings } from './handler.js';
import type { Logger } from './log.js';

export interface NodeSettings extends Settings {
  port: number;
  databasePath: string;
  chargifyMode: 'simulated' | 'live';
  chargifyTimeoutMs: number;
}

const DEMO_PARTNER_SECRET = 'demo-partner-secret-not-for-production';

// For the demo only: a key generated once and kept beside the database, so
// connections survive restarts. A deployment sets CONDUIT_SECRET_KEY.
function demoSecretKey(databasePath: string, log: Logger): Buffer {
  const file = join(dirname(databasePath), 'secret.key');
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 });
  }
  log.warn('demo.secret-key: CONDUIT_SECRET_KEY is not set; using a generated key file. Never do this in production.');
  return parseSecretKey(readFileSync(file, 'utf8').trim());
}

/** Settings from the environment; production refuses to start without its secrets. */
export function settingsFromEnv(env: NodeJS.ProcessEnv, log: Logger): NodeSettings {
  const production = env.NODE_ENV === 'production';
  const databasePath = env.CONDUIT_DB ?? '.data/conduit.sqlite';
  if (production && (!env.CONDUIT_SECRET_KEY || !env.CONDUIT_PARTNER_SECRET)) {
    throw new Error('In production, set CONDUIT_SECRET_KEY and CONDUIT_PARTNER_SECRET.');
  }
  if (!env.CONDUIT_PARTNER_SECRET) log.warn('demo.partner-secret: CONDUIT_PARTNER_SECRET is not set; using the demo secret.');
  const mode = env.CHARGIFY_MODE ?? 'simulated';
  if (mode !== 'simulated' && mode !== 'live') throw new Error('CHARGIFY_MODE must be "simulated" or "live".');
  return {
    port: Number(env.PORT ?? 8787),
    databasePath,
    partnerSecret: env.CONDUIT_PARTNER_SECRET ?? DEMO_PARTNER_SECRET,
    secretKey: env.CONDUIT_SECRET_KEY ? parseSecretKey(env.CONDUIT_SECRET_KEY) : demoSecretKey(databasePath, log),
    allowedOrigins: (env.CONDUIT_ALLOWED_ORIGINS ?? 'http://localhost:5173')
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
    chargifyMode: mode,
    chargifyTimeoutMs: Number(env.CHARGIFY_TIMEOUT_MS ?? 10_000),
  };
}
