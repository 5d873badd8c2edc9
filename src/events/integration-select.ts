import { ConduitEvent } from './conduit-event.js';

/** The user chose an integration and moved on. */
export class ConduitIntegrationSelectEvent extends ConduitEvent {
  static readonly eventName = 'conduit-integration-select';
  constructor(readonly integrationKey: string) {
    super(ConduitIntegrationSelectEvent.eventName);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'conduit-integration-select': ConduitIntegrationSelectEvent;
  }
}
