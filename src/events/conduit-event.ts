/** Base of every public event: all bubble and cross shadow roots. */
export abstract class ConduitEvent extends Event {
  constructor(type: string, cancelable = false) {
    super(type, { bubbles: true, composed: true, cancelable });
  }
}
