// The reference backend's view of Chargify (DESIGN §7): what verifying a key
// can end in. The handler maps each outcome to the contract's error table.

import type { Region } from '../../src/backend/types.js';

export type { Region };

/** What `GET /site.json` told us about the site, minus anything secret. */
export interface ChargifySite {
  id: number;
  name: string;
  subdomain: string;
  currency: string;
  test: boolean;
}

export type Verification =
  | { outcome: 'verified'; site: ChargifySite }
  /** Chargify answered 401: the key is wrong (or is the key's id). */
  | { outcome: 'invalid_credentials' }
  /** No such site in this region; `otherRegion` is set when it exists in the other one. */
  | { outcome: 'site_not_found'; otherRegion?: Region }
  /** 403: the key may not read the site. */
  | { outcome: 'insufficient_permissions' }
  /** 422: trial ended, cancelled, deleted…; `reason` is Chargify's own sentence. */
  | { outcome: 'account_blocked'; reason: string }
  /** The key belongs to a different site than the one typed. */
  | { outcome: 'site_mismatch'; actualSubdomain: string }
  /** Our own limit: this requester already has its share of the subdomain's line. */
  | { outcome: 'too_many_attempts'; retryAfter: number }
  /** 429; `retryAfter` in seconds. */
  | { outcome: 'rate_limited'; retryAfter: number }
  /** 5xx, timeout, or a connection failure that is not "no such host". */
  | { outcome: 'upstream_unavailable'; retryAfter: number };

export interface ChargifyVerifier {
  /** `requester` (the company) takes its turn in the subdomain's line with the others. */
  verify(input: { subdomain: string; region: Region; apiKey: string }, requester?: string): Promise<Verification>;
}
