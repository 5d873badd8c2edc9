import { ConduitEvent } from './conduit-event.js';

export type ConduitStep =
  | 'loading'
  | 'picker'
  | 'permissions'
  | 'credentials'
  | 'success'
  | 'error'
  /** The company's connection is linked: what it is, Replace API key, Disconnect. */
  | 'connected'
  /** Chargify no longer accepts the stored key: Enter a new key. */
  | 'deauthorized'
  /** Disconnect asked: the confirmation. */
  | 'disconnect'
  /** The link for a colleague, to copy or mail. */
  | 'handoff'
  /** A colleague has the link; the flow watches the connection. */
  | 'handoff-waiting'
  /** The colleague's page: who asked, before the permissions. */
  | 'handoff-welcome'
  /** The colleague's link was used, has expired or was withdrawn. */
  | 'handoff-invalid';

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
