/** A platform the backend can connect to, as `GET /integrations` lists it. */
export interface Integration {
  key: string;
  name: string;
  logoUrl: string;
  enabled: boolean;
  sourceType: string;
  isBeta: boolean;
}

export type ConnectionStatus = 'PendingAuth' | 'Linked' | 'Unlinked' | 'Deauthorized';

export type Region = 'US' | 'EU';

/** What the backend verified about the connected account. Never holds the key. */
export interface ConnectionInfo {
  subdomain?: string;
  region?: Region;
  /** A number today; Chargify keeps the right to make ids strings. */
  siteId?: number | string;
  siteName?: string;
  currency?: string;
  test?: boolean;
}

/** What a linked connection's info always holds: the site Chargify confirmed. */
export type VerifiedConnectionInfo = ConnectionInfo & Required<Pick<ConnectionInfo, 'subdomain' | 'region' | 'siteId' | 'siteName'>>;

/** Why Chargify no longer accepts a connection's stored key: one of the key verdicts' codes. */
export type DeauthorizedReason = 'invalid_credentials' | 'site_not_found' | 'access_refused' | 'account_blocked';

export interface Connection {
  id: string;
  integrationKey: string;
  platformName: string;
  sourceType: string;
  status: ConnectionStatus;
  created: string;
  connectionInfo: ConnectionInfo;
  /** When Chargify last accepted or refused the stored key (ISO 8601); absent before the first check. */
  lastVerifiedAt?: string;
  /** Set while `Deauthorized`. */
  deauthorizedReason?: DeauthorizedReason;
}

/** A single-use capability to finish one connection's credentials step, for a colleague. */
export interface Handoff {
  id: string;
  /** Shown once, at creation; only its hash is kept. */
  token: string;
  expiresAt: string;
}

/** What a hand-off token opens: the company that asked and the one connection it may finish. */
export interface HandoffView {
  companyId: string;
  companyName: string;
  connection: Connection;
  expiresAt: string;
}

export interface Company {
  id: string;
  name: string;
}

/** What the user typed on the credentials step; lives only for the duration of one call. */
export interface ChargifyCredentials {
  apiKey: string;
  subdomain: string;
  region: Region;
}

/** One entry of the `validation` block of the backend's error body. */
export interface ValidationItem {
  itemId: string;
  message: string;
}

/** The error body every backend failure carries (Codat's shape plus `hint`). */
export interface BackendErrorBody {
  statusCode: number;
  service?: string;
  error: string;
  correlationId?: string;
  validation?: { errors?: ValidationItem[]; warnings?: ValidationItem[] } | null;
  canBeRetried?: string;
  detailedErrorCode?: number;
  hint?: { region?: Region };
}
