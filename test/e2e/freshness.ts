// Whether a build's outputs are older than what they are built from, and
// building them again when they are.
import { readdirSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';

// A directory's own mtime moves when a file in it is added or deleted. A file
// deleted mid-walk (an editor's swap file, a colleague's build) counts for nothing.
function newest(path: string): number {
  const stats = statSync(path, { throwIfNoEntry: false });
  if (!stats) return 0;
  if (!stats.isDirectory()) return stats.mtimeMs;
  return Math.max(stats.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
}

function modified(file: string): number {
  return statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0;
}

/**
 * Runs `build` when any of `outputs` is missing or no newer than everything in
 * `inputs`, and says whether it did. Call it holding the lock that `build`'s
 * outputs are shared under.
 */
export async function rebuildIfStale(inputs: string[], outputs: string[], build: () => Promise<unknown>): Promise<boolean> {
  const inputsChanged = Math.max(...inputs.map(newest));
  if (outputs.every((file) => modified(file) > inputsChanged)) return false;
  const started = new Date();
  try {
    await build();
  } finally {
    // What the build wrote (a failed one too) is dated when it began, not when
    // it was written: a file saved while the build ran, which it may have read
    // before the change, is then newer, and the next call builds again.
    for (const file of outputs) {
      if (modified(file) >= started.getTime()) utimesSync(file, started, started);
    }
  }
  return true;
}
