import { delay, http, HttpResponse, type HttpHandler } from 'msw';
import type { Region } from '../server/chargify/types.js';

// Chargify (Maxio Advanced Billing) as the reference backend meets it (DESIGN §7),
// on both regional hosts: `GET /site.json` with HTTP Basic auth, and the demo's
// sites and keys (see README). For the server tests and the backend's
// `CHARGIFY_MODE=simulated`, under `msw/node`.
//
// Each answer is built from what Maxio's official SDKs assert against live sites,
// or failing that from the official docs; where no public source says what the
// live API sends, the answer is an assumption, marked ASSUMED here and listed in
// the README's "What we know about Chargify, and what we assume". Sources, by
// repository and file (the facts, not their code):
//   maxio-com/ab-typescript-sdk e2e/src/sitesController.spec.ts — the 200 body of /site.json, checked whole on a live site
//   maxio-com/ab-php-sdk tests/TestFactory/TestSiteFactory.php — live fields the schema lacks
//   maxio-com/ab-golang-sdk test/site_test.go; maxio-com/ab-php-sdk tests/Controllers/SitesControllerTest.php — 401 for a wrong key on /site.json
//   maxio-com/ab-java-sdk tests/.../utils/assertions/CommonAssertions.java — the 401 body "HTTP Basic: Access denied."
//   maxio-com/ab-python-sdk advancedbilling/configuration.py — the US and EU hosts
//   the SDK READMEs, "API Access Limitations" — the 422 sentences of blocked sites
//   maxio-com/stoplight-platform-developer-docs docs/getting-started/API-Guidelines.md — 4 concurrent requests per
//     site, 429 "usage violation" with no documented Retry-After, the 120 s cut-off
//   maxio-com/stoplight-platform-developer-docs docs/getting-started/Authentication.md — Basic auth, key as user name, "x" as password

export const DEMO_KEYS = {
  acmeAdmin: 'chg_demo_acme_admin',
  /** A second key of the same site, as a rotation makes: replacing a connection's key with it keeps the connection. */
  acmeRotated: 'chg_demo_acme_rotated',
  euroShopAdmin: 'chg_demo_euro_admin',
} as const;

export const DEMO_SUBDOMAINS = {
  /** US only; its key connects. */
  acme: 'acme',
  /** EU only, so typing it as US finds it in the other region. */
  euroShop: 'euro-shop',
  /** Answers 422 (trial ended) to any key, in both regions. */
  trialEnded: 'trial-ended',
  /** Answers 422 "Site data clearing is in progress" (temporary) to any key, in both regions. */
  clearing: 'clearing',
  /** Answers 429 (usage violation) to any key, in both regions. */
  busy: 'busy',
  /** Answers 503 to any key, in both regions. */
  outage: 'outage',
  /** Never answers, in both regions. */
  slow: 'slow',
} as const;

// The sentences the SDK READMEs document for blocked sites.
export const TRIAL_ENDED_MESSAGE = 'Your trial has ended, please contact sales.';
export const DATA_CLEARING_MESSAGE = 'Site data clearing is in progress. Please try later.';
export const BASIC_AUTH_DENIED = 'HTTP Basic: Access denied.';
// Documented words of the 429; the reference code's form is not published (ASSUMED).
export const USAGE_VIOLATION = 'Your request was denied due to a usage violation. You can track this request with support by referencing';

// The shape the TypeScript SDK's live test checks whole (its values are another site's),
// with the fields the PHP SDK's live test found beyond the documented schema.
export const ACME_SITE = {
  id: 48213,
  name: 'Acme Inc',
  subdomain: 'acme',
  currency: 'USD',
  seller_id: 7741,
  non_primary_currencies: ['CAD'],
  relationship_invoicing_enabled: true,
  customer_hierarchy_enabled: false,
  whopays_enabled: false,
  whopays_default_payer: 'self-ungrouped',
  allocation_settings: { upgrade_charge: 'prorated', downgrade_credit: 'none', accrue_charge: 'true' },
  default_payment_collection_method: 'automatic',
  organization_address: {
    street: '100 Market Street',
    line2: 'Suite 400',
    city: 'San Francisco',
    state: 'CA',
    zip: '94105',
    country: 'US',
    name: 'Acme Inc',
    phone: '+1 415 555 0134',
  },
  tax_configuration: { kind: 'custom', fully_configured: true, destination_address: 'shipping_then_billing' },
  net_terms: {
    default_net_terms: 0,
    automatic_net_terms: 0,
    remittance_net_terms: 30,
    net_terms_on_remittance_signups_enabled: false,
    custom_net_terms_enabled: false,
    net_terms_on_automatic_signups_enabled: false,
  },
  test: false,
  schedule_subscription_cancellation_enabled: false,
  brighton_v1_enabled: false,
  auto_renewals_enabled: false,
  portal_enabled: false,
};

