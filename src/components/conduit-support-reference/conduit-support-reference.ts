import { html, LitElement, nothing } from 'lit';
import { LocalizeController, msg } from '../../localization/localization.js';
import { supportReference } from '../../localization/error-messages.js';
import { baseStyles } from '../../styles/base.js';
import { supportReferenceStyles } from './conduit-support-reference.styles.js';

/**
 * The correlation id of a failure, for the user to quote to support.
 * @customElement conduit-support-reference
 * @summary "Support reference: …" with a Copy button.
 */
export class ConduitSupportReference extends LitElement {
  static override styles = [baseStyles, supportReferenceStyles];

  static override properties = {
    reference: {},
    copiedReference: { state: true },
  };

  /** The correlation id. */
  declare reference: string;
  // The language of the flow (or step) it is shown in.
  protected readonly localize = new LocalizeController(this);
  // Which reference was copied: a new one (after another failure) is not.
  declare private copiedReference: string;

  constructor() {
    super();
    this.reference = '';
    this.copiedReference = '';
  }

  async #handleCopy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(this.reference);
      this.copiedReference = this.reference;
    } catch {
      // Clipboard access can be refused; the reference stays on screen to copy by hand.
      this.copiedReference = '';
    }
  }

  override render() {
    if (!this.reference) return nothing;
    const copied = this.copiedReference === this.reference;
    const copiedText = msg('Support reference copied', { id: 'conduit.reference.copiedStatus' });
    // The name says what the button shows: "Copied" is heard on the button too, not only seen
    // (and a voice-control user can say the word on it).
    const name = copied ? copiedText : msg('Copy support reference', { id: 'conduit.reference.copyLabel' });
    return html`
      <p class="muted">
        <span>${supportReference(this.reference)}</span>
        <button type="button" aria-label=${name} @click=${this.#handleCopy}>
          ${copied ? msg('Copied', { id: 'conduit.reference.copied' }) : msg('Copy', { id: 'conduit.reference.copy' })}
        </button>
        <span class="visually-hidden" role="status">${copied ? copiedText : nothing}</span>
      </p>
    `;
  }
}
