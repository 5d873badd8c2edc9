import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { ConduitCloseEvent } from '../../events/close.js';
import { ConduitRequestCloseEvent, type CloseSource } from '../../events/request-close.js';
import type { ConduitStep } from '../../events/step-change.js';
import { isMidFlow } from './flow.js';
import { ScrollLock } from './scroll-lock.js';

/** What the modal needs from the element that hosts it. */
export interface ModalHost extends ReactiveControllerHost, EventTarget {
  readonly renderRoot: HTMLElement | DocumentFragment;
  /** Where the user is now: leaving mid-flow is asked about, and `conduit-close` names it. */
  readonly step: ConduitStep;
  /** The dialog opened: start the flow afresh. */
  modalOpened(): void;
  /** The visit ended: stop the flow. */
  modalClosed(): void;
  /** Move focus to what the user should read now. */
  focusCurrent(): void;
}

/**
 * The modal shell around the flow (DESIGN §4): a native `<dialog>`, opened by
 * `open()` and shown once rendered; the page behind held still; Esc and the close
 * button ask before leaving mid-flow; focus back to the opener when it closes.
 */
export class ModalShell implements ReactiveController {
  /** The dialog is open, or opening (rendered on the next update). */
  open = false;
  /** The "leave without connecting?" question is shown. */
  confirming = false;
  readonly #host: ModalHost;
  readonly #scrollLock = new ScrollLock();
  #opener: HTMLElement | null = null;

  constructor(host: ModalHost) {
    this.#host = host;
    host.addController(this);
    // Esc is handled as a key, not through the dialog's `cancel`: Chromium stops
    // firing a cancelable `cancel` after a few in a row (its close-watcher abuse
    // rule) and then closes without asking. Cancelling the key stops the dialog's
    // own close request, so the question comes every time.
    host.addEventListener('keydown', this.#handleKeydown);
  }

  // Removed mid-visit: the visit ends as a close ends it, so back on the page the
  // modal waits for open() again. (A removed dialog leaves the top layer but stays open.)
  hostDisconnected(): void {
    this.handleClose();
    this.#dialog?.close();
    this.#scrollLock.release();
  }

  showModal(): void {
    if (this.open) return;
    this.#opener = deepActiveElement();
    this.open = true;
    this.#host.modalOpened();
    this.#host.requestUpdate();
    void this.#host.updateComplete.then(() => {
      // Removed (or closed) before it rendered: nothing to show, and the page must not stay locked.
      if (!this.open) return;
      this.#dialog?.showModal();
      this.#scrollLock.hold();
      this.#host.focusCurrent();
    });
  }

  /** Closes without asking. */
  close(): void {
    if (this.#dialog?.open) this.#dialog.close();
  }

  /** A close request that is not Esc (a back gesture): the dialog's own close is cancelled, and the user is asked instead. */
  handleCancel = (event: Event): void => {
    event.preventDefault();
    this.requestClose('escape');
  };

  #handleKeydown = (event: Event): void => {
    const key = event as KeyboardEvent;
    if (key.key !== 'Escape' || !this.open || key.defaultPrevented || key.isComposing) return;
    key.preventDefault();
    // A held key repeats: one press, one answer.
    if (!key.repeat) this.requestClose('escape');
  };

  /** The dialog closed, however: the visit ends. */
  handleClose = (): void => {
    // Not open, or its visit already ended (the element was removed, then the dialog closed).
    if (!this.open) return;
    this.open = false;
    this.confirming = false;
    this.#scrollLock.release();
    // Whatever was under way belonged to this visit: nothing may reach the host after conduit-close.
    this.#host.modalClosed();
    this.#host.dispatchEvent(new ConduitCloseEvent(this.#host.step));
    this.#opener?.focus();
    this.#opener = null;
    this.#host.requestUpdate();
  };

  requestClose(source: CloseSource): void {
    // Asked again while the question shows (Esc, or the header's Close): that dismisses
    // the question, as Esc dismisses any dialog, and nothing typed is lost.
    if (this.confirming) {
      this.stay();
      return;
    }
    const request = new ConduitRequestCloseEvent(source);
    this.#host.dispatchEvent(request);
    if (request.defaultPrevented) return;
    if (isMidFlow(this.#host.step)) {
      this.confirming = true;
      this.#host.requestUpdate();
      void this.#host.updateComplete.then(() => this.#host.focusCurrent());
    } else {
      this.close();
    }
  }

  stay = (): void => {
    this.confirming = false;
    this.#host.requestUpdate();
    void this.#host.updateComplete.then(() => this.#host.focusCurrent());
  };

  get #dialog(): HTMLDialogElement | null {
    return this.#host.renderRoot.querySelector('dialog');
  }
}

// The element that had focus, looking through open shadow roots, so focus
// returns to the host's real opener button when the modal closes.
function deepActiveElement(): HTMLElement | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active instanceof HTMLElement ? active : null;
}
