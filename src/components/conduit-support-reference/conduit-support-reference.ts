import { html, LitElement, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { localized, msg } from '../../localization/localization.js';
import { supportReference } from '../../localization/error-messages.js';
import { baseStyles } from '../../styles/base.js';
import { supportReferenceStyles } from './conduit-support-reference.styles.js';

/**
 * The correlation id of a failure, for the user to quote to support.
 * @customElement conduit-support-reference
 * @summary "Support reference: …" with a Copy button.
 */
@localized()
export class ConduitSupportReference extends LitElement {
  static override styles = [baseStyles, supportReferenceStyles];

  @state() private copied = false;

  /** The correlation id. */
  @property() reference = '';

  private async handleCopy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(this.reference);
      this.copied = true;
    } catch {
      // Clipboard access can be refused; the reference stays on screen to copy by hand.
      this.copied = false;
    }
  }

  override render() {
    if (!this.reference) return nothing;
    return html`
      <p class="muted">
        <span>${supportReference(this.reference)}</span>
        <button type="button" aria-label=${msg('Copy support reference', { id: 'conduit.reference.copyLabel' })} @click=${this.handleCopy}>
          ${this.copied ? msg('Copied', { id: 'conduit.reference.copied' }) : msg('Copy', { id: 'conduit.reference.copy' })}
        </button>
        <span class="visually-hidden" role="status">${this.copied ? msg('Support reference copied', { id: 'conduit.reference.copiedStatus' }) : nothing}</span>
      </p>
    `;
  }
}
