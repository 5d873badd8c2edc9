// Everything the package offers except the later steps' classes: what define.ts
// (and so the CDN file) re-exports, so that those steps stay in a chunk of their own.

export { ConduitLinkElement } from './components/conduit-link/conduit-link.js';
export { ConduitLink } from './deprecated.js';
export { ConduitIntegrationPicker } from './components/conduit-integration-picker/conduit-integration-picker.js';
export { ConduitSupportReference } from './components/conduit-support-reference/conduit-support-reference.js';

export { ConduitEvent } from './events/conduit-event.js';
export { ConduitReadyEvent } from './events/ready.js';
export { ConduitStepChangeEvent, type ConduitStep } from './events/step-change.js';
export { ConduitIntegrationSelectEvent } from './events/integration-select.js';
export { ConduitConsentEvent } from './events/consent.js';
export { ConduitConnectionStartedEvent } from './events/connection-started.js';
export { ConduitConnectionEvent, type ConnectionReason } from './events/connection.js';
export { ConduitDisconnectEvent } from './events/disconnect.js';
export { ConduitHandoffEvent } from './events/handoff.js';
export { ConduitErrorEvent } from './events/error.js';
export { ConduitRequestCloseEvent, type CloseSource } from './events/request-close.js';
export { ConduitCloseEvent } from './events/close.js';
export { ConduitFinishEvent } from './events/finish.js';
export { CONDUIT_EVENT_TYPES } from './events/types.js';

export { BackendClient, type BackendClientOptions } from './backend/client.js';
export { ConduitError, type ConduitErrorCode } from './backend/errors.js';
export type * from './backend/types.js';
