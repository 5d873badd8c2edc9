import { str } from '../../localization/str.js';
import { html } from 'lit';
import { property } from 'lit/decorators.js';
import { ConduitConsentEvent } from '../../events/consent.js';
import { CHARGIFY_KEY, chargifyDataScopes } from '../../integrations/chargify.js';
import { currentLocale, localized, msg } from '../../localization/localization.js';
import { baseStyles } from '../../styles/base.js';
import { StepElement } from '../step-element.js';
import { permissionsStyles } from './conduit-permissions.styles.js';

interface ConsentCopy {
  title: string;
  intro: string;
  scopes: string[];
  readOnlyTitle: string;
  readOnly: string;
  whyTitle: string;
  why: string;
  revokeTitle: string;
  revoke: string;
}

/**
 * The second step: what the partner will read, and the user's consent.
 * @customElement conduit-permissions
 * @summary Lists the Chargify data the partner reads; Next records consent.
 * @fires {ConduitConsentEvent} conduit-consent - The user accepted; carries the exact text shown.
 * @csspart heading - The step's heading.
 * @csspart primary-button - The step's main action.
 */
@localized()
export class ConduitPermissions extends StepElement {
  static override styles = [baseStyles, permissionsStyles];

  /** Who will read the data, as the user knows them. */
  @property({ attribute: 'partner-name' }) partnerName = '';
  @property({ attribute: 'integration-key' }) integrationKey = CHARGIFY_KEY;
  @property({ attribute: 'integration-name' }) integrationName = 'Chargify';

  // One source for what is rendered and what the consent event records, so
  // the partner's record is exactly what the user read.
  private copy(): ConsentCopy {
    const partner = this.partnerName || msg('This app', { id: 'conduit.permissions.partnerFallback' });
    const platform = this.integrationName;
    return {
      title: msg(str`Connect to ${platform}`, { id: 'conduit.permissions.title' }),
      intro: msg(str`${partner} will be able to read this data from your ${platform} account:`, {
        id: 'conduit.permissions.intro',
      }),
      scopes: chargifyDataScopes(),
      readOnlyTitle: msg('Read-only access', { id: 'conduit.permissions.readOnlyTitle' }),
      readOnly: msg(str`${partner} can read this data but can't create, change or delete anything in ${platform}.`, {
        id: 'conduit.permissions.readOnly',
      }),
      whyTitle: msg('Why this is needed', { id: 'conduit.permissions.whyTitle' }),
      why: msg(str`${partner} uses it to understand your billing, subscriptions and revenue, so it can offer you its services.`, {
        id: 'conduit.permissions.why',
      }),
      revokeTitle: msg('Changing your mind', { id: 'conduit.permissions.revokeTitle' }),
      revoke: msg(
        str`${partner} lets you disconnect at any time. You can also delete the API key in ${platform} under Config → Integrations → API Keys.`,
        { id: 'conduit.permissions.revoke' },
      ),
    };
  }

  private handleSubmit(event: SubmitEvent): void {
    event.preventDefault();
    const copy = this.copy();
    const text = [
      copy.title,
      copy.intro,
      ...copy.scopes.map((scope) => `- ${scope}`),
      copy.readOnlyTitle,
      copy.readOnly,
      copy.whyTitle,
      copy.why,
      copy.revokeTitle,
      copy.revoke,
    ].join('\n');
    this.dispatchEvent(new ConduitConsentEvent(this.integrationKey, text, currentLocale(), new Date().toISOString()));
  }

  override render() {
    const copy = this.copy();
    return html`
      <form class="step" @submit=${this.handleSubmit}>
        <h2 part="heading" tabindex="-1">${copy.title}</h2>
        <p>${copy.intro}</p>
        <ul class="scopes">
          ${copy.scopes.map((scope) => html`<li>${scope}</li>`)}
        </ul>
        <section>
          <h3>${copy.readOnlyTitle}</h3>
          <p class="muted">${copy.readOnly}</p>
        </section>
        <section>
          <h3>${copy.whyTitle}</h3>
          <p class="muted">${copy.why}</p>
        </section>
        <section>
          <h3>${copy.revokeTitle}</h3>
          <p class="muted">${copy.revoke}</p>
        </section>
        <div class="actions">
          <button class="primary" part="primary-button" type="submit">${msg('Next', { id: 'conduit.common.next' })}</button>
        </div>
      </form>
    `;
  }
}
