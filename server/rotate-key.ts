import { existsSync } from 'node:fs';
import { deriveKeys, open, parseSecretKey, seal, type DerivedKeys } from './crypto.js';
import { ConfigError, databasePathFrom, DEFAULT_DATABASE } from './settings.js';
import { isPostgres, withDriver } from './store/open.js';

// `conduit-link-server rotate-key`: every stored API key sealed again under a new
// CONDUIT_SECRET_KEY, in one transaction, so a database is never left half
// rotated. Run with every backend process stopped: a process still holding the
// old key could not open what was resealed, and would seal new keys the new one
// cannot open. Running it twice is harmless: the second run finds every key
// already opening with the new secret and seals it again under that secret.

/** A sealed key as stored: bound to its connection id. */
interface SealedRow {
  connection_id: string;
  sealed: string;
}

/** Reads every sealed key and writes back what `reseal` makes of them, all or none; how many it wrote. */
type Rewrite = (reseal: (rows: SealedRow[]) => SealedRow[]) => Promise<number>;

export interface Rotation {
  /** Keys now sealed under the new secret. */
  resealed: number;
}

/** Each row opened with the new secret (already rotated) or the old one, and sealed under the new. */
function resealAll(rows: SealedRow[], oldKeys: DerivedKeys, newKeys: DerivedKeys): SealedRow[] {
  const unreadable: string[] = [];
  const resealed = rows.flatMap(({ connection_id, sealed }) => {
    for (const keys of [newKeys, oldKeys]) {
      try {
        return [{ connection_id, sealed: seal(newKeys, open(keys, sealed, connection_id), connection_id) }];
      } catch {
        // Not sealed under this secret (GCM refuses it); try the other.
      }
    }
    unreadable.push(connection_id);
    return [];
  });
  if (unreadable.length > 0) {
    // Nothing is written: a wrong old secret must not leave some keys rotated and the rest lost.
    throw new ConfigError(
      `${unreadable.length} of ${rows.length} stored keys open with neither the old nor the new secret (connections ${unreadable.join(', ')}); nothing was changed. Check CONDUIT_OLD_SECRET_KEY.`,
    );
  }
  return resealed;
}

async function sqliteRewrite(path: string): Promise<Rewrite> {
  if (path === ':memory:' || !existsSync(path)) throw new ConfigError(`CONDUIT_DB: there is no SQLite database at "${path}" to rotate.`);
  const { default: Database } = await withDriver('better-sqlite3', () => import('better-sqlite3'));
  return async (reseal) => {
    const db = new Database(path, { fileMustExist: true });
    try {
      // As on every connection the store opens: what is replaced is overwritten, never left in free pages.
      db.pragma('secure_delete = ON');
      const update = db.prepare('UPDATE credentials SET sealed = ? WHERE connection_id = ?');
      return db
        .transaction(() => {
          const rows = reseal(db.prepare('SELECT connection_id, sealed FROM credentials').all() as SealedRow[]);
          for (const row of rows) update.run(row.sealed, row.connection_id);
          return rows.length;
        })
        .immediate();
    } finally {
      // The last connection to close copies the write-ahead log home and deletes it, old pages included.
      db.close();
    }
  };
}

async function postgresRewrite(url: string): Promise<Rewrite> {
  const { default: pg } = await withDriver('pg', () => import('pg'));
  return async (reseal) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query('BEGIN');
      // Locked until the commit, so a process started too early cannot change a key under us.
      const rows = reseal((await client.query<SealedRow>('SELECT connection_id, sealed FROM credentials FOR UPDATE')).rows);
      for (const row of rows) await client.query('UPDATE credentials SET sealed = $1 WHERE connection_id = $2', [row.sealed, row.connection_id]);
      await client.query('COMMIT');
      return rows.length;
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      await client.end();
    }
  };
}

/** Reseals every stored key of the database `location` names (as `CONDUIT_DB`) from `oldKey` to `newKey`. */
export async function rotateSecretKey(location: string, oldKey: Buffer, newKey: Buffer): Promise<Rotation> {
  if (oldKey.equals(newKey)) throw new ConfigError('The old and the new secret key are the same: nothing to rotate.');
  const rewrite = isPostgres(location) ? await postgresRewrite(location.trim()) : await sqliteRewrite(databasePathFrom(location));
  const [oldKeys, newKeys] = [deriveKeys(oldKey), deriveKeys(newKey)];
  return { resealed: await rewrite((rows) => resealAll(rows, oldKeys, newKeys)) };
}

function keyFrom(env: NodeJS.ProcessEnv, name: string): Buffer {
  const value = env[name];
  if (!value) throw new ConfigError(`rotate-key needs ${name}.`);
  try {
    return parseSecretKey(value);
  } catch (error) {
    throw new ConfigError(`${name}: ${(error as Error).message.replace(/^CONDUIT_SECRET_KEY /, '')}`);
  }
}

/** The command, configured by the environment: CONDUIT_DB, CONDUIT_OLD_SECRET_KEY, CONDUIT_NEW_SECRET_KEY. */
export async function rotateKeyFromEnv(env: NodeJS.ProcessEnv): Promise<Rotation> {
  return rotateSecretKey(env.CONDUIT_DB || DEFAULT_DATABASE, keyFrom(env, 'CONDUIT_OLD_SECRET_KEY'), keyFrom(env, 'CONDUIT_NEW_SECRET_KEY'));
}