// Relationship Invoicing off: the docs say its three settings are then absent, and
// an empty currency list comes back as [] (the PHP and Go SDKs' live tests).
export const EURO_SHOP_SITE = {
  id: 51877,
  name: 'Euro Shop GmbH',
  subdomain: 'euro-shop',
  currency: 'EUR',
  seller_id: 9012,
  non_primary_currencies: [],
  relationship_invoicing_enabled: false,
  allocation_settings: { upgrade_charge: 'full', downgrade_credit: 'prorated', accrue_charge: 'false' },
  default_payment_collection_method: 'remittance',
  organization_address: {
    street: 'Friedrichstraße 68',
    line2: null,
    city: 'Berlin',
    state: 'BE',
    zip: '10117',
    country: 'DE',
    name: 'Euro Shop GmbH',
    phone: '+49 30 5555 0199',
  },
  tax_configuration: { kind: 'custom', fully_configured: true, destination_address: 'billing_then_shipping' },
  net_terms: {
    default_net_terms: 14,
    automatic_net_terms: 0,
    remittance_net_terms: 14,
    net_terms_on_remittance_signups_enabled: true,
    custom_net_terms_enabled: false,
    net_terms_on_automatic_signups_enabled: false,
  },
  test: true,
  schedule_subscription_cancellation_enabled: false,
  brighton_v1_enabled: false,
  auto_renewals_enabled: true,
  portal_enabled: true,
};

/** One request as it reached the simulated Chargify; times from `performance.now()`. */
export interface ChargifyRequest {
  method: string;
  host: string;
  region: Region;
  subdomain: string;
  /** As received, so tests can check how the key was sent. */
  authorization: string | null;
  startedAt: number;
  /** Set when the answer leaves, or when the client gives up on a site that never answers. */
  endedAt?: number;
}

export interface ChargifyRecording {
  readonly requests: readonly ChargifyRequest[];
  stop(): void;
}

// Only while someone records: the simulated backend runs for days and must not
// keep every request, nor the keys in their headers.
const recordings = new Set<ChargifyRequest[]>();

/** Records every request from now until `stop()`. */
export function recordChargifyRequests(): ChargifyRecording {
  const requests: ChargifyRequest[] = [];
  recordings.add(requests);
  return { requests, stop: () => recordings.delete(requests) };
}

/** The most requests that were in flight at one instant (for one subdomain, if given). */
export function maxInFlight(requests: readonly ChargifyRequest[], subdomain?: string): number {
  const chosen = requests.filter((request) => subdomain === undefined || request.subdomain === subdomain);
  const edges = chosen.flatMap((request) => [
    { at: request.startedAt, change: 1 },
    { at: request.endedAt ?? Infinity, change: -1 },
  ]);
  // Ends sort before starts at the same instant: a request that begins as another ends does not overlap it.
  edges.sort((a, b) => a.at - b.at || a.change - b.change);
  let inFlight = 0;
  let most = 0;
  for (const edge of edges) {
    inFlight += edge.change;
    most = Math.max(most, inFlight);
  }
  return most;
}

/** A site answers by key; a scenario answers every key alike. */
type Behaviour =
  | { kind: 'site'; site: object; keys: readonly string[] }
  | { kind: 'scenario'; answer: (request: Request) => Promise<Response> | Response };

const SCENARIOS: Record<string, Behaviour> = {
  [DEMO_SUBDOMAINS.trialEnded]: { kind: 'scenario', answer: () => errors(422, TRIAL_ENDED_MESSAGE) },
  [DEMO_SUBDOMAINS.clearing]: { kind: 'scenario', answer: () => errors(422, DATA_CLEARING_MESSAGE) },
  [DEMO_SUBDOMAINS.busy]: { kind: 'scenario', answer: usageViolation },
  [DEMO_SUBDOMAINS.outage]: { kind: 'scenario', answer: maintenancePage },
  [DEMO_SUBDOMAINS.slow]: { kind: 'scenario', answer: (request) => never(request.signal) },
};

const SITES: Record<Region, Record<string, Behaviour>> = {
  US: { ...SCENARIOS, [DEMO_SUBDOMAINS.acme]: { kind: 'site', site: ACME_SITE, keys: [DEMO_KEYS.acmeAdmin, DEMO_KEYS.acmeRotated] } },
  EU: { ...SCENARIOS, [DEMO_SUBDOMAINS.euroShop]: { kind: 'site', site: EURO_SHOP_SITE, keys: [DEMO_KEYS.euroShopAdmin] } },
};

export interface ChargifyHandlerOptions {
  /** How long each answer takes; long enough that concurrent requests would overlap. */
  latencyMs?: number;
}

// The hosts the official SDKs use (maxio-com/ab-python-sdk advancedbilling/configuration.py).
export function createChargifyHandlers(options: ChargifyHandlerOptions = {}): HttpHandler[] {
  const latencyMs = options.latencyMs ?? 25;
  const host = (region: Region, domain: string) =>
    http.get<{ subdomain: string }>(`https://:subdomain.${domain}/site.json`, async ({ request, params }) => {
      const record = startRecord(request, region, params.subdomain);
      try {
        await delay(latencyMs);
        return await answer(request, own(SITES[region], record.subdomain));
      } finally {
        record.endedAt = performance.now();
      }
    });
  return [host('US', 'chargify.com'), host('EU', 'ebilling.maxio.com')];
}

