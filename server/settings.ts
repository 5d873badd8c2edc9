import { accessSync, constants, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_TIMEOUT_MS } from './chargify/client.js';
import { newToken, parseSecretKey } from './crypto.js';
import { checkSecrets, type Settings } from './handler.js';
import { describeLimit, resolveLimits } from './limits.js';
import type { Logger } from './log.js';
import { ensurePrivateDirectory, ensurePrivateFile, PRIVATE_FILE_MODE } from './private-files.js';

export type SecretSource = 'environment' | 'generated file' | 'generated in memory';

export interface NodeSettings extends Settings {
  port: number;
  /** The SQLite file, or where the generated key files live when the store is Postgres. */
  databasePath: string;
  /** Set when `CONDUIT_DB` names a Postgres database: the store every process shares. */
  postgresUrl: string | null;
  chargifyMode: 'simulated' | 'live';
  chargifyTimeoutMs: number;
  /** The origin clients reach the backend at; request URLs are built on it, never on `Host`. */
  publicOrigin: string;
  /** Reverse proxies in front whose `X-Forwarded-For` entries are trusted for the client's address. */
  trustProxy: number;
  production: boolean;
  /** Where each secret came from, for the start-up log; never the secret. */
  sources: { partnerSecret: SecretSource; secretKey: SecretSource };
  /** Whether the data directory already existed readable by others. */
  dataDirectoryOpen: boolean;
  /** How often linked connections are checked again in the background; null: never (the default). */
  verifyIntervalMs: number | null;
}

/** A setting that cannot work; the message says what was expected. */
export class ConfigError extends Error {}

export const DEFAULT_DATABASE = '.data/conduit.sqlite';
const POSTGRES = /^\s*postgres(ql)?:\/\//i;

/**
 * `CONDUIT_DB`: a SQLite file path, a `file:` URL or `:memory:`. Anything else
 * with a scheme stops the start: a URL taken as a path would quietly become a
 * folder named after its scheme.
 */
export function databasePathFrom(value: string | undefined): string {
  const given = value?.trim() || DEFAULT_DATABASE;
  if (given === ':memory:') return given;
  if (given.startsWith('file://')) return fileURLToPath(given);
  if (given.startsWith('file:')) return given.slice('file:'.length);
  const scheme = /^([a-z][a-z0-9+.-]+):/i.exec(given)?.[1];
  // One letter is a Windows drive (C:\data), not a scheme.
  if (scheme) {
    throw new ConfigError(
      `CONDUIT_DB: "${scheme}:" is not a database this backend supports. Expected a SQLite file path (such as ${DEFAULT_DATABASE}), a file: URL, or a postgres:// URL.`,
    );
  }
  return given;
}

/** Where the generated partner secret is kept, beside the database; the demo's partner server reads it there. */
export function partnerSecretFile(databasePath: string): string {
  return join(dirname(databasePath), 'partner.secret');
}

function secretKeyFile(databasePath: string): string {
  return join(dirname(databasePath), 'secret.key');
}

/** The secret in `file`, made by `make` the first time; created exclusively, so two processes starting together agree. */
function generatedSecret(file: string, make: () => string): string {
  try {
    writeFileSync(file, make(), { mode: PRIVATE_FILE_MODE, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  ensurePrivateFile(file);
  return readFileSync(file, 'utf8').trim();
}

function prepareDataDirectory(databasePath: string): { open: boolean } {
  if (databasePath === ':memory:') return { open: false };
  const directory = dirname(databasePath);
  try {
    const { widerThanPrivate } = ensurePrivateDirectory(directory);
    accessSync(directory, constants.W_OK);
    return { open: widerThanPrivate };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new ConfigError(`CONDUIT_DB: cannot keep the database in "${directory}" (${code}). Point CONDUIT_DB at a file in a writable directory.`);
  }
}

function secret(
  given: string | undefined,
  databasePath: string,
  file: (databasePath: string) => string,
  make: () => string,
): { value: string; source: SecretSource } {
  if (given) return { value: given, source: 'environment' };
  if (databasePath === ':memory:') return { value: make(), source: 'generated in memory' };
  return { value: generatedSecret(file(databasePath), make), source: 'generated file' };
}

function positiveInteger(name: string, value: string | undefined, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined || value === '') return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0 || number > max) throw new ConfigError(`${name} must be a whole number from 0 to ${max}.`);
  return number;
}

const UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `CONDUIT_VERIFY_INTERVAL`: `24h`, `90m`, `3600s` or `1d`; at least 5 minutes. */
export function intervalFrom(value: string | undefined): number | null {
  if (value === undefined || value.trim() === '') return null;
  const match = /^(\d+)\s*([smhd])$/.exec(value.trim());
  const ms = match ? Number(match[1]) * UNITS[match[2]!]! : NaN;
  if (!(ms >= 5 * UNITS.m!)) throw new ConfigError(`CONDUIT_VERIFY_INTERVAL must be a duration of at least 5 minutes, such as 24h or 90m; got "${value}".`);
  return ms;
}

function originFrom(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`CONDUIT_PUBLIC_ORIGIN must be an origin such as https://api.example.com; got "${value}".`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.origin !== value.replace(/\/$/, '')) {
    throw new ConfigError(`CONDUIT_PUBLIC_ORIGIN must be an origin (scheme, host, port; no path) such as https://api.example.com.`);
  }
  return url.origin;
}

