import type { Company, Connection, ConnectionInfo, DeauthorizedReason, Handoff, HandoffView, Integration, VerifiedConnectionInfo } from './types.js';

// The backend is a partner's code we have not seen: a 200 that is not the
// contract's JSON must surface as `bad_response`, never as a half-drawn UI.
// Each parser returns a fresh object holding only the fields we know, so a
// backend that echoes extra data (a key, say) cannot get it rendered.

type Json = Record<string, unknown>;

const STATUSES = new Set(['PendingAuth', 'Linked', 'Unlinked', 'Deauthorized']);

// Names are shown to the user and sent in events: a backend's 10,000-character
// name must not stretch a step or a partner's log. Counted in code points, as
// the backend contract counts lengths, so a cut never splits an emoji in half.
const MAX_NAME = 100;

/** `value` cut to MAX_NAME code points, with an ellipsis to show it was cut. */
function bounded(value: string): string {
  // Quick path: no string of MAX_NAME UTF-16 units or fewer can hold more code points.
  if (value.length <= MAX_NAME) return value;
  const points = Array.from(value);
  return points.length <= MAX_NAME ? value : `${points.slice(0, MAX_NAME).join('')}…`;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function string(value: unknown): value is string {
  return typeof value === 'string';
}

/** An id that is safe as a URL path segment: `.` and `..` would be collapsed by the URL parser. */
export function isSafeId(value: string): boolean {
  return value !== '' && value !== '.' && value !== '..';
}

// A logo is fetched by the user's browser: only from an https address (or the page's own).
function isImageUrl(value: string): boolean {
  try {
    const url = new URL(value, globalThis.location?.href ?? 'https://invalid.example/');
    return url.protocol === 'https:' || url.origin === globalThis.location?.origin;
  } catch {
    return false;
  }
}

export function parseIntegration(value: unknown): Integration | null {
  if (!isObject(value) || !string(value.key) || !string(value.name)) return null;
  return {
    key: value.key,
    name: bounded(value.name),
    logoUrl: string(value.logoUrl) && isImageUrl(value.logoUrl) ? value.logoUrl : '',
    enabled: value.enabled !== false,
    sourceType: string(value.sourceType) ? value.sourceType : '',
    isBeta: value.isBeta === true,
  };
}

function parseConnectionInfo(value: unknown): ConnectionInfo {
  if (!isObject(value)) return {};
  const info: ConnectionInfo = {};
  if (string(value.subdomain)) info.subdomain = bounded(value.subdomain);
  if (value.region === 'US' || value.region === 'EU') info.region = value.region;
  // A number today; Chargify keeps the right to make ids strings.
  if (typeof value.siteId === 'number' && Number.isFinite(value.siteId)) info.siteId = value.siteId;
  else if (string(value.siteId) && value.siteId !== '') info.siteId = bounded(value.siteId);
  if (string(value.siteName)) info.siteName = bounded(value.siteName);
  if (string(value.currency)) info.currency = value.currency;
  if (typeof value.test === 'boolean') info.test = value.test;
  return info;
}

/** Whether the info names the verified site, as a linked connection's must. */
export function isVerified(info: ConnectionInfo): info is VerifiedConnectionInfo {
  return info.subdomain !== undefined && info.region !== undefined && info.siteId !== undefined && info.siteName !== undefined;
}

export function parseConnection(value: unknown): Connection | null {
  if (!isObject(value) || !string(value.id) || !isSafeId(value.id) || !string(value.integrationKey)) return null;
  if (!string(value.status) || !STATUSES.has(value.status)) return null;
  return {
    id: value.id,
    integrationKey: value.integrationKey,
    platformName: string(value.platformName) ? bounded(value.platformName) : '',
    sourceType: string(value.sourceType) ? value.sourceType : '',
    status: value.status as Connection['status'],
    created: string(value.created) ? value.created : '',
    connectionInfo: parseConnectionInfo(value.connectionInfo),
    ...(isTimestamp(value.lastVerifiedAt) ? { lastVerifiedAt: value.lastVerifiedAt } : {}),
    ...(value.status === 'Deauthorized' && string(value.deauthorizedReason) && REASONS.has(value.deauthorizedReason)
      ? { deauthorizedReason: value.deauthorizedReason as DeauthorizedReason }
      : {}),
  };
}

const REASONS: ReadonlySet<string> = new Set(['invalid_credentials', 'site_not_found', 'access_refused', 'account_blocked']);

// A timestamp is shown (formatted) and compared: only a short ISO 8601 string that parses.
function isTimestamp(value: unknown): value is string {
  return string(value) && value.length <= 40 && /^\d{4}-\d{2}-\d{2}T/.test(value) && !Number.isNaN(Date.parse(value));
}

// A hand-off token goes into a URL the user shares: a bounded run of URL-safe characters only.
const TOKEN = /^[A-Za-z0-9_-]{16,256}$/;

export function parseHandoff(value: unknown): Handoff | null {
  if (!isObject(value) || !string(value.id) || !isSafeId(value.id) || value.id.length > 128) return null;
  if (!string(value.token) || !TOKEN.test(value.token) || !isTimestamp(value.expiresAt)) return null;
  return { id: value.id, token: value.token, expiresAt: value.expiresAt };
}

export function parseHandoffView(value: unknown): HandoffView | null {
  if (!isObject(value) || !string(value.companyId) || !isSafeId(value.companyId) || value.companyId.length > 256) return null;
  if (!string(value.companyName) || !isTimestamp(value.expiresAt)) return null;
  const connection = parseConnection(value.connection);
  if (!connection) return null;
  return { companyId: value.companyId, companyName: bounded(value.companyName), connection, expiresAt: value.expiresAt };
}

export function parseCompany(value: unknown): Company | null {
  if (!isObject(value) || !string(value.id) || !string(value.name)) return null;
  return { id: value.id, name: bounded(value.name) };
}

/** `{results: T[]}`; null when the envelope or any item is malformed. */
export function parseResults<T>(value: unknown, parseItem: (item: unknown) => T | null): T[] | null {
  if (!isObject(value) || !Array.isArray(value.results)) return null;
  const items: T[] = [];
  for (const raw of value.results) {
    const item = parseItem(raw);
    if (item === null) return null;
    items.push(item);
  }
  return items;
}
