import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getResponse } from 'msw';
import { chargifyHandlers, DEMO_KEYS } from '../../mocks/chargify.js';
import { formatRows, runLiveCheck } from '../../server/chargify/live-check.js';
import { useSimulatedChargify } from './support.js';

// `npm run chargify:check` against the simulator standing in for the real
// Chargify (CI has no network): every probe runs, the table compares the two
// columns, and the key appears nowhere in what is printed.

useSimulatedChargify();

const check = (subdomain: string, region: 'US' | 'EU', apiKey: string) =>
  runLiveCheck({ subdomain, region, apiKey, fetch: (input, init) => fetch(input, init), simulate: (request) => getResponse(chargifyHandlers, request) });

describe('the live Chargify check', () => {
  it('verifies, then probes the unknowns; against the simulator itself both columns agree', async () => {
    const rows = await check('acme', 'US', DEMO_KEYS.acmeAdmin);
    assert.deepEqual(
      rows.map((row) => row.probe),
      [
        'verification of acme (US) with the key',
        'acme in the other region (EU), same key',
        'a made-up subdomain in US, same key',
        'a made-up subdomain in EU, same key',
        'acme (US) with a wrong key',
      ],
    );
    assert.equal(rows[0]!.live, 'verified: Acme Inc (acme)');
    assert.match(rows[2]!.live, /^404 · text\/html/);
    assert.match(rows[4]!.live, /^401 · .*HTTP Basic: Access denied\./);
    for (const row of rows) assert.equal(row.live, row.simulated, row.probe);
  });

  it('never prints the key, even where an answer would echo it', async () => {
    const table = formatRows(await check('acme', 'US', DEMO_KEYS.acmeAdmin));
    assert.ok(!table.includes(DEMO_KEYS.acmeAdmin));
    assert.ok(!table.includes(Buffer.from(`${DEMO_KEYS.acmeAdmin}:x`).toString('base64')));
    assert.match(table, /^\| probe \| the real Chargify answered \| the simulator assumes \|/);
  });

  it('shows a region hint only where the other region took the key', async () => {
    const rows = await check('euro-shop', 'US', DEMO_KEYS.euroShopAdmin);
    assert.equal(rows[0]!.live, 'site_not_found, hint EU');
    assert.match(rows[1]!.live, /^200 · application\/json/);
  });
});
