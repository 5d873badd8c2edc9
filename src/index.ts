// The package's entry: classes, events, types and the backend client.
// No side effects: importing this registers nothing (see define.ts).

export * from './api.js';

export { ConduitPermissions } from './components/conduit-permissions/conduit-permissions.js';
export { ConduitCredentials, type SubmitCredentials } from './components/conduit-credentials/conduit-credentials.js';
export { ConduitSuccess } from './components/conduit-success/conduit-success.js';
export { ConduitLifecycle } from './components/conduit-lifecycle/conduit-lifecycle.js';
export * from './backend/lifecycle-calls.js';
