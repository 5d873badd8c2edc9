import { delay, http, HttpResponse, type HttpHandler } from 'msw';
import type { Region } from '../server/chargify/types.js';

// Chargify as the reference backend meets it (DESIGN §7), on both regional hosts:
// `GET /site.json` with HTTP Basic auth, and the demo's sites and keys (see README).
// For the server tests and the backend's `CHARGIFY_MODE=simulated`, under `msw/node`.

export const DEMO_KEYS = {
  acmeAdmin: 'chg_demo_acme_admin',
  acmeReadonly: 'chg_demo_acme_readonly',
  euroShopAdmin: 'chg_demo_euro_admin',
} as const;

export const DEMO_SUBDOMAINS = {
  /** US only; the admin key connects, the read-only key is refused (403). */
  acme: 'acme',
  /** EU only, so typing it as US finds it in the other region. */
  euroShop: 'euro-shop',
  /** Answers 422 (account blocked) to any key, in both regions. */
  trialEnded: 'trial-ended',
  /** Answers 429 to any key, in both regions. */
  busy: 'busy',
  /** Answers 503 to any key, in both regions. */
  outage: 'outage',
  /** Never answers, in both regions. */
  slow: 'slow',
  /** US; acme's admin key answers with acme's site, as a key of another site would. */
  mismatch: 'mismatch',
} as const;

export const TRIAL_ENDED_MESSAGE = 'Your trial has ended, please contact sales.';
export const BUSY_RETRY_AFTER_SECONDS = 20;
export const BASIC_AUTH_DENIED = 'HTTP Basic: Access denied.';

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
  whopays_default_payer: 'self',
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
  },
  test: false,
};

export const EURO_SHOP_SITE = {
  id: 51877,
  name: 'Euro Shop GmbH',
  subdomain: 'euro-shop',
  currency: 'EUR',
  seller_id: 9012,
  non_primary_currencies: [],
  relationship_invoicing_enabled: false,
  customer_hierarchy_enabled: false,
  whopays_enabled: false,
  whopays_default_payer: 'self',
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
  },
  test: true,
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

type Key = 'admin' | 'readonly';

/** A site answers by key; a scenario answers every key alike. */
type Behaviour =
  | { kind: 'site'; site: { subdomain: string }; keys: Record<string, Key> }
  | { kind: 'scenario'; answer: (request: Request) => Promise<Response> | Response };

const SCENARIOS: Record<string, Behaviour> = {
  [DEMO_SUBDOMAINS.trialEnded]: { kind: 'scenario', answer: () => errors(422, TRIAL_ENDED_MESSAGE) },
  [DEMO_SUBDOMAINS.busy]: { kind: 'scenario', answer: usageViolation },
  [DEMO_SUBDOMAINS.outage]: { kind: 'scenario', answer: maintenancePage },
  [DEMO_SUBDOMAINS.slow]: { kind: 'scenario', answer: (request) => never(request.signal) },
};

const SITES: Record<Region, Record<string, Behaviour>> = {
  US: {
    ...SCENARIOS,
    [DEMO_SUBDOMAINS.acme]: {
      kind: 'site',
      site: ACME_SITE,
      keys: { [DEMO_KEYS.acmeAdmin]: 'admin', [DEMO_KEYS.acmeReadonly]: 'readonly' },
    },
    [DEMO_SUBDOMAINS.mismatch]: { kind: 'site', site: ACME_SITE, keys: { [DEMO_KEYS.acmeAdmin]: 'admin' } },
  },
  EU: {
    ...SCENARIOS,
    [DEMO_SUBDOMAINS.euroShop]: { kind: 'site', site: EURO_SHOP_SITE, keys: { [DEMO_KEYS.euroShopAdmin]: 'admin' } },
  },
};

export interface ChargifyHandlerOptions {
  /** How long each answer takes; long enough that concurrent requests would overlap. */
  latencyMs?: number;
}

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

async function answer(request: Request, behaviour: Behaviour | undefined): Promise<Response> {
  if (!behaviour) return new HttpResponse('Not Found', { status: 404, headers: { 'Content-Type': 'text/plain' } });
  if (behaviour.kind === 'scenario') return behaviour.answer(request);
  const key = own(behaviour.keys, basicAuthUser(request.headers.get('Authorization')) ?? '');
  if (key === 'admin') return HttpResponse.json({ site: behaviour.site });
  if (key === 'readonly') return errors(403, 'This API key does not have permission to perform this action.');
  return new HttpResponse(`${BASIC_AUTH_DENIED}\n`, {
    status: 401,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'WWW-Authenticate': 'Basic realm="Application"' },
  });
}

/** Subdomains and keys come from the request: `constructor` must not find Object's. */
function own<T>(table: Record<string, T>, name: string): T | undefined {
  return Object.hasOwn(table, name) ? table[name] : undefined;
}

/** The user name of an HTTP Basic header; Chargify takes the API key there. */
function basicAuthUser(header: string | null): string | undefined {
  const encoded = /^Basic\s+(\S+)$/i.exec(header ?? '')?.[1];
  if (!encoded) return undefined;
  try {
    const decoded = new TextDecoder().decode(Uint8Array.from(atob(encoded), (char) => char.charCodeAt(0)));
    const colon = decoded.indexOf(':');
    return colon === -1 ? decoded : decoded.slice(0, colon);
  } catch {
    return undefined;
  }
}

function errors(status: number, message: string): Response {
  return HttpResponse.json({ errors: [message] }, { status });
}

function usageViolation(): Response {
  return new HttpResponse('API usage violation: too many concurrent requests for this site. Please slow down and retry.', {
    status: 429,
    headers: { 'Content-Type': 'text/plain', 'Retry-After': String(BUSY_RETRY_AFTER_SECONDS) },
  });
}

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
