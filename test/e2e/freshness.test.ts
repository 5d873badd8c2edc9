// When the end-to-end tests rebuild dist/ and Storybook: outputs are judged by
// when the build that wrote them began, so an edit made during it is not lost.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { rebuildIfStale } from './freshness.js';

// Between two writes, so that their mtimes differ.
const TICK_MS = 30;

describe('rebuildIfStale', () => {
  let dir: string;
  let input: string;
  let output: string;
  let builds: number;
  const build = async () => {
    builds += 1;
    writeFileSync(output, 'built');
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'conduit-freshness-test-'));
    input = join(dir, 'source.ts');
    output = join(dir, 'built.js');
    builds = 0;
    writeFileSync(input, 'before');
    // Saved well before any build: one saved in the millisecond a build starts counts as saved during it.
    const aMinuteAgo = new Date(Date.now() - 60_000);
    utimesSync(input, aMinuteAgo, aMinuteAgo);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('builds a missing output, then not again while nothing changes', async () => {
    assert.equal(await rebuildIfStale([input], [output], build), true);
    assert.equal(await rebuildIfStale([input], [output], build), false);
    assert.equal(builds, 1);
  });

  it('builds again after an input changes', async () => {
    await rebuildIfStale([input], [output], build);
    await sleep(TICK_MS);
    writeFileSync(input, 'after');
    assert.equal(await rebuildIfStale([input], [output], build), true);
    assert.equal(builds, 2);
  });

  it('builds again after an input was saved while the build ran, though the output was written after it', async () => {
    await rebuildIfStale([input], [output], async () => {
      await sleep(TICK_MS);
      writeFileSync(input, 'saved mid-build');
      await sleep(TICK_MS);
      await build();
    });
    assert.equal(await rebuildIfStale([input], [output], build), true);
  });

  it('leaves an output a failed build did not write as old as it was', async () => {
    await rebuildIfStale([input], [output], build);
    await sleep(TICK_MS);
    writeFileSync(input, 'after');
    const failing = () => Promise.reject(new Error('the build failed'));
    await assert.rejects(rebuildIfStale([input], [output], failing), /the build failed/);
    assert.equal(await rebuildIfStale([input], [output], build), true);
  });
});
