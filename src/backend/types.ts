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

export interface Connection {
  id: string;
  integrationKey: string;
  platformName: string;
  sourceType: string;
  status: ConnectionStatus;
  created: string;
  connectionInfo: ConnectionInfo;
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
