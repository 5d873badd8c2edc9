import { delay, http, HttpResponse, type HttpHandler } from 'msw';
import type { ConduitErrorCode } from '../src/backend/errors.js';
import type { Connection, ConnectionInfo, DeauthorizedReason, Integration, Region } from '../src/backend/types.js';
import { catalogue } from './catalogue.js';
import { ACME_SITE, DEMO_KEYS, EURO_SHOP_SITE } from './chargify.js';

// The backend contract (DESIGN §6) as a small in-memory backend, for
// component tests, Storybook and the offline demo. Scenarios switch the
// behaviour of the authorization call (and a few of loading) by name.

export type Scenario =
  /** The demo's sites and keys (see README). */
  | 'demo'
  /** Every authorization succeeds. */
  | 'happy'
  /** No integrations to offer. */
  | 'empty'
  /** The company already has a linked Chargify connection. */
  | 'connected'
  /** A linked connection whose key Chargify no longer accepts: verify answers Deauthorized. */
  | 'deauthorized'
  /** A linked connection, and verify fails for now (503). */
  | 'verify-unavailable'
  /** The company has a PendingAuth connection from an earlier visit. */
  | 'pending'
  /** A colleague's page: the hand-off token COLLEAGUE_TOKEN opens a pending connection. */
  | 'colleague'
  /** A colleague's page whose link was used already. */
  | 'colleague-used'
  /** Every answer takes `slowMs`. */
  | 'slow'
  /** The authorization never answers. */
  | 'hang'
  /** The authorization answers 200 with an HTML page. */
  | 'malformed'
  /** The catalogue answers 200 with JSON of the wrong shape. */
  | 'malformed-catalogue'
  /** Every request fails at the network level. */
  | 'unreachable'
  | `error:${BackendErrorScenario}`;

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
}

interface ErrorSpec {
  status: number;
  detailedErrorCode?: number;
  error: string;
}

// One scenario per failure the backend reports, named by its widget code, and
// site_data_clearing for the 503 that shares upstream_unavailable's code (10010).
// No scenario answers site_mismatch: the contract keeps it for replacing a
// connection's key with another site's, never for a first connect.
const ERRORS = {
  site_mismatch: { status: 400, detailedErrorCode: 10006, error: "The key belongs to another Chargify site than the connection's." },
  invalid_input: { status: 400, detailedErrorCode: 10001, error: 'A required field is missing or malformed.' },
  invalid_credentials: { status: 400, detailedErrorCode: 10002, error: 'Chargify rejected the API key.' },
  site_not_found: { status: 400, detailedErrorCode: 10003, error: 'No Chargify site has this subdomain.' },
  access_refused: { status: 400, detailedErrorCode: 10004, error: 'Chargify refused access to this site (HTTP 403).' },
  account_blocked: { status: 400, detailedErrorCode: 10005, error: 'Your trial has ended, please contact sales.' },
  rate_limited: { status: 429, detailedErrorCode: 10007, error: 'Chargify is throttling requests.' },
  too_many_attempts: { status: 429, detailedErrorCode: 10011, error: 'Too many key attempts for this company; wait before trying again.' },
  upstream_unavailable: { status: 503, detailedErrorCode: 10008, error: 'Chargify is unavailable.' },
  site_data_clearing: { status: 503, detailedErrorCode: 10010, error: 'Site data clearing is in progress. Please try later.' },
  conflict: { status: 409, detailedErrorCode: 10009, error: 'A Chargify connection is already linked.' },
  session_expired: { status: 401, error: 'The session token is missing or expired.' },
  not_found: { status: 404, error: 'No such company or connection.' },
} satisfies Partial<Record<ConduitErrorCode | 'site_data_clearing', ErrorSpec>>;

/** The backend's failures, each a scenario `error:<name>`. */
export type BackendErrorScenario = keyof typeof ERRORS;