export const chargifyHandlers: HttpHandler[] = createChargifyHandlers();

function startRecord(request: Request, region: Region, subdomain: string): ChargifyRequest {
  const record: ChargifyRequest = {
    method: request.method,
    host: new URL(request.url).host,
    region,
    subdomain: subdomain.toLowerCase(),
    authorization: request.headers.get('Authorization'),
    startedAt: performance.now(),
  };
  for (const requests of recordings) requests.push(record);
  return record;
}

// Keys revoked in the simulated Chargify, as a site admin deletes one under Config → Integrations → API Keys.
const revoked = new Set<string>();

/** Deletes a demo key in the simulation: from now on it gets the wrong-key 401. */
export function revokeKey(apiKey: string): void {
  revoked.add(apiKey);
}

/** Brings every revoked demo key back. */
export function restoreKeys(): void {
  revoked.clear();
}

/**
 * The simulation's own controls, mounted by the backend in simulated mode only:
 * `POST /simulator/revoke` `{"apiKey": "…"}` and `POST /simulator/restore`.
 */
export async function simulatorControls(request: Request): Promise<Response> {
  const { pathname } = new URL(request.url);
  if (request.method === 'POST' && pathname === '/simulator/revoke') {
    const body = (await request.json().catch(() => null)) as { apiKey?: unknown } | null;
    if (typeof body?.apiKey !== 'string') return HttpResponse.json({ error: 'Send {"apiKey": "…"}.' }, { status: 400 });
    revokeKey(body.apiKey);
    return new HttpResponse(null, { status: 204 });
  }
  if (request.method === 'POST' && pathname === '/simulator/restore') {
    restoreKeys();
    return new HttpResponse(null, { status: 204 });
  }
  return HttpResponse.json({ error: 'POST /simulator/revoke or /simulator/restore.' }, { status: 404 });
}

async function answer(request: Request, behaviour: Behaviour | undefined): Promise<Response> {
  // ASSUMED: what an unknown subdomain answers is not published (a DNS failure, 404, 401 or a
  // redirect are all possible); the simulation says 404 with a small HTML page.
  if (!behaviour) return HttpResponse.html('<html><body><h1>Not Found</h1></body></html>', { status: 404 });
  if (behaviour.kind === 'scenario') return behaviour.answer(request);
  const user = basicAuthUser(request.headers.get('Authorization'));
  if (user !== undefined && behaviour.keys.includes(user) && !revoked.has(user)) {
    // Live tests read JSON here; the exact Content-Type (a charset?) is not checked by any (ASSUMED).
    return HttpResponse.json({ site: behaviour.site });
  }
  // The body is what the Java SDK's live tests strip and compare. Its Content-Type and the
  // WWW-Authenticate header are ASSUMED: Rails' defaults for a Basic-auth refusal.
  return new HttpResponse(`${BASIC_AUTH_DENIED}\n`, {
    status: 401,
    headers: { 'Content-Type': 'text/html; charset=utf-8', 'WWW-Authenticate': 'Basic realm="Application"' },
  });
}

/** Subdomains come from the request: `constructor` must not find Object's. */
function own<T>(table: Record<string, T>, name: string): T | undefined {
  return Object.hasOwn(table, name) ? table[name] : undefined;
}

/**
 * The user name of an HTTP Basic header; Chargify takes the API key there and a
 * password beside it ("x" in the docs). Only `Basic` with `user:password` counts:
 * a bearer token or a bare key is not Basic auth, and gets the 401.
 */
function basicAuthUser(header: string | null): string | undefined {
  const encoded = /^Basic ([A-Za-z0-9+/]+={0,2})$/i.exec(header ?? '')?.[1];
  if (!encoded) return undefined;
  try {
    const decoded = new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(atob(encoded), (char) => char.charCodeAt(0)));
    const colon = decoded.indexOf(':');
    return colon === -1 ? undefined : decoded.slice(0, colon);
  } catch {
    return undefined;
  }
}

// The JSON form of the documented sentences: the docs print them in Ruby's inspect style (ASSUMED form).
function errors(status: number, message: string): Response {
  return HttpResponse.json({ errors: [message] }, { status });
}

// Documented: a 429 "with a message and a reference code", and no Retry-After is mentioned
// anywhere. Its Content-Type is not (ASSUMED: plain text).
function usageViolation(): Response {
  return new HttpResponse(`${USAGE_VIOLATION} 7f3c2a9e.`, { status: 429, headers: { 'Content-Type': 'text/plain' } });
}

// ASSUMED: an outage page as load balancers serve them.
function maintenancePage(): Response {
  return new HttpResponse('<html><body><h1>503 Service Unavailable</h1><p>Down for maintenance.</p></body></html>', {
    status: 503,
    headers: { 'Content-Type': 'text/html' },
  });
}

/** Holds the request until the client gives up, so a long-running simulation keeps no pending answers. */
async function never(signal: AbortSignal): Promise<Response> {
  if (!signal.aborted) await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
  return HttpResponse.error();
}
