import type { VerifiedConnectionInfo } from '../backend/types.js';
import { ConduitEvent } from './conduit-event.js';

/** Why the account is linked now: a first connect, a replaced key, or a colleague who finished a hand-off. */
export type ConnectionReason = 'connected' | 'key-replaced' | 'handoff';

/** The account is linked. `connectionInfo` is the site the backend verified (its name always there); it never holds the key. */
export class ConduitConnectionEvent extends ConduitEvent {
  static readonly eventName = 'conduit-connection';
  constructor(
    readonly connectionId: string,
    readonly integrationKey: string,
    readonly platformName: string,
    readonly sourceType: string,
    readonly connectionInfo: Readonly<VerifiedConnectionInfo>,
    readonly reason: ConnectionReason = 'connected',
  ) {
    super(ConduitConnectionEvent.eventName);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'conduit-connection': ConduitConnectionEvent;
  }
}
