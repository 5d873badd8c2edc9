import { FairQueue, type FairQueueOptions } from './fair-queue.js';
import type { SiteTurns } from './site-turns.js';
import type { ChargifySite, ChargifyVerifier, Region, Verification } from './types.js';

// Verifies an API key against Chargify's `GET /site.json` (DESIGN §7). The key
// only ever goes into the Authorization header; nothing this module throws or
// returns carries it. Every verdict is one that is true whatever Chargify does
// where its behaviour is not published (DESIGN §7: what an unknown subdomain
// returns, what another site's key gets).

export interface ChargifyVerifierOptions {
  /** For a whole verification, both regions included; Chargify itself gives up only after 120 s. */
  timeoutMs?: number;
  /** The network edge; tests inject failures here. */
  fetch?: typeof fetch;
  /** How requests to one subdomain share it; see DEFAULT_QUEUE. */
  queue?: Partial<FairQueueOptions>;
  /**
   * The subdomain's turns shared with the deployment's other processes (Postgres);
   * without them, the queue's concurrency holds for this process alone.
   */
  turns?: SiteTurns;
}

/**
 * Chargify serves 4 concurrent requests per site and queues the rest rather than
 * refusing them; we use those 4, a company may have 2 more waiting, and 20 may
 * wait in all, before further attempts are refused.
 */
export const DEFAULT_QUEUE: FairQueueOptions = { concurrency: 4, maxWaitingPerRequester: 2, maxWaiting: 20 };

export const DEFAULT_TIMEOUT_MS = 30_000;

const HOSTS: Record<Region, (subdomain: string) => string> = {
  US: (subdomain) => `https://${subdomain}.chargify.com`,
  EU: (subdomain) => `https://${subdomain}.ebilling.maxio.com`,
};

// Chargify's own rule (letters, digits, dashes, no trailing dash); anything else
// would let the caller steer the request, and the key with it, to another host.
// ASCII spelled out and checked before lower-casing, so no look-alike (U+212A
// KELVIN SIGN lower-cases to "k") can become a letter on the way.
const SUBDOMAIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

const NO_SUCH_HOST = new Set(['ENOTFOUND', 'EAI_AGAIN']);
// Chargify's 429 carries no documented Retry-After; its advice is to wait a few minutes.
const RETRY_AFTER_THROTTLED = 180;
const RETRY_AFTER_UNAVAILABLE = 30;
// "Site data clearing is in progress. Please try later." names no time; a minute is a fair first wait.
const RETRY_AFTER_DATA_CLEARING = 60;
const DATA_CLEARING = /site data clearing is in progress/i;
const MAX_REASON_LENGTH = 200;
// A refused or stale place in line: the line moves in about one Chargify answer.
const RETRY_AFTER_QUEUE = 5;

/** What one request to one host came to, before it is judged. */
type Answer =
  | { kind: 'response'; status: number; retryAfter: string | null; body: string }
  | { kind: 'no_such_host' }
  | { kind: 'unavailable' }
  /** The requester already has its share of the subdomain's line: we throttle it ourselves. */
  | { kind: 'refused' }
  /** Waited its turn for the subdomain past the deadline: Chargify is slow for this site. */
  | { kind: 'stale' };

