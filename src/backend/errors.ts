import type { Region, ValidationItem } from './types.js';

/** Machine codes a partner sees in `conduit-error`. */
export type ConduitErrorCode =
  | 'invalid_input'
  | 'invalid_credentials'
  | 'site_not_found'
  // Chargify answered an unexpected 403. Its keys have no roles or scopes, so
  // nothing is known of the cause, and nothing the user could change fixes it.
  | 'access_refused'
  | 'account_blocked'
  // Kept for the contract, not for the first connect: replacing a connection's
  // key with a key of another site (issue 17). No demo key or mock scenario
  // produces it when a key is first checked: the site is chosen by the
  // subdomain, and another site's key gets Chargify's 401 (invalid_credentials).
  | 'site_mismatch'
  | 'rate_limited'
  | 'too_many_attempts'
  | 'upstream_unavailable'
  | 'conflict'
  | 'session_expired'
  | 'not_found'
  | 'network'
  | 'timeout'
  | 'offline'
  | 'bad_response'
  | 'server_error'
  | 'aborted'
  | 'invalid_config';

/** The backend's `detailedErrorCode` for Chargify clearing the site's data (HTTP 503, temporary). */
export const SITE_DATA_CLEARING = 10010;

/** `detailedErrorCode` of the backend contract (DESIGN §6) to our code. */
const DETAILED_CODES: Record<number, ConduitErrorCode> = {
  10001: 'invalid_input',
  10002: 'invalid_credentials',
  10003: 'site_not_found',
  10004: 'access_refused',
  10005: 'account_blocked',
  10006: 'site_mismatch',
  10007: 'rate_limited',
  10008: 'upstream_unavailable',
  10009: 'conflict',
  // Chargify clearing the site's data: temporary, like an outage. The detailed
  // code stays on the error (detailedErrorCode) so the message can say which.
  [SITE_DATA_CLEARING]: 'upstream_unavailable',
  // The backend's own limit on key attempts for the company, not Chargify's throttling.
  10011: 'too_many_attempts',
};

const NOT_RECOVERABLE: ReadonlySet<ConduitErrorCode> = new Set([
  'access_refused',
  'account_blocked',
  'conflict',
  'not_found',
  'session_expired',
  'aborted',
  'invalid_config',
]);

// Server-provided text is only ever shown as text; this keeps a hostile or
// verbose backend from flooding the UI or a partner's logs.
const MAX_SERVER_MESSAGE = 200;
const MAX_CORRELATION_ID = 100;

export interface ConduitErrorInit {
  status?: number;
  correlationId?: string;
  serverMessage?: string;
  retryAfter?: number;
  detailedErrorCode?: number;
  regionHint?: Region;
  validation?: ValidationItem[];
  /** The partner's set-up is at fault, and the message says what to change. */
  setupProblem?: boolean;
}

/** Every failure of the backend client, normalised. Never carries a secret. */
export class ConduitError extends Error {
  override readonly name = 'ConduitError';
  readonly code: ConduitErrorCode;
  readonly userRecoverable: boolean;
  readonly status: number | null;
  readonly correlationId: string | null;
  /** Seconds the backend asked us to wait before retrying (429, 503). */
  readonly retryAfter: number | null;
  /**
   * The backend's `detailedErrorCode` (DESIGN §6), when its answer had one:
   * it tells apart failures that share a code, such as Chargify down (10008)
   * and Chargify clearing the site's data (10010), both `upstream_unavailable`.
   */
  readonly detailedErrorCode: number | null;
  /** For `site_not_found`: the region where the backend did find the site. */
  readonly regionHint: Region | null;
  readonly validation: readonly ValidationItem[];
  /**
   * The partner's set-up is at fault (its configuration, or how its backend
   * answers), and the message tells their developer what to change: the user
   * can only report it.
   */
  readonly setupProblem: boolean;

  constructor(code: ConduitErrorCode, message: string, init: ConduitErrorInit = {}) {
    super(message.slice(0, MAX_SERVER_MESSAGE));
    this.code = code;
    this.userRecoverable = !NOT_RECOVERABLE.has(code);
    this.status = init.status ?? null;
    // Shown to the user and quoted to support: a backend's id of any length is cut to a sane one.
    this.correlationId = init.correlationId?.slice(0, MAX_CORRELATION_ID) ?? null;
    this.retryAfter = init.retryAfter ?? null;
    this.detailedErrorCode = init.detailedErrorCode ?? null;
    this.regionHint = init.regionHint ?? null;
    this.validation = init.validation ?? [];
    this.setupProblem = code === 'invalid_config' || init.setupProblem === true;
  }
}

/** Maps an HTTP failure to our code: the detailed code wins, then the status. */
export function codeForResponse(status: number, detailedErrorCode: unknown): ConduitErrorCode {
  const byDetail = typeof detailedErrorCode === 'number' ? DETAILED_CODES[detailedErrorCode] : undefined;
  if (byDetail) return byDetail;
  // 403 from the contract means the token is not valid for this company.
  if (status === 401 || status === 403) return 'session_expired';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 429) return 'rate_limited';
  // 413: what the user typed or pasted is too large to send (a whole page pasted as the key, say).
  if (status === 400 || status === 413 || status === 422) return 'invalid_input';
  // Without a detailed code, a 5xx is the partner's backend (or its proxy) failing, not Chargify.
  return 'server_error';
}

/** Any failure as a ConduitError; one that is not ours is an answer we could not read. */
export function toConduitError(error: unknown): ConduitError {
  return error instanceof ConduitError ? error : new ConduitError('bad_response', 'Unexpected failure.');
}
