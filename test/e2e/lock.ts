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
    if (isAbandoned(lock)) await removeIfAbandoned(lock);
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

/** The owner of `lock`, or undefined when it has been released. */
function readOwner(lock: string): Owner | undefined {
  try {
    return JSON.parse(readFileSync(lock, 'utf8')) as Owner;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Whether `lock` exists but its holder is gone: its process is dead, or it has been silent for SILENT_MS. */
function isAbandoned(lock: string): boolean {
  const touched = statSync(lock, { throwIfNoEntry: false })?.mtimeMs;
  const owner = readOwner(lock);
  if (touched === undefined || owner === undefined) return false;
  if (Date.now() - touched > SILENT_MS) return true;
  return owner.host === hostname() && !isRunning(owner.pid);
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
// again and acted on under a lock of its own, held for an instant (and taken
// over the same way should its holder be killed in that instant).
function removeIfAbandoned(lock: string): Promise<void> {
  return withLock(`${lock}.takeover`, async () => {
    if (isAbandoned(lock)) rmSync(lock, { force: true });
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