export function createChargifyVerifier(options: ChargifyVerifierOptions = {}): ChargifyVerifier {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // A NaN from a mistyped setting would make every verification time out at once.
  if (!(timeoutMs > 0 && Number.isFinite(timeoutMs))) throw new RangeError('timeoutMs must be a positive number.');
  // Looked up per call: request interceptors (MSW in simulated mode) may replace it later.
  const fetchSite: typeof fetch = options.fetch ?? ((input, init) => fetch(input, init));
  const queue = { ...DEFAULT_QUEUE, ...options.queue };
  const line = new FairQueue(queue);
  const turns = options.turns;

  // One deadline for the whole verification: behind a hanging Chargify, the tenth caller
  // in line would otherwise wait ten timeouts, and a second region another.
  // Too little time left for Chargify to answer is no time: stale rather than a request doomed to time out.
  const enough = Math.min(1_000, timeoutMs / 4);
  const ask = async (subdomain: string, region: Region, apiKey: string, requester: string, deadline: number): Promise<Answer> => {
    const turn = await line.run(subdomain, requester, async (): Promise<Answer> => {
      // This process's turn comes first, then the deployment's: a process waits in Postgres with one request per turn at most.
      const release = turns ? await turns.take(subdomain, queue.concurrency, deadline - enough) : null;
      if (turns && !release) return { kind: 'stale' };
      try {
        const left = deadline - Date.now();
        return left < enough ? { kind: 'stale' } : await request(fetchSite, siteUrl(subdomain, region), apiKey, left);
      } finally {
        await release?.();
      }
    });
    return turn.kind === 'ran' ? turn.value : { kind: 'refused' };
  };

  return {
    async verify({ subdomain: typed, region, apiKey }, requester = '') {
      if (!SUBDOMAIN.test(typed)) throw new RangeError('Not a valid Chargify subdomain.');
      const subdomain = typed.toLowerCase();
      const deadline = Date.now() + timeoutMs;
      const answer = await ask(subdomain, region, apiKey, requester, deadline);
      if (!mayBeInOtherRegion(answer)) return judge(answer, subdomain, apiKey);
      // The other region is asked with the same key; only its 200 proves where the site is.
      const other = otherRegion(region);
      const probe = await ask(subdomain, other, apiKey, requester, deadline);
      const found = probe.kind === 'response' && probe.status === 200 && judge(probe, subdomain, apiKey).outcome === 'verified';
      if (found) return { outcome: 'site_not_found', otherRegion: other };
      return notHere(answer);
    },
  };
}

function siteUrl(subdomain: string, region: Region): string {
  return `${HOSTS[region](subdomain)}/site.json`;
}

function otherRegion(region: Region): Region {
  return region === 'US' ? 'EU' : 'US';
}

async function request(fetchSite: typeof fetch, url: string, apiKey: string, timeoutMs: number): Promise<Answer> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetchSite(url, {
      headers: { Authorization: basicAuth(apiKey), Accept: 'application/json' },
      // A redirect would carry the key to a host we did not choose.
      redirect: 'manual',
      signal: controller.signal,
    });
    // The timeout covers the body too: a host can stall after the headers.
    const body = await response.text();
    return { kind: 'response', status: response.status, retryAfter: response.headers.get('Retry-After'), body };
  } catch (error) {
    // The error is dropped, not wrapped: fetch errors can hold the request, and so the key.
    return isNoSuchHost(error) ? { kind: 'no_such_host' } : { kind: 'unavailable' };
  } finally {
    clearTimeout(timer);
  }
}

function basicAuth(apiKey: string): string {
  return `Basic ${Buffer.from(`${apiKey}:x`, 'utf8').toString('base64')}`;
}

