import { ConduitCredentials } from './components/conduit-credentials/conduit-credentials.js';
import { ConduitPermissions } from './components/conduit-permissions/conduit-permissions.js';
import { ConduitSuccess } from './components/conduit-success/conduit-success.js';
import { defineElements } from './registry.js';

// The steps after the picker: a chunk of their own, which <conduit-link> loads
// once its first screen is up, while the user reads it (see define.ts).
defineElements({
  'conduit-permissions': ConduitPermissions,
  'conduit-credentials': ConduitCredentials,
  'conduit-success': ConduitSuccess,
});
