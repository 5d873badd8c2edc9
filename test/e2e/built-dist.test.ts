// The e2e tests read the builds `npm test` makes first; run alone without them,
// they must say what to run rather than fail somewhere inside a missing file.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { requireBuilt } from './built-dist.js';

describe('the builds the e2e tests read', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'built-dist-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('fails naming the missing files and the command that makes them', () => {
    assert.throws(
      () => requireBuilt([join(scratch, 'nowhere.js')], 'npm run build', []),
      (error: Error) => /nowhere\.js missing: run `npm run build` first/.test(error.message),
    );
  });

  it('reads a build that is there and newer than its sources, without a warning', () => {
    const source = join(scratch, 'source.ts');
    const output = join(scratch, 'output.js');
    writeFileSync(source, '');
    writeFileSync(output, '');
    utimesSync(source, new Date(1_000_000), new Date(1_000_000));
    const warnings: string[] = [];
    const listen = (warning: Error) => warnings.push(warning.message);
    process.on('warning', listen);
    try {
      assert.doesNotThrow(() => requireBuilt([output], 'npm run build', [source]));
    } finally {
      process.off('warning', listen);
    }
    assert.deepEqual(warnings, []);
  });

  it('warns, once, when the build is older than its sources', async () => {
    const source = join(scratch, 'edited.ts');
    const output = join(scratch, 'old.js');
    writeFileSync(output, '');
    utimesSync(output, new Date(1_000_000), new Date(1_000_000));
    writeFileSync(source, '');
    const warnings: string[] = [];
    const listen = (warning: Error) => warnings.push(warning.message);
    process.on('warning', listen);
    try {
      requireBuilt([output], 'npm run stale-build', [source]);
      requireBuilt([output], 'npm run stale-build', [source]);
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', listen);
    }
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /`npm run stale-build` wrote is older than its sources/);
  });
});
