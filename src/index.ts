// The package's entry: classes, events, types and the backend client.
// No side effects: importing this registers nothing (see define.ts).

export { ConduitLinkElement } from './components/conduit-link/conduit-link.js';
export { ConduitLink } from './deprecated.js';
export { ConduitIntegrationPicker } from './components/conduit-integration-picker/conduit-integration-picker.js';
export { ConduitPermissions } from './components/conduit-permissions/conduit-permissions.js';
export { ConduitCredentials, type SubmitCredentials } from './components/conduit-credentials/conduit-credentials.js';
export { ConduitSuccess } from './components/conduit-success/conduit-success.js';
export { ConduitSupportReference } from './components/conduit-support-reference/conduit-support-reference.js';

export { ConduitEvent } from './events/conduit-event.js';
export { ConduitReadyEvent } from './events/ready.js';
export { ConduitStepChangeEvent, type ConduitStep } from './events/step-change.js';
export { ConduitIntegrationSelectEvent } from './events/integration-select.js';
export { ConduitConsentEvent } from './events/consent.js';
export { ConduitConnectionStartedEvent } from './events/connection-started.js';
export { ConduitConnectionEvent } from './events/connection.js';
export { ConduitErrorEvent } from './events/error.js';
export { ConduitRequestCloseEvent, type CloseSource } from './events/request-close.js';
export { ConduitCloseEvent } from './events/close.js';
export { ConduitFinishEvent } from './events/finish.js';
export { CONDUIT_EVENT_TYPES } from './events/types.js';

export { BackendClient, type BackendClientOptions } from './backend/client.js';
export { ConduitError, type ConduitErrorCode } from './backend/errors.js';
export type * from './backend/types.js';
