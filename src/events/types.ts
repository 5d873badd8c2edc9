/** Every public event's name, for hosts that log or forward them all. */
export const CONDUIT_EVENT_TYPES = [
  'conduit-ready',
  'conduit-step-change',
  'conduit-integration-select',
  'conduit-consent',
  'conduit-connection-started',
  'conduit-connection',
  'conduit-error',
  'conduit-request-close',
  'conduit-close',
  'conduit-finish',
] as const;
