// The lock the end-to-end tests build dist/ and Storybook under, taken by real
// processes as `node --test` runs them: one killed holding it, one holding it
// alive, several racing for it.
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { linkSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { withLock } from './lock.js';

const LOCK_MODULE = new URL('./lock.ts', import.meta.url).href;

// Takes the lock, says so, and keeps it until its stdin ends.
const HOLDER = `
const { withLock } = await import(process.argv[1]);
await withLock(process.argv[2], async () => {
  process.stdout.write('held\\n');
  await new Promise((resolve) => process.stdin.on('end', resolve).resume());
});
`;

// Says it is ready and waits for its stdin to end; then four waiters in it
// (more polls to collide with other processes') take the lock five times each,
// each time creating a file that no other holder may have at that moment.
const CONTENDER = `
const { closeSync, openSync, rmSync } = await import('node:fs');
const { withLock } = await import(process.argv[1]);
const [lock, marker] = process.argv.slice(2);
process.stdout.write('ready\\n');
await new Promise((resolve) => process.stdin.on('end', resolve).resume());
await Promise.all(Array.from({ length: 4 }, async () => {
  for (let round = 0; round < 5; round += 1) {
    await withLock(lock, async () => {
      closeSync(openSync(marker, 'wx'));
      await new Promise((resolve) => setTimeout(resolve, 1));
      rmSync(marker);
    });
  }
}));
`;

function run(script: string, ...args: string[]): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, LOCK_MODULE, ...args]);
}

/** Resolves once `child` has printed `line`; rejects if it ends first. */
function says(child: ChildProcessWithoutNullStreams, line: string): Promise<void> {
  let output = '';
  let errors = '';
  child.stderr.on('data', (chunk: Buffer) => (errors += chunk));
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk;
      if (output.split('\n').includes(line)) resolve();
    });
    child.on('close', (code) => reject(new Error(`ended (${code}) before saying ${line}:\n${errors}`)));
  });
}

/** Resolves when `child` ends, failing with what it printed to stderr unless it succeeded. */
async function succeeds(child: ChildProcessWithoutNullStreams): Promise<void> {
  let errors = '';
  child.stderr.on('data', (chunk: Buffer) => (errors += chunk));
  const [code] = (await once(child, 'close')) as [number | null];
  assert.equal(code, 0, errors);
}

/** A lock whose holder was killed (SIGKILL, as good as Ctrl-C for this) while it held it. */
async function abandon(lock: string): Promise<void> {
  const holder = run(HOLDER, lock);
  await says(holder, 'held');
  const ended = once(holder, 'close');
  holder.kill('SIGKILL');
  await ended;
}

describe('withLock', () => {
  let dir: string;
  let lock: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'conduit-lock-test-'));
    lock = join(dir, 'test.pidlock');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('takes over at once a lock whose holder was killed', { timeout: 30_000 }, async () => {
    await abandon(lock);
    const start = Date.now();
    await withLock(lock, async () => {});
    assert(Date.now() - start < 5_000, `took ${Date.now() - start} ms`);
  });

  it('takes over a lock whose holder was killed while another was taking it over', { timeout: 30_000 }, async () => {
    // The takeover has a lock of its own; a holder killed in that instant must not leave the lock stuck.
    await abandon(lock);
    await abandon(`${lock}.takeover`);
    const start = Date.now();
    await withLock(lock, async () => {});
    assert(Date.now() - start < 5_000, `took ${Date.now() - start} ms`);
  });

  it('takes over at once a lock file that names no one (cut short or damaged)', { timeout: 30_000 }, async () => {
    for (const content of ['', '{"pid":', '{"host":"here"}']) {
      writeFileSync(lock, content);
      const start = Date.now();
      await withLock(lock, async () => {});
      assert(Date.now() - start < 5_000, `${JSON.stringify(content)}: took ${Date.now() - start} ms`);
    }
  });

  it('waits for a lock held by a live process, and takes it once released', { timeout: 30_000 }, async () => {
    const holder = run(HOLDER, lock);
    const ended = succeeds(holder);
    await says(holder, 'held');
    let held = false;
    const waiting = withLock(lock, async () => {
      held = true;
    });
    await sleep(1_000);
    assert.equal(held, false, 'taken while another process held it');
    holder.stdin.end();
    await waiting;
    assert.equal(held, true);
    await ended;
  });

  it('is held by one process at a time when several race for it, abandoned locks included', { timeout: 60_000 }, async () => {
    const marker = join(dir, 'holder');
    const contenders = Array.from({ length: 8 }, () => run(CONTENDER, lock, marker));
    const ended = Promise.all(contenders.map(succeeds));
    await Promise.all(contenders.map((child) => says(child, 'ready')));
    // A lock as a killed holder leaves it, put back whenever the lock is free,
    // so that the contenders keep finding it abandoned together and taking it over.
    await abandon(lock);
    const abandoned = join(dir, 'abandoned');
    renameSync(lock, abandoned);
    const planting = setInterval(() => {
      try {
        linkSync(abandoned, lock);
      } catch {
        // Held: try again.
      }
    }, 1);
    try {
      for (const child of contenders) child.stdin.end();
      await ended;
    } finally {
      clearInterval(planting);
    }
  });
});