// The demo's sites and keys are the simulated Chargify's (mocks/chargify.ts), seen
// through the contract: what the reference backend would answer for them.
function siteInfo(site: typeof ACME_SITE | typeof EURO_SHOP_SITE, region: Region): ConnectionInfo {
  return { subdomain: site.subdomain, region, siteId: site.id, siteName: site.name, currency: site.currency, test: site.test };
}

const DEMO_SITES: Record<string, { region: Region; adminKey: string; info: ConnectionInfo }> = {
  acme: { region: 'US', adminKey: DEMO_KEYS.acmeAdmin, info: siteInfo(ACME_SITE, 'US') },
  'euro-shop': { region: 'EU', adminKey: DEMO_KEYS.euroShopAdmin, info: siteInfo(EURO_SHOP_SITE, 'EU') },
};

/** The hand-off token the 'colleague' scenarios seed, for stories and the demo. */
export const COLLEAGUE_TOKEN = 'hof_demo_colleague_link_000000000000';

/** A hand-off the mock made: its token is the colleague's bearer. */
export interface MockHandoff {
  id: string;
  token: string;
  connectionId: string;
  companyId: string;
  expiresAt: string;
  used: boolean;
  revoked: boolean;
}

export interface MockBackendOptions {
  /** Where the handlers answer; matches the widget's `backend-url`. */
  baseUrl?: string;
  scenario?: Scenario;
  integrations?: Integration[];
  /** `Retry-After` on 429 and 503 answers. */
  retryAfterSeconds?: number;
  slowMs?: number;
}

export class MockBackend {
  scenario: Scenario;
  integrations: Integration[];
  retryAfterSeconds: number;
  slowMs: number;
  /** Every request received, in order, with headers and parsed body. */
  readonly requests: RecordedRequest[] = [];
  readonly connections = new Map<string, Connection>();
  /** Hand-offs made, in order; a test may expire or use one. */
  readonly handoffs: MockHandoff[] = [];
  /** Why verify says the stored key is refused; null: it is accepted (the 'deauthorized' scenario sets it). */
  deauthorizedReason: DeauthorizedReason | null = null;
  private readonly baseUrl: string;
  private readonly replays = new Map<string, { status: number; body: string; type: string }>();
  private nextId = 1;

  constructor(options: MockBackendOptions = {}) {
    this.baseUrl = (options.baseUrl ?? '/api').replace(/\/+$/, '');
    this.scenario = options.scenario ?? 'demo';
    this.deauthorizedReason = this.scenario === 'deauthorized' ? 'invalid_credentials' : null;
    this.integrations = options.integrations ?? catalogue;
    this.retryAfterSeconds = options.retryAfterSeconds ?? 1;
    this.slowMs = options.slowMs ?? 1500;
  }

  /** Requests whose path ends with `suffix` (and method, if given). */
  requestsTo(suffix: string, method?: string): RecordedRequest[] {
    return this.requests.filter((request) => request.path.endsWith(suffix) && (!method || request.method === method));
  }

  reset(scenario: Scenario = 'demo'): void {
    this.scenario = scenario;
    this.requests.length = 0;
    this.connections.clear();
    this.replays.clear();
    this.handoffs.length = 0;
    this.deauthorizedReason = scenario === 'deauthorized' ? 'invalid_credentials' : null;
  }

  get handlers(): HttpHandler[] {
    const base = this.baseUrl;
    return [
      http.all(`${base}/*`, async ({ request }) => {
        const recorded = await this.record(request);
        if (this.scenario === 'unreachable') return HttpResponse.error();
        if (this.scenario === 'slow') await delay(this.slowMs);
        const token = recorded.headers.authorization?.replace(/^Bearer /i, '') ?? '';
        if (!token || token.startsWith('expired')) return this.error(ERRORS.session_expired, request);
        if (token.startsWith('hof_')) return this.routeHandoff(token, recorded, request);
        return this.route(recorded, request);
      }),
    ];
  }

  private async record(request: Request): Promise<RecordedRequest> {
    const text = request.method === 'GET' ? '' : await request.clone().text();
    const recorded: RecordedRequest = {
      method: request.method,
      path: new URL(request.url).pathname.slice(new URL(this.baseUrl, location.href).pathname.length),
      headers: Object.fromEntries(request.headers.entries()),
      body: text ? JSON.parse(text) : undefined,
    };
    this.requests.push(recorded);
    return recorded;
  }

