import { ConduitEvent } from './conduit-event.js';

/** The catalogue loaded; `integrations` are the keys the user can pick from. */
export class ConduitReadyEvent extends ConduitEvent {
  static readonly eventName = 'conduit-ready';
  constructor(readonly integrations: readonly string[]) {
    super(ConduitReadyEvent.eventName);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'conduit-ready': ConduitReadyEvent;
  }
}
