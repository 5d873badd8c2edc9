import { ConfigError, databasePathFrom } from '../settings.js';
import type { Store } from './store.js';

// Both database drivers are optional peers of the package: a deployment installs
// the one its CONDUIT_DB needs, and only that one is ever loaded.

const POSTGRES = /^\s*postgres(ql)?:\/\//i;

/** Whether `location` (a `CONDUIT_DB` value) names a Postgres database rather than a SQLite file. */
export function isPostgres(location: string): boolean {
  return POSTGRES.test(location);
}

const NEEDS: Record<'better-sqlite3' | 'pg', string> = {
  'better-sqlite3': 'CONDUIT_DB names a SQLite file',
  pg: 'CONDUIT_DB names a Postgres database',
};

function isMissing(error: unknown, name: string): boolean {
  const { code, message } = error as NodeJS.ErrnoException;
  return code === 'ERR_MODULE_NOT_FOUND' && message.includes(`'${name}'`);
}

/**
 * Imports `load`, which needs the driver `name`; a driver that is not installed
 * becomes a ConfigError saying which package to add. Any other failure is left as it is.
 */
export async function withDriver<T>(name: keyof typeof NEEDS, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (!isMissing(error, name)) throw error;
    throw new ConfigError(`${NEEDS[name]}, but the \`${name}\` package is not installed beside conduit-link-server: npm install ${name}`);
  }
}

export interface OpenStoreOptions {
  /** Connections in the Postgres pool. */
  poolSize?: number;
}

/**
 * The store `location` names, as `CONDUIT_DB` does: a `postgres://` URL, or a SQLite
 * file path, `file:` URL or `:memory:`. Migrated on open.
 */
export async function openStore(location: string, options: OpenStoreOptions = {}): Promise<Store> {
  if (isPostgres(location)) {
    // postgres.ts loads `pg` itself, on open, with the same kind of message when it is missing.
    const { openPostgresStore } = await import('./postgres.js');
    return openPostgresStore(location.trim(), { poolSize: options.poolSize });
  }
  const path = databasePathFrom(location);
  const { openSqliteStore } = await withDriver('better-sqlite3', () => import('./sqlite.js'));
  return openSqliteStore(path);
}
