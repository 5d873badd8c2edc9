import { ConduitEvent } from './conduit-event.js';

export type ConduitStep = 'loading' | 'picker' | 'permissions' | 'credentials' | 'success' | 'connected' | 'error';

/** The flow moved from `previousStep` to `step`. */
export class ConduitStepChangeEvent extends ConduitEvent {
  static readonly eventName = 'conduit-step-change';
  constructor(
    readonly step: ConduitStep,
    readonly previousStep: ConduitStep,
  ) {
    super(ConduitStepChangeEvent.eventName);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'conduit-step-change': ConduitStepChangeEvent;
  }
}
