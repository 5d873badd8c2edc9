import { ConduitEvent } from './conduit-event.js';

/** The user made a link for a colleague to finish the credentials step. Never carries the link's token. */
export class ConduitHandoffEvent extends ConduitEvent {
  static readonly eventName = 'conduit-handoff';
  constructor(
    /** When the link stops working (ISO 8601). */
    readonly expiresAt: string,
  ) {
    super(ConduitHandoffEvent.eventName);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'conduit-handoff': ConduitHandoffEvent;
  }
}
