import type { ConduitErrorCode } from '../backend/errors.js';
import { ConduitEvent } from './conduit-event.js';

/** Something failed; `message` is what the user was shown. */
export class ConduitErrorEvent extends ConduitEvent {
  static readonly eventName = 'conduit-error';
  constructor(
    readonly code: ConduitErrorCode,
    readonly message: string,
    readonly userRecoverable: boolean,
    readonly correlationId: string | null,
    readonly status: number | null,
  ) {
    super(ConduitErrorEvent.eventName);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'conduit-error': ConduitErrorEvent;
  }
}
