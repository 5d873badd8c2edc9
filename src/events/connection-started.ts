import { ConduitEvent } from './conduit-event.js';

/** The backend created a pending connection for this attempt. */
export class ConduitConnectionStartedEvent extends ConduitEvent {
  static readonly eventName = 'conduit-connection-started';
  constructor(
    readonly connectionId: string,
    readonly integrationKey: string,
  ) {
    super(ConduitConnectionStartedEvent.eventName);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'conduit-connection-started': ConduitConnectionStartedEvent;
  }
}
