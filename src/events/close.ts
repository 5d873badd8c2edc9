import { ConduitEvent } from './conduit-event.js';
import type { ConduitStep } from './step-change.js';

/** The modal closed; `step` is where the user left. */
export class ConduitCloseEvent extends ConduitEvent {
  static readonly eventName = 'conduit-close';
  constructor(readonly step: ConduitStep) {
    super(ConduitCloseEvent.eventName);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'conduit-close': ConduitCloseEvent;
  }
}
