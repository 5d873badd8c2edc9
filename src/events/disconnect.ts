import { ConduitEvent } from './conduit-event.js';

/** The user disconnected the account: the backend unlinked the connection. */
export class ConduitDisconnectEvent extends ConduitEvent {
  static readonly eventName = 'conduit-disconnect';
  constructor(readonly connectionId: string) {
    super(ConduitDisconnectEvent.eventName);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'conduit-disconnect': ConduitDisconnectEvent;
  }
}