/** undici reports DNS failures as `TypeError: fetch failed` caused by a `getaddrinfo` error. */
function isNoSuchHost(error: unknown): boolean {
  if (!(error instanceof TypeError)) return false;
  const code = (error.cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && NO_SUCH_HOST.has(code);
}

/**
 * Answers that an unknown subdomain may give (Chargify does not say which: a DNS
 * failure, 404, 401 or a redirect), so the site may live in the other region.
 */
function mayBeInOtherRegion(answer: Answer): boolean {
  if (answer.kind === 'no_such_host') return true;
  return answer.kind === 'response' && (answer.status === 401 || answer.status === 404 || (answer.status >= 300 && answer.status < 400));
}

/**
 * Neither region took the key. A 401 may be a wrong key on a real site or an unknown
 * site; anything else says no site answered here. Both verdicts tell the user to check
 * the key and the address, which is true whichever it was.
 */
function notHere(answer: Answer): Verification {
  return answer.kind === 'response' && answer.status === 401 ? { outcome: 'invalid_credentials' } : { outcome: 'site_not_found' };
}

function judge(answer: Answer, subdomain: string, apiKey: string): Verification {
  if (answer.kind === 'refused') return { outcome: 'too_many_attempts', retryAfter: RETRY_AFTER_QUEUE };
  if (answer.kind === 'stale') return { outcome: 'upstream_unavailable', retryAfter: RETRY_AFTER_QUEUE };
  if (answer.kind !== 'response') return unavailable(null);
  const { status, body, retryAfter } = answer;
  if (status === 200) return judgeSite(parseJson(body), subdomain);
  if (status === 401) return { outcome: 'invalid_credentials' };
  // Chargify keys have no roles or scopes: a 403 is unexpected, and its cause is not ours to guess.
  if (status === 403) return { outcome: 'access_refused', status };
  if (status === 422) return judgeBlock(parseJson(body), apiKey, retryAfter);
  if (status === 429) return { outcome: 'rate_limited', retryAfter: parseRetryAfter(retryAfter, RETRY_AFTER_THROTTLED) };
  return unavailable(status >= 500 ? retryAfter : null);
}

function unavailable(retryAfter: string | null): Verification {
  return { outcome: 'upstream_unavailable', retryAfter: parseRetryAfter(retryAfter, RETRY_AFTER_UNAVAILABLE) };
}

function judgeSite(json: unknown, subdomain: string): Verification {
  const site = readSite(json);
  // The host was chosen by the subdomain; an answer about another site is not an answer about this one.
  if (!site || site.subdomain.toLowerCase() !== subdomain) return unavailable(null);
  return { outcome: 'verified', site };
}

/**
 * Picks the known fields only, so nothing else Chargify sends travels further.
 * Lenient where the docs are: `id` may be a number or a string, extra fields are
 * ignored, and `currency` and `test` may be missing.
 */
function readSite(json: unknown): ChargifySite | undefined {
  const site = isRecord(json) ? json.site : undefined;
  if (!isRecord(site)) return undefined;
  const { id, name, subdomain, currency, test } = site;
  const validId = (typeof id === 'number' && Number.isFinite(id)) || (typeof id === 'string' && id.trim() !== '');
  if (!validId || typeof name !== 'string' || typeof subdomain !== 'string') return undefined;
  return {
    id: id as number | string,
    name,
    subdomain,
    ...(typeof currency === 'string' ? { currency } : {}),
    ...(typeof test === 'boolean' ? { test } : {}),
  };
}

function judgeBlock(json: unknown, apiKey: string, retryAfter: string | null): Verification {
  const errors = isRecord(json) ? json.errors : undefined;
  const first: unknown = Array.isArray(errors) ? errors[0] : undefined;
  if (typeof first !== 'string' || !first.trim()) return unavailable(null);
  // Temporary, and Chargify says so: not a block the account owner must lift.
  if (DATA_CLEARING.test(first)) return { outcome: 'site_data_clearing', retryAfter: parseRetryAfter(retryAfter, RETRY_AFTER_DATA_CLEARING) };
  return { outcome: 'account_blocked', reason: redact(first, apiKey).trim().slice(0, MAX_REASON_LENGTH) };
}

/** Chargify's sentence reaches the user; an upstream that echoes the request must not leak the key. */
function redact(text: string, secret: string): string {
  return secret ? text.split(secret).join('[redacted]') : text;
}

/** Seconds or an HTTP date (RFC 9110 §10.2.3); at least one second, so callers never spin. */
function parseRetryAfter(header: string | null, fallback: number): number {
  const value = header?.trim() ?? '';
  if (/^\d+$/.test(value)) return Math.max(1, Number(value));
  const date = Date.parse(value);
  if (Number.isNaN(date)) return fallback;
  return Math.max(1, Math.ceil((date - Date.now()) / 1000));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