  private async route(recorded: RecordedRequest, request: Request): Promise<Response> {
    const { method, path } = recorded;
    const parts = path.split('/').filter(Boolean);
    if (method === 'GET' && path === '/integrations') {
      if (this.scenario === 'malformed-catalogue') return HttpResponse.json({ items: 'nope' });
      return HttpResponse.json({ results: this.scenario === 'empty' ? [] : this.integrations });
    }
    if (parts[0] !== 'companies' || !parts[1]) return this.error(ERRORS.not_found, request);
    const companyId = decodeURIComponent(parts[1]);
    if (method === 'GET' && parts.length === 2) return HttpResponse.json({ id: companyId, name: 'Acme Inc' });
    if (parts[2] !== 'connections') return this.error(ERRORS.not_found, request);
    if (method === 'GET' && parts.length === 3) return HttpResponse.json({ results: this.companyConnections() });
    if (method === 'GET' && parts.length === 4) {
      const connection = this.connections.get(parts[3]!);
      return connection ? HttpResponse.json(connection) : this.error(ERRORS.not_found, request);
    }

    const replayKey = recorded.headers['idempotency-key'];
    const replay = replayKey ? this.replays.get(`${method} ${path} ${replayKey}`) : undefined;
    if (replay) return new HttpResponse(replay.body, { status: replay.status, headers: { 'Content-Type': replay.type } });

    const response = await this.mutate(recorded, parts, request);
    // Like the reference backend: final answers are kept for replays, retryable ones are not.
    if (replayKey && response.status < 500 && response.status !== 429) {
      this.replays.set(`${method} ${path} ${replayKey}`, {
        status: response.status,
        body: await response.clone().text(),
        type: response.headers.get('Content-Type') ?? 'application/json',
      });
    }
    return response;
  }

  /** The last hand-off made, if any. */
  get lastHandoff(): MockHandoff | undefined {
    return this.handoffs.at(-1);
  }

  // A hand-off token: GET /handoff, GET of its connection and PUT of its authorization; nothing else.
  private async routeHandoff(token: string, recorded: RecordedRequest, request: Request): Promise<Response> {
    if (this.scenario.startsWith('colleague') && this.handoffs.length === 0) this.seedColleague();
    const handoff = this.handoffs.find((candidate) => candidate.token === token);
    const connection = handoff ? this.connections.get(handoff.connectionId) : undefined;
    if (!handoff || !connection || handoff.used || handoff.revoked || Date.parse(handoff.expiresAt) <= Date.now() || connection.status === 'Linked') {
      return this.error({ status: 401, error: 'The hand-off link was used, has expired or was withdrawn.' }, request);
    }
    const { method, path } = recorded;
    if (method === 'GET' && path === '/handoff') {
      return HttpResponse.json({ companyId: handoff.companyId, companyName: 'Acme Inc', connection, expiresAt: handoff.expiresAt });
    }
    const own = `/companies/${encodeURIComponent(handoff.companyId)}/connections/${encodeURIComponent(connection.id)}`;
    if (method === 'GET' && path === own) return HttpResponse.json(connection);
    if (method === 'PUT' && path === `${own}/authorization`) {
      const response = await this.authorize(connection, recorded.body, request);
      if (response.ok) handoff.used = true;
      return response;
    }
    return this.error({ status: 401, error: 'A hand-off token allows nothing else.' }, request);
  }

  private seedColleague(): void {
    const pending = this.store(this.connection('PendingAuth', {}));
    this.handoffs.push({
      id: 'hof0000',
      token: COLLEAGUE_TOKEN,
      connectionId: pending.id,
      companyId: 'acme-inc',
      expiresAt: new Date(Date.now() + 24 * 3600_000).toISOString(),
      used: this.scenario === 'colleague-used',
      revoked: false,
    });
  }

