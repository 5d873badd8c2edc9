import { str } from '../../localization/str.js';
import { html, nothing } from 'lit';
import { msg } from '../../localization/localization.js';
import type { Connection } from '../../backend/types.js';
import { ConduitFinishEvent } from '../../events/finish.js';
import { HOST_SUFFIX } from '../../integrations/chargify.js';
import { baseStyles } from '../../styles/base.js';
import { StepElement } from '../step-element.js';
import { successStyles } from './conduit-success.styles.js';

/**
 * The last step: the verified account, so the user can see it is the right one.
 * @customElement conduit-success
 * @summary Names the connected Chargify site; Finish ends the flow.
 * @fires {ConduitFinishEvent} conduit-finish - The user pressed Finish.
 * @csspart heading - The step's heading.
 * @csspart primary-button - The step's main action.
 */
export class ConduitSuccess extends StepElement {
  static override styles = [baseStyles, successStyles];

  static override properties = {
    connection: { attribute: false },
    partnerName: { attribute: 'partner-name' },
    alreadyConnected: { type: Boolean, attribute: 'already-connected' },
  };

  /** The linked connection, as the backend verified it. */
  declare connection: Connection | null;
  declare partnerName: string;
  /** The account was linked before this visit, rather than just now. */
  declare alreadyConnected: boolean;

  constructor() {
    super();
    this.connection = null;
    this.partnerName = '';
    this.alreadyConnected = false;
  }

  #handleFinish(): void {
    if (this.connection) this.dispatchEvent(new ConduitFinishEvent(this.connection.id));
  }

  #renderSite() {
    const info = this.connection?.connectionInfo ?? {};
    const address = info.subdomain ? `${info.subdomain}${HOST_SUFFIX[info.region ?? 'US']}` : '';
    return html`
      <div class="site">
        <span class="visually-hidden">${msg('Connected site', { id: 'conduit.success.siteLabel' })}</span>
        ${info.siteName ? html`<span class="site-name">${info.siteName}</span>` : nothing}
        ${address ? html`<span class="muted">${address}</span>` : nothing}
        ${info.test ? html`<span class="badge">${msg('Test site', { id: 'conduit.success.testSite' })}</span>` : nothing}
      </div>
    `;
  }

  override render() {
    const partner = this.partnerName || msg('This app', { id: 'conduit.permissions.partnerFallback' });
    return html`
      <div class="step">
        <span class="mark" aria-hidden="true">✓</span>
        <h2 part="heading" tabindex="-1">
          ${this.alreadyConnected
            ? msg('Chargify is already connected', { id: 'conduit.success.alreadyTitle' })
            : msg('Chargify connected', { id: 'conduit.success.title' })}
        </h2>
        <p>
          ${this.alreadyConnected
            ? msg(str`${partner} already reads data from this Chargify site. There's nothing more to do.`, {
                id: 'conduit.success.alreadyBody',
              })
            : msg(str`${partner} can now read data from this Chargify site.`, { id: 'conduit.success.body' })}
        </p>
        ${this.#renderSite()}
        <div class="actions">
          <button class="primary" part="primary-button" type="button" @click=${this.#handleFinish}>${msg('Finish', { id: 'conduit.success.finish' })}</button>
        </div>
      </div>
    `;
  }
}
