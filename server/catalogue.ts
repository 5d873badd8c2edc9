import type { Integration } from '../src/backend/types.js';

/** What this backend can connect; the widget shows the enabled ones it supports. */
export const INTEGRATIONS: readonly Integration[] = [
  { key: 'chargify', name: 'Chargify', logoUrl: '', enabled: true, sourceType: 'Commerce', isBeta: false },
];
