import { ConduitEvent } from './conduit-event.js';

/** The user pressed Finish on a connected account. */
export class ConduitFinishEvent extends ConduitEvent {
  static readonly eventName = 'conduit-finish';
  constructor(readonly connectionId: string) {
    super(ConduitFinishEvent.eventName);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'conduit-finish': ConduitFinishEvent;
  }
}
