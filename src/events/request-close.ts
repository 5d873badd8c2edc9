import { ConduitEvent } from './conduit-event.js';

export type CloseSource = 'close-button' | 'escape';

/** The user asked to close the modal; cancel it to keep the flow open. */
export class ConduitRequestCloseEvent extends ConduitEvent {
  static readonly eventName = 'conduit-request-close';
  constructor(readonly source: CloseSource) {
    super(ConduitRequestCloseEvent.eventName, true);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'conduit-request-close': ConduitRequestCloseEvent;
  }
}
