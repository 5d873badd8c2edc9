import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';

// The backend's data directory holds sealed keys and the secrets that open
// them: only the user the backend runs as may read it.

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Creates `directory` readable by its owner only; says whether it already existed more open. */
export function ensurePrivateDirectory(directory: string): { widerThanPrivate: boolean } {
  if (!existsSync(directory)) {
    mkdirSync(directory, { recursive: true, mode: PRIVATE_DIR_MODE });
    // mkdir's mode is filtered by the umask; set it outright.
    chmodSync(directory, PRIVATE_DIR_MODE);
    return { widerThanPrivate: false };
  }
  const stat = statSync(directory);
  if (!stat.isDirectory()) throw Object.assign(new Error(`${directory} is not a directory.`), { code: 'ENOTDIR' });
  // A directory the operator chose (the working directory, say) is theirs: report, never change it.
  return { widerThanPrivate: (stat.mode & 0o077) !== 0 };
}

/** Creates `file` if need be, and makes it (and any existing copy) readable by its owner only. */
export function ensurePrivateFile(file: string): void {
  closeSync(openSync(file, 'a', PRIVATE_FILE_MODE));
  chmodSync(file, PRIVATE_FILE_MODE);
}

/** Makes files that already exist private; SQLite creates its journal files with the database's mode. */
export function tightenIfPresent(files: readonly string[]): void {
  for (const file of files) if (existsSync(file)) chmodSync(file, PRIVATE_FILE_MODE);
}
