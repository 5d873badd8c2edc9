// The reference backend's view of Chargify (DESIGN §7): what verifying a key
// can end in. The handler maps each outcome to the contract's error table.

import type { Region } from '../../src/backend/types.js';

export type { Region };

/** What `GET /site.json` told us about the site, minus anything secret. */
export interface ChargifySite {
  /** A number today; the docs keep the right to make ids strings. */
  id: number | string;
  name: string;
  subdomain: string;
  currency?: string;
  test?: boolean;
}

export type Verification =
  | { outcome: 'verified'; site: ChargifySite }
  /** Chargify answered 401 and the other region did not take the key: a wrong key, or no such site. */
  | { outcome: 'invalid_credentials' }
  /**
   * No site answered at this address, or not to this key; `otherRegion` is set only
   * when the other region answered 200 to the same key.
   */
  | { outcome: 'site_not_found'; otherRegion?: Region }
  /** An unexpected 403: Chargify refused access, for a reason it did not give. */
  | { outcome: 'access_refused'; status: number }
  /** 422: trial ended, cancelled, deleted…; `reason` is Chargify's own sentence. */
  | { outcome: 'account_blocked'; reason: string }
  /** 422 "Site data clearing is in progress": temporary. */
  | { outcome: 'site_data_clearing'; retryAfter: number }
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