  /** A Linked Chargify connection made elsewhere (another tab, an earlier visit). */
  linkElsewhere(connectionInfo: ConnectionInfo = DEMO_SITES.acme!.info): Connection {
    return this.store(this.connection('Linked', connectionInfo));
  }

  private companyConnections(): Connection[] {
    const lifecycle = this.scenario === 'connected' || this.scenario === 'deauthorized' || this.scenario === 'verify-unavailable';
    if (lifecycle && this.connections.size === 0) this.linkElsewhere();
    if (this.scenario === 'pending' && this.connections.size === 0) this.store(this.connection('PendingAuth', {}));
    return [...this.connections.values()];
  }

  private async mutate(recorded: RecordedRequest, parts: string[], request: Request): Promise<Response> {
    const { method, body } = recorded;
    if (method === 'POST' && parts.length === 3) {
      const platformKey = (body as { platformKey?: unknown } | undefined)?.platformKey;
      if (platformKey !== 'chargify') return this.error(ERRORS.invalid_input, request);
      // The company's pending connection is resumed, not duplicated.
      const pending = [...this.connections.values()].find((candidate) => candidate.status === 'PendingAuth');
      if (pending) return HttpResponse.json(pending, { status: 200 });
      return HttpResponse.json(this.store(this.connection('PendingAuth', {})), { status: 201 });
    }
    const connection = this.connections.get(parts[3] ?? '');
    if (!connection) return this.error(ERRORS.not_found, request);
    if (method === 'PATCH' && parts.length === 4) {
      connection.status = 'Unlinked';
      delete connection.deauthorizedReason;
      for (const handoff of this.handoffs) if (handoff.connectionId === connection.id) handoff.revoked = true;
      return HttpResponse.json(connection);
    }
    if (method === 'POST' && parts[4] === 'verify' && parts.length === 5) {
      if (this.scenario === 'verify-unavailable') return this.error(ERRORS.upstream_unavailable, request);
      if (connection.status !== 'Linked' && connection.status !== 'Deauthorized') return this.error(ERRORS.conflict, request);
      connection.lastVerifiedAt = new Date().toISOString();
      if (this.deauthorizedReason) {
        connection.status = 'Deauthorized';
        connection.deauthorizedReason = this.deauthorizedReason;
      } else {
        connection.status = 'Linked';
        delete connection.deauthorizedReason;
      }
      return HttpResponse.json(connection);
    }
    if (method === 'POST' && parts[4] === 'handoffs' && parts.length === 5) {
      const handoff: MockHandoff = {
        id: `hof${String(this.handoffs.length + 1).padStart(4, '0')}`,
        // Numbered, not random: a story's link reads the same wherever it renders (docs page and canvas).
        token: `hof_mock_link_${String(this.handoffs.length + 1).padStart(28, '0')}`,
        connectionId: connection.id,
        companyId: decodeURIComponent(parts[1]!),
        expiresAt: new Date(Date.now() + 24 * 3600_000).toISOString(),
        used: false,
        revoked: false,
      };
      this.handoffs.push(handoff);
      return HttpResponse.json({ id: handoff.id, token: handoff.token, expiresAt: handoff.expiresAt }, { status: 201 });
    }
    if (method === 'DELETE' && parts[4] === 'handoffs' && parts.length === 6) {
      const handoff = this.handoffs.find((candidate) => candidate.id === parts[5] && candidate.connectionId === connection.id);
      if (!handoff) return this.error(ERRORS.not_found, request);
      handoff.revoked = true;
      return new HttpResponse(null, { status: 204 });
    }
    if (method === 'PUT' && parts[4] === 'authorization') return this.authorize(connection, body, request);
    return this.error(ERRORS.not_found, request);
  }

