import { randomBytes } from 'node:crypto';
import { createChargifyVerifier } from './client.js';
import type { Region, Verification } from './types.js';

// `npm run chargify:check`: what the real Chargify answers where nothing public
// says (DESIGN §7), beside what the simulator assumes. A partner with a test
// site runs it once; the table shows which assumptions hold there. The key is
// sent only in the Authorization header and never printed.

const HOSTS: Record<Region, (subdomain: string) => string> = {
  US: (subdomain) => `https://${subdomain}.chargify.com`,
  EU: (subdomain) => `https://${subdomain}.ebilling.maxio.com`,
};

export interface CheckInput {
  subdomain: string;
  region: Region;
  apiKey: string;
  /** The real network, or a stand-in in tests. */
  fetch: typeof fetch;
  /** What the simulation answers the same request with. */
  simulate: (request: Request) => Promise<Response | undefined>;
}

export interface CheckRow {
  probe: string;
  live: string;
  simulated: string;
}

/** One answer, in a line: status, type, Retry-After and the start of the body, with the key cut out. */
async function describeAnswer(answer: Promise<Response | undefined>, apiKey: string): Promise<string> {
  try {
    const response = await answer;
    if (!response) return 'no answer';
    const type = response.headers.get('Content-Type') ?? 'no Content-Type';
    const retryAfter = response.headers.get('Retry-After');
    const location = response.headers.get('Location');
    const body = (await response.text()).split(apiKey).join('[key]').replace(/\s+/g, ' ').trim().slice(0, 60);
    return [`${response.status}`, type, retryAfter ? `Retry-After ${retryAfter}` : '', location ? `Location ${location}` : '', body ? `“${body}”` : '']
      .filter(Boolean)
      .join(' · ');
  } catch (error) {
    const code = (error as { cause?: { code?: unknown } }).cause?.code;
    return typeof code === 'string' ? `no connection (${code})` : 'no connection';
  }
}

function siteRequest(subdomain: string, region: Region, apiKey: string): Request {
  return new Request(`${HOSTS[region](subdomain)}/site.json`, {
    headers: { Authorization: `Basic ${Buffer.from(`${apiKey}:x`, 'utf8').toString('base64')}`, Accept: 'application/json' },
    redirect: 'manual',
  });
}

function describeVerdict(verification: Verification): string {
  if (verification.outcome === 'verified') return `verified: ${verification.site.name} (${verification.site.subdomain})`;
  if (verification.outcome === 'site_not_found' && verification.otherRegion) return `site_not_found, hint ${verification.otherRegion}`;
  return verification.outcome;
}

/**
 * The real verification of the key, then the probes of what is not published:
 * a made-up subdomain in each region, the other region with the same key, and a
 * wrong key on the real site.
 */
export async function runLiveCheck(input: CheckInput): Promise<CheckRow[]> {
  const { subdomain, region, apiKey } = input;
  const other: Region = region === 'US' ? 'EU' : 'US';
  const madeUp = `conduit-check-${randomBytes(6).toString('hex')}`;
  const live = createChargifyVerifier({ fetch: input.fetch });
  const simulated = createChargifyVerifier({ fetch: async (request, init) => (await input.simulate(new Request(request, init))) ?? Response.error() });

  const rows: CheckRow[] = [
    {
      probe: `verification of ${subdomain} (${region}) with the key`,
      live: describeVerdict(await live.verify({ subdomain, region, apiKey })),
      simulated: describeVerdict(await simulated.verify({ subdomain, region, apiKey })),
    },
  ];
  const probes: [string, Request][] = [
    [`${subdomain} in the other region (${other}), same key`, siteRequest(subdomain, other, apiKey)],
    [`a made-up subdomain in US, same key`, siteRequest(madeUp, 'US', apiKey)],
    [`a made-up subdomain in EU, same key`, siteRequest(madeUp, 'EU', apiKey)],
    [`${subdomain} (${region}) with a wrong key`, siteRequest(subdomain, region, `${apiKey}-not-this`)],
  ];
  for (const [probe, request] of probes) {
    rows.push({
      probe,
      live: await describeAnswer(input.fetch(request.clone()), apiKey),
      simulated: await describeAnswer(input.simulate(request.clone()), apiKey),
    });
  }
  return rows;
}

/** The rows as a Markdown table, for a terminal or an issue. */
export function formatRows(rows: readonly CheckRow[]): string {
  const lines = ['| probe | the real Chargify answered | the simulator assumes |', '|---|---|---|'];
  for (const row of rows) lines.push(`| ${row.probe} | ${row.live} | ${row.simulated} |`);
  return lines.join('\n');
}
