import { ConduitCloseEvent } from './close.js';
import { ConduitConnectionStartedEvent } from './connection-started.js';
import { ConduitConnectionEvent } from './connection.js';
import { ConduitConsentEvent } from './consent.js';
import { ConduitDisconnectEvent } from './disconnect.js';
import { ConduitErrorEvent } from './error.js';
import { ConduitFinishEvent } from './finish.js';
import { ConduitHandoffEvent } from './handoff.js';
import { ConduitIntegrationSelectEvent } from './integration-select.js';
import { ConduitReadyEvent } from './ready.js';
import { ConduitRequestCloseEvent } from './request-close.js';
import { ConduitStepChangeEvent } from './step-change.js';

/** Every public event's name, for hosts that log or forward them all. */
export const CONDUIT_EVENT_TYPES = [
  ConduitReadyEvent.eventName,
  ConduitStepChangeEvent.eventName,
  ConduitIntegrationSelectEvent.eventName,
  ConduitConsentEvent.eventName,
  ConduitConnectionStartedEvent.eventName,
  ConduitConnectionEvent.eventName,
  ConduitDisconnectEvent.eventName,
  ConduitHandoffEvent.eventName,
  ConduitErrorEvent.eventName,
  ConduitRequestCloseEvent.eventName,
  ConduitCloseEvent.eventName,
  ConduitFinishEvent.eventName,
] as const;
