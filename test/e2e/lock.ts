// A lock shared by processes (`node --test` runs each test file in one of its
// own). It is a file that names its owner, so a lock left behind by a killed
// process (Ctrl-C during a build) is taken over at once, while one held by a
// live process is waited for.
import { randomUUID } from 'node:crypto';
import { linkSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';

interface Owner {
  pid: number;
  host: string;
  /** This one hold of the lock: a release must not remove a lock taken over since. */
  token: string;
}

const POLL_MS = 100;
const HEARTBEAT_MS = 5_000;
// The holder touches its lock every HEARTBEAT_MS. One left untouched this long is
// abandoned even though a process with its owner's PID runs: the PID has been
// reused (or is a zombie nobody reaps), or belongs to another host sharing this
// directory, where it says nothing.
const SILENT_MS = 120_000;

/** Runs `work` holding `lock` (a file path), waiting for any other holder first: this process too, so never nest it. */
export async function withLock<T>(lock: string, work: () => Promise<T>): Promise<T> {
  const me: Owner = { pid: process.pid, host: hostname(), token: randomUUID() };
  while (!tryCreate(lock, me)) {
    const abandoned = abandonedToken(lock);
    if (abandoned !== undefined) await removeIfAbandoned(lock, abandoned);
    else await sleep(POLL_MS);
  }
  const heartbeat = setInterval(() => touch(lock), HEARTBEAT_MS);
  try {
    return await work();
  } finally {
    clearInterval(heartbeat);
    if (readOwner(lock)?.token === me.token) rmSync(lock, { force: true });
  }
}

/** Creates `lock` naming `owner`, or returns false when it exists. */
function tryCreate(lock: string, owner: Owner): boolean {
  // Written aside, then linked into place: the link fails when the name is
  // taken, and no one ever reads a lock whose owner is not written yet.
  const draft = `${lock}.${owner.token}`;
  try {
    writeFileSync(draft, JSON.stringify(owner));
    linkSync(draft, lock);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    rmSync(draft, { force: true });
  }
}

/** The owner of `lock`; undefined when it has been released, null when the file names no one (it was damaged). */
function readOwner(lock: string): Owner | null | undefined {
  let text: string;
  try {
    text = readFileSync(lock, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const owner = JSON.parse(text) as Partial<Owner>;
    return typeof owner.token === 'string' && typeof owner.pid === 'number' ? (owner as Owner) : null;
  } catch {
    return null;
  }
}

/**
 * The token of `lock`'s holder when that holder is gone: its process is dead,
 * it has been silent for SILENT_MS, or the file names no one (`''`). Undefined
 * when the lock is free or its holder lives.
 */
function abandonedToken(lock: string): string | undefined {
  const touched = statSync(lock, { throwIfNoEntry: false })?.mtimeMs;
  const owner = readOwner(lock);
  if (touched === undefined || owner === undefined) return undefined;
  if (owner === null) return '';
  if (Date.now() - touched > SILENT_MS) return owner.token;
  return owner.host === hostname() && !isRunning(owner.pid) ? owner.token : undefined;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// Two processes that both find the lock abandoned must not both remove it: the
// second would remove the lock the first has just taken. So the finding is made
// again, for the same holder, and acted on under a lock of its own, held for an
// instant (and taken over the same way should its holder be killed in that instant).
function removeIfAbandoned(lock: string, token: string): Promise<void> {
  return withLock(`${lock}.takeover`, async () => {
    if (abandonedToken(lock) === token) rmSync(lock, { force: true });
  });
}

function touch(lock: string): void {
  const now = new Date();
  try {
    utimesSync(lock, now, now);
  } catch {
    // Gone already: nothing to keep.
  }
}
