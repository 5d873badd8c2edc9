import { ConduitEvent } from './conduit-event.js';

/** The user accepted the permissions; `text` is exactly what they were shown, for the partner's records. */
export class ConduitConsentEvent extends ConduitEvent {
  static readonly eventName = 'conduit-consent';
  constructor(
    readonly integrationKey: string,
    readonly text: string,
    readonly locale: string,
    /** ISO 8601 timestamp. */
    readonly acceptedAt: string,
  ) {
    super(ConduitConsentEvent.eventName);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'conduit-consent': ConduitConsentEvent;
  }
}