  private async authorize(connection: Connection, body: unknown, request: Request): Promise<Response> {
    if (this.scenario === 'hang') {
      await delay('infinite');
    }
    if (this.scenario === 'malformed') {
      return new HttpResponse('<html><body>Bad gateway (proxy)</body></html>', { headers: { 'Content-Type': 'text/html' } });
    }
    if (this.scenario.startsWith('error:')) {
      return this.error(ERRORS[this.scenario.slice(6) as BackendErrorScenario], request);
    }
    const replacing = connection.status === 'Linked' || connection.status === 'Deauthorized';
    if (connection.status === 'Unlinked') return this.error(ERRORS.conflict, request);
    const { apiKey, subdomain, region } = (body ?? {}) as Record<string, unknown>;
    if (typeof apiKey !== 'string' || !apiKey || typeof subdomain !== 'string' || !subdomain || (region !== 'US' && region !== 'EU')) {
      return this.error(ERRORS.invalid_input, request);
    }
    // Replacing with a key the mock knows as another site's: the contract's site_mismatch. (A real
    // Chargify would likely refuse a foreign key at this site's address outright, 401 → invalid_credentials.)
    const foreign = Object.entries(DEMO_SITES).find(([name, site]) => site.adminKey === apiKey && name !== subdomain);
    if (replacing && foreign) return this.error(ERRORS.site_mismatch, request);
    const info: ConnectionInfo | ErrorSpec =
      this.scenario === 'happy' ? { ...DEMO_SITES.acme!.info, subdomain, region } : this.verify(apiKey, subdomain, region);
    if ('status' in info) return this.error(info, request, (info as { hint?: { region: Region } }).hint);
    // Replacing: the same site or nothing (our own comparison of site ids).
    if (replacing && info.siteId !== connection.connectionInfo.siteId) return this.error(ERRORS.site_mismatch, request);
    connection.status = 'Linked';
    connection.connectionInfo = info;
    connection.lastVerifiedAt = new Date().toISOString();
    delete connection.deauthorizedReason;
    // The new key is accepted: a verify now says so.
    if (replacing) this.deauthorizedReason = null;
    return HttpResponse.json(connection);
  }

  // The demo's simulated Chargify verdicts, as the contract reports them.
  private verify(apiKey: string, subdomain: string, region: Region): ConnectionInfo | (ErrorSpec & { hint?: { region: Region } }) {
    if (subdomain === 'trial-ended') return ERRORS.account_blocked;
    if (subdomain === 'clearing') return ERRORS.site_data_clearing;
    if (subdomain === 'busy') return ERRORS.rate_limited;
    if (subdomain === 'outage') return ERRORS.upstream_unavailable;
    const site = DEMO_SITES[subdomain];
    if (!site) return ERRORS.site_not_found;
    if (site.region !== region) return { ...ERRORS.site_not_found, hint: { region: site.region } };
    // A Chargify key gives full access to its site: it is the site's key, or it is refused (401).
    if (apiKey === site.adminKey || (subdomain === 'acme' && apiKey === DEMO_KEYS.acmeRotated)) return site.info;
    return ERRORS.invalid_credentials;
  }

  private connection(status: Connection['status'], connectionInfo: ConnectionInfo): Connection {
    return {
      id: `conn_${String(this.nextId++).padStart(4, '0')}`,
      integrationKey: 'chargify',
      platformName: 'Chargify',
      sourceType: 'Commerce',
      status,
      created: new Date().toISOString(),
      connectionInfo,
    };
  }

  private store(connection: Connection): Connection {
    this.connections.set(connection.id, connection);
    return connection;
  }

  private error(spec: ErrorSpec, request: Request, hint?: { region: Region }): Response {
    const correlationId = request.headers.get('X-Correlation-Id') ?? 'mock-correlation-id';
    const headers: Record<string, string> = { 'X-Correlation-Id': correlationId };
    if (spec.status === 429 || spec.status === 503) headers['Retry-After'] = String(this.retryAfterSeconds);
    return HttpResponse.json(
      {
        statusCode: spec.status,
        service: 'conduit-mock',
        error: spec.error,
        correlationId,
        validation: null,
        canBeRetried: spec.status === 429 || spec.status === 503 ? 'Unknown' : 'False',
        detailedErrorCode: spec.detailedErrorCode,
        ...(hint ? { hint } : {}),
      },
      { status: spec.status, headers },
    );
  }
}
