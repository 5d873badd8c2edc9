import type { Connection, ConnectionInfo, DeauthorizedReason } from '../../src/backend/types.js';
import type { StoredHandoff } from './store.js';

// Rows as both stores read them (the same column names in SQLite and Postgres).

export interface ConnectionRow {
  id: string;
  integration_key: string;
  platform_name: string;
  source_type: string;
  status: Connection['status'];
  connection_info: string;
  created: string;
  last_verified_at: string | null;
  deauthorized_reason: DeauthorizedReason | null;
}

export function toConnection(row: ConnectionRow): Connection {
  return {
    id: row.id,
    integrationKey: row.integration_key,
    platformName: row.platform_name,
    sourceType: row.source_type,
    status: row.status,
    created: row.created,
    connectionInfo: JSON.parse(row.connection_info) as ConnectionInfo,
    ...(row.last_verified_at ? { lastVerifiedAt: row.last_verified_at } : {}),
    ...(row.deauthorized_reason && row.status === 'Deauthorized' ? { deauthorizedReason: row.deauthorized_reason } : {}),
  };
}

export interface HandoffRow {
  id: string;
  company_id: string;
  connection_id: string;
  expires_at: string;
  ended_at: string | null;
}

export function toHandoff(row: HandoffRow): StoredHandoff {
  return {
    id: row.id,
    companyId: row.company_id,
    connectionId: row.connection_id,
    expiresAt: new Date(row.expires_at),
    ended: row.ended_at !== null,
  };
}