/**
 * Settings from the environment. Nothing is needed for a local start: the
 * secrets are generated once into files beside the database, readable by their
 * owner only. Production needs both secrets set, calls the real Chargify unless
 * told otherwise, and no secret anyone could guess is accepted anywhere.
 */
export function settingsFromEnv(env: NodeJS.ProcessEnv, log: Logger): NodeSettings {
  const production = env.NODE_ENV === 'production';
  const postgresUrl = POSTGRES.test(env.CONDUIT_DB ?? '') ? env.CONDUIT_DB!.trim() : null;
  const databasePath = postgresUrl ? DEFAULT_DATABASE : databasePathFrom(env.CONDUIT_DB);
  if (production && (!env.CONDUIT_SECRET_KEY || !env.CONDUIT_PARTNER_SECRET)) {
    throw new ConfigError('In production, set CONDUIT_SECRET_KEY and CONDUIT_PARTNER_SECRET.');
  }
  const mode = env.CHARGIFY_MODE || (production ? 'live' : 'simulated');
  if (mode !== 'simulated' && mode !== 'live') throw new ConfigError('CHARGIFY_MODE must be "simulated" or "live".');
  const port = positiveInteger('PORT', env.PORT, 8787, 65_535);
  const dataDirectory = prepareDataDirectory(databasePath);

  const partner = secret(env.CONDUIT_PARTNER_SECRET, databasePath, partnerSecretFile, newToken);
  const key = secret(env.CONDUIT_SECRET_KEY, databasePath, secretKeyFile, () => randomBytes(32).toString('hex'));
  let secretKey: Buffer;
  try {
    secretKey = parseSecretKey(key.value);
    checkSecrets({ partnerSecret: partner.value, secretKey });
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  // Said on every start, so it cannot go unnoticed in a deployment's logs.
  if (production && mode === 'simulated') log.warn('chargify.simulated-in-production', { mode });

  return {
    port,
    databasePath,
    postgresUrl,
    partnerSecret: partner.value,
    secretKey,
    allowedOrigins: (env.CONDUIT_ALLOWED_ORIGINS ?? 'http://localhost:5173')
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
    chargifyMode: mode,
    chargifyTimeoutMs: positiveInteger('CHARGIFY_TIMEOUT_MS', env.CHARGIFY_TIMEOUT_MS, DEFAULT_TIMEOUT_MS) || DEFAULT_TIMEOUT_MS,
    publicOrigin: originFrom(env.CONDUIT_PUBLIC_ORIGIN ?? `http://localhost:${port}`),
    trustProxy: positiveInteger('CONDUIT_TRUST_PROXY', env.CONDUIT_TRUST_PROXY, 0, 10),
    production,
    sources: { partnerSecret: partner.source, secretKey: key.source },
    dataDirectoryOpen: dataDirectory.open,
    verifyIntervalMs: intervalFrom(env.CONDUIT_VERIFY_INTERVAL),
  };
}

/** Each security-relevant setting in force, for the start-up log line; never a secret's value. */
export function securitySummary(settings: NodeSettings): Record<string, string | number> {
  const limits = resolveLimits(settings.limits);
  return {
    environment: settings.production ? 'production' : 'development',
    mode: settings.chargifyMode,
    partnerSecretSource: settings.sources.partnerSecret,
    secretKeySource: settings.sources.secretKey,
    dataFiles: settings.postgresUrl
      ? 'Postgres; key files beside .data/, directory 0700, files 0600'
      : settings.databasePath === ':memory:'
        ? 'in memory'
        : `directory 0700${settings.dataDirectoryOpen ? ' (existing, readable by others: tighten it)' : ''}, files 0600, secure_delete on`,
    limits: [
      `key attempts ${describeLimit(limits.attemptsPerSession)} per session`,
      `${describeLimit(limits.attemptsPerCompany)} per company`,
      `${describeLimit(limits.attemptsPerAddress)} per address`,
      `wrong partner secrets ${describeLimit(limits.wrongSecretsPerAddress)} per address`,
      `pending connections ${describeLimit(limits.pendingPerCompany)} per company`,
    ].join('; '),
    allowedOrigins: settings.allowedOrigins.length,
    publicOrigin: settings.publicOrigin,
    trustProxy: settings.trustProxy,
  };
}
