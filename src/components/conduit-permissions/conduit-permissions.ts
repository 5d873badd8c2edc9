import { str } from '../../localization/str.js';
import { html } from 'lit';
import { ConduitConsentEvent } from '../../events/consent.js';
import { CHARGIFY_KEY, chargifyDataScopes } from '../../integrations/chargify.js';
import { currentLocale, msg } from '../../localization/localization.js';
import { baseStyles } from '../../styles/base.js';
import { StepElement } from '../step-element.js';
import { permissionsStyles } from './conduit-permissions.styles.js';

interface ConsentCopy {
  title: string;
  intro: string;
  scopes: string[];
  accessTitle: string;
  access: string;
  commitment: string;
  whyTitle: string;
  why: string;
  controlTitle: string;
  control: string;
}

/**
 * The second step: what the partner will read, and the user's consent.
 * @customElement conduit-permissions
 * @summary Lists the Chargify data the partner reads; Next records consent.
 * @fires {ConduitConsentEvent} conduit-consent - The user accepted; carries the exact text shown.
 * @csspart heading - The step's heading.
 * @csspart primary-button - The step's main action.
 */
export class ConduitPermissions extends StepElement {
  static override styles = [baseStyles, permissionsStyles];

  static override properties = {
    partnerName: { attribute: 'partner-name' },
    integrationKey: { attribute: 'integration-key' },
    integrationName: { attribute: 'integration-name' },
  };

  /** Who will read the data, as the user knows them. */
  declare partnerName: string;
  declare integrationKey: string;
  declare integrationName: string;

  constructor() {
    super();
    this.partnerName = '';
    this.integrationKey = CHARGIFY_KEY;
    this.integrationName = 'Chargify';
  }

  // One source for what is rendered and what the consent event records, so
  // the partner's record is exactly what the user read.
  #copy(): ConsentCopy {
    const partner = this.partnerName || msg('This app', { id: 'conduit.permissions.partnerFallback' });
    const platform = this.integrationName;
    return {
      title: msg(str`Connect to ${platform}`, { id: 'conduit.permissions.title' }),
      intro: msg(str`${partner} will be able to read this data from your ${platform} account:`, {
        id: 'conduit.permissions.intro',
      }),
      scopes: chargifyDataScopes(),
      // Chargify's keys have no roles or scopes: reading only is the partner's
      // promise, not something the key enforces, and the screen says so.
      accessTitle: msg('What the API key allows', { id: 'conduit.permissions.accessTitle' }),
      access: msg(str`A ${platform} API key gives full access to your site: ${platform} has no read-only keys.`, {
        id: 'conduit.permissions.access',
      }),
      // Its own message, so that a partner can word its commitment through `texts`.
      commitment: msg(str`${partner} commits to reading only the data listed above.`, {
        id: 'conduit.permissions.commitment',
      }),
      whyTitle: msg('Why this is needed', { id: 'conduit.permissions.whyTitle' }),
      why: msg(str`${partner} uses it to understand your billing, subscriptions and revenue, so it can offer you its services.`, {
        id: 'conduit.permissions.why',
      }),
      // Only what exists: deleting the key in Chargify cuts access; the flow offers no Disconnect yet.
      controlTitle: msg('Staying in control', { id: 'conduit.permissions.controlTitle' }),
      control: msg(
        str`Create a key just for ${partner}, named after it. To cut ${partner}'s access at any time, delete that key in ${platform} under Config → Integrations → API Keys.`,
        { id: 'conduit.permissions.control' },
      ),
    };
  }

  #handleSubmit(event: SubmitEvent): void {
    event.preventDefault();
    // Outside render: in the flow's language, as shown.
    const { copy, locale } = this.localize.run(() => ({ copy: this.#copy(), locale: currentLocale() }));
    const text = [
      copy.title,
      copy.intro,
      ...copy.scopes.map((scope) => `- ${scope}`),
      copy.accessTitle,
      copy.access,
      copy.commitment,
      copy.whyTitle,
      copy.why,
      copy.controlTitle,
      copy.control,
    ].join('\n');
    this.dispatchEvent(new ConduitConsentEvent(this.integrationKey, text, locale, new Date().toISOString()));
  }

  override render() {
    const copy = this.#copy();
    return html`
      <form class="step" @submit=${this.#handleSubmit}>
        <h2 part="heading" tabindex="-1">${copy.title}</h2>
        <p>${copy.intro}</p>
        <ul class="scopes">
          ${copy.scopes.map((scope) => html`<li>${scope}</li>`)}
        </ul>
        <section>
          <h3>${copy.accessTitle}</h3>
          <p class="muted">${copy.access}</p>
          <p class="muted">${copy.commitment}</p>
        </section>
        <section>
          <h3>${copy.whyTitle}</h3>
          <p class="muted">${copy.why}</p>
        </section>
        <section>
          <h3>${copy.controlTitle}</h3>
          <p class="muted">${copy.control}</p>
        </section>
        <div class="actions">
          <button class="primary" part="primary-button" type="submit">${msg('Next', { id: 'conduit.common.next' })}</button>
        </div>
      </form>
    `;
  }
}
