import { html, nothing, type TemplateResult } from 'lit';
import type { ConduitError } from '../../backend/errors.js';
import type { Connection, DeauthorizedReason, Region } from '../../backend/types.js';
import { ConduitFinishEvent } from '../../events/finish.js';
import { HOST_SUFFIX } from '../../integrations/chargify.js';
import { errorMessage } from '../../localization/error-messages.js';
import { currentLocale, msg } from '../../localization/localization.js';
import { str } from '../../localization/str.js';
import { baseStyles } from '../../styles/base.js';
import { StepElement } from '../step-element.js';
import { lifecycleStyles } from './conduit-lifecycle.styles.js';

/** Which lifecycle screen to show. */
export type LifecycleView = 'connected' | 'deauthorized' | 'disconnect' | 'handoff' | 'handoff-waiting' | 'handoff-welcome' | 'handoff-invalid';

/** What the user asked for on a lifecycle screen; the flow acts on it. */
export type LifecycleAction = 'replace' | 'disconnect' | 'confirm-disconnect' | 'handoff-sent' | 'cancel-handoff' | 'start-handoff';

const dateFormats = new Map<string, Intl.DateTimeFormat>();

function formatDate(iso: string | undefined): string {
  if (!iso) return '';
  const locale = currentLocale();
  let format = dateFormats.get(locale);
  if (!format) dateFormats.set(locale, (format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' })));
  return format.format(new Date(iso));
}

function regionName(region: Region | undefined): string {
  return region === 'EU'
    ? msg('Europe', { id: 'conduit.credentials.regionEU' })
    : msg('United States', { id: 'conduit.credentials.regionUS' });
}

// Our own words for each of Chargify's verdicts on a stored key.
function reasonText(reason: DeauthorizedReason | undefined): string {
  switch (reason) {
    case 'invalid_credentials':
      return msg('The key was deleted or replaced in Chargify.', { id: 'conduit.lifecycle.reasonInvalidCredentials' });
    case 'site_not_found':
      return msg('Chargify no longer finds this site.', { id: 'conduit.lifecycle.reasonSiteNotFound' });
    case 'access_refused':
      return msg('Chargify refused access to this site.', { id: 'conduit.lifecycle.reasonAccessRefused' });
    case 'account_blocked':
      return msg('The Chargify account is blocked, for example because its trial ended.', { id: 'conduit.lifecycle.reasonAccountBlocked' });
    default:
      return msg('Chargify did not say why.', { id: 'conduit.lifecycle.reasonUnknown' });
  }
}

/**
 * The screens of a connection's life after the first connect: the connected site,
 * a key Chargify no longer accepts, disconnecting, and handing the key step to a colleague.
 * @customElement conduit-lifecycle
 * @summary Manage a Chargify connection; shown by `<conduit-link>`.
 * @fires {ConduitFinishEvent} conduit-finish - The user pressed Finish on the connected screen.
 * @csspart heading - The screen's heading.
 * @csspart primary-button - The screen's main action.
 */
export class ConduitLifecycle extends StepElement {
  static override styles = [baseStyles, lifecycleStyles];

  static override properties = {
    view: {},
    connection: { attribute: false },
    partnerName: { attribute: 'partner-name' },
    companyName: { attribute: 'company-name' },
    handoffLink: { attribute: false },
    busy: { type: Boolean },
    failure: { attribute: false },
    act: { attribute: false },
    copied: { state: true },
  };

  declare view: LifecycleView;
  declare connection: Connection | null;
  declare partnerName: string;
  /** The company that asked, on a colleague's page. */
  declare companyName: string;
  /** The link for the colleague; holds the hand-off token, so never an attribute. */
  declare handoffLink: string;
  /** An action is under way. */
  declare busy: boolean;
  /** The last action failed. */
  declare failure: ConduitError | null;
  /** Called with what the user asked for. */
  declare act: ((action: LifecycleAction) => void) | undefined;
  declare private copied: boolean;

  constructor() {
    super();
    this.view = 'connected';
    this.connection = null;
    this.partnerName = '';
    this.companyName = '';
    this.handoffLink = '';
    this.busy = false;
    this.failure = null;
    this.act = undefined;
    this.copied = false;
  }

  get #partner(): string {
    return this.partnerName || msg('This app', { id: 'conduit.permissions.partnerFallback' });
  }

  get #siteName(): string {
    const info = this.connection?.connectionInfo;
    return info?.siteName ?? info?.subdomain ?? 'Chargify';
  }

  #do(action: LifecycleAction): void {
    if (!this.busy) this.act?.(action);
  }

  #handleFinish(): void {
    if (this.connection) this.dispatchEvent(new ConduitFinishEvent(this.connection.id));
  }

  async #handleCopy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(this.handoffLink);
      this.copied = true;
    } catch {
      // No clipboard (permission, insecure page): select the link so the user can copy it.
      const link = this.renderRoot.querySelector('.link');
      if (link) getSelection()?.selectAllChildren(link);
    }
  }

  #renderFacts(): TemplateResult {
    const connection = this.connection;
    const info = connection?.connectionInfo ?? {};
    const address = info.subdomain ? `${info.subdomain}${HOST_SUFFIX[info.region ?? 'US']}` : '';
    const linked = connection?.status === 'Linked';
    return html`
      <dl class="facts">
        <dt>${msg('Site', { id: 'conduit.lifecycle.site' })}</dt>
        <dd>${info.siteName ?? '—'}</dd>
        <dt>${msg('Address', { id: 'conduit.lifecycle.address' })}</dt>
        <dd dir="ltr">${address || '—'}</dd>
        <dt>${msg('Region', { id: 'conduit.credentials.regionLabel' })}</dt>
        <dd>${regionName(info.region)}</dd>
        <dt>${msg('Status', { id: 'conduit.lifecycle.status' })}</dt>
        <dd class=${linked ? '' : 'danger'}>
          ${linked
            ? msg('Connected', { id: 'conduit.lifecycle.statusLinked' })
            : msg('Key no longer accepted', { id: 'conduit.lifecycle.statusDeauthorized' })}
        </dd>
        <dt>${msg('Last checked', { id: 'conduit.lifecycle.lastChecked' })}</dt>
        <dd>${connection?.lastVerifiedAt ? formatDate(connection.lastVerifiedAt) : msg('Not checked yet', { id: 'conduit.lifecycle.neverChecked' })}</dd>
      </dl>
    `;
  }

  #renderFailure() {
    return html`<div class="alert" role="alert">
        ${this.failure ? html`<p>${errorMessage(this.failure.code, undefined, this.failure.detailedErrorCode)}</p>` : nothing}
      </div>
      ${this.failure ? html`<conduit-support-reference reference=${this.failure.correlationId ?? ''}></conduit-support-reference>` : nothing}`;
  }

  #renderConnected(): TemplateResult {
    return html`
      <h2 part="heading" tabindex="-1">${msg('Chargify is already connected', { id: 'conduit.success.alreadyTitle' })}</h2>
      <p>${msg(str`${this.#partner} reads data from this Chargify site.`, { id: 'conduit.lifecycle.connectedBody' })}</p>
      ${this.#renderFacts()}
      <div class="actions">
        <button type="button" @click=${() => this.#do('replace')}>${msg('Replace API key', { id: 'conduit.lifecycle.replace' })}</button>
        <button type="button" @click=${() => this.#do('disconnect')}>
          ${msg('Disconnect Chargify', { id: 'conduit.lifecycle.disconnect' })}
        </button>
        <button class="primary" part="primary-button" type="button" @click=${this.#handleFinish}>
          ${msg('Finish', { id: 'conduit.success.finish' })}
        </button>
      </div>
    `;
  }

  #renderDeauthorized(): TemplateResult {
    return html`
      <h2 part="heading" tabindex="-1">${msg('Chargify no longer accepts the key', { id: 'conduit.lifecycle.deauthorizedTitle' })}</h2>
      <p>${reasonText(this.connection?.deauthorizedReason)}</p>
      <p>
        ${msg(str`${this.#partner} can't read data from this site until you enter a new API key for it.`, {
          id: 'conduit.lifecycle.deauthorizedBody',
        })}
      </p>
      ${this.#renderFacts()}
      <div class="actions">
        <button type="button" @click=${() => this.#do('disconnect')}>
          ${msg('Disconnect Chargify', { id: 'conduit.lifecycle.disconnect' })}
        </button>
        <button class="primary" part="primary-button" type="button" @click=${() => this.#do('replace')}>
          ${msg('Enter a new key', { id: 'conduit.lifecycle.enterNewKey' })}
        </button>
      </div>
    `;
  }

  #renderDisconnect(): TemplateResult {
    const site = this.#siteName;
    return html`
      <h2 part="heading" tabindex="-1">${msg(str`Disconnect ${site}?`, { id: 'conduit.lifecycle.disconnectTitle' })}</h2>
      <p>
        ${msg(str`${this.#partner} will stop reading data from ${site} and delete the API key it stored. To connect again, you'll need an API key.`, {
          id: 'conduit.lifecycle.disconnectBody',
        })}
      </p>
      <p class="muted">
        ${msg('To cut access in Chargify too, delete the key there (Config → Integrations → API Keys).', {
          id: 'conduit.lifecycle.disconnectDeleteKey',
        })}
      </p>
      ${this.#renderFailure()}
      <div class="actions">
        <button class="primary" part="primary-button" type="button" aria-disabled=${this.busy ? 'true' : 'false'} @click=${() => this.#do('confirm-disconnect')}>
          ${this.busy ? msg('Disconnecting…', { id: 'conduit.lifecycle.disconnecting' }) : msg('Disconnect', { id: 'conduit.lifecycle.confirmDisconnect' })}
        </button>
      </div>
    `;
  }

  #renderLink(): TemplateResult {
    const subject = msg('Can you connect our Chargify account?', { id: 'conduit.lifecycle.mailSubject' });
    const body = msg(str`Hi, ${this.#partner} needs a Chargify API key, which only a site admin can create. Could you open this link and finish the step? It works once, for 24 hours:`, {
      id: 'conduit.lifecycle.mailBody',
    });
    const mailto = `mailto:?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(`${body}\n\n${this.handoffLink}`)}`;
    return html`
      <p id="link-label">${msg('Send this link to a Chargify site admin. It works once, for 24 hours.', { id: 'conduit.lifecycle.linkIntro' })}</p>
      <code class="link" dir="ltr" aria-labelledby="link-label">${this.handoffLink}</code>
      <div class="actions">
        <button type="button" @click=${this.#handleCopy}>${msg('Copy link', { id: 'conduit.lifecycle.copy' })}</button>
        <a href=${mailto}>${msg('Send by email', { id: 'conduit.lifecycle.mail' })}</a>
      </div>
      <span class="visually-hidden" role="status">${this.copied ? msg('Link copied', { id: 'conduit.lifecycle.copied' }) : nothing}</span>
    `;
  }

  #renderHandoff(): TemplateResult {
    return html`
      <h2 part="heading" tabindex="-1">${msg('Send this step to a colleague', { id: 'conduit.lifecycle.handoffTitle' })}</h2>
      ${this.#renderLink()} ${this.#renderFailure()}
      <div class="actions">
        <button type="button" @click=${() => this.#do('cancel-handoff')}>${msg('Cancel', { id: 'conduit.lifecycle.cancel' })}</button>
        <button class="primary" part="primary-button" type="button" @click=${() => this.#do('handoff-sent')}>
          ${msg("I've sent it", { id: 'conduit.lifecycle.sent' })}
        </button>
      </div>
    `;
  }

  #renderWaiting(): TemplateResult {
    return html`
      <h2 part="heading" tabindex="-1">${msg('Waiting for your colleague…', { id: 'conduit.lifecycle.waitingTitle' })}</h2>
      <p>
        <span class="spinner" aria-hidden="true"></span>
        ${msg("This screen moves on by itself when your colleague has connected Chargify. You can leave it open.", {
          id: 'conduit.lifecycle.waitingBody',
        })}
      </p>
      ${this.#renderLink()} ${this.#renderFailure()}
      <div class="actions">
        <button type="button" @click=${() => this.#do('cancel-handoff')}>
          ${msg('Cancel and withdraw the link', { id: 'conduit.lifecycle.cancelHandoff' })}
        </button>
      </div>
    `;
  }

  #renderWelcome(): TemplateResult {
    return html`
      <h2 part="heading" tabindex="-1">${msg('Connect Chargify for a colleague', { id: 'conduit.lifecycle.welcomeTitle' })}</h2>
      <p>
        ${msg(str`${this.#partner} and ${this.companyName} asked you to connect their Chargify account, because it needs a site admin's API key.`, {
          id: 'conduit.lifecycle.welcomeBody',
        })}
      </p>
      <div class="actions">
        <button class="primary" part="primary-button" type="button" @click=${() => this.#do('start-handoff')}>
          ${msg('Next', { id: 'conduit.lifecycle.welcomeNext' })}
        </button>
      </div>
    `;
  }

  #renderInvalid(): TemplateResult {
    return html`
      <h2 part="heading" tabindex="-1">${msg('This link no longer works', { id: 'conduit.lifecycle.invalidTitle' })}</h2>
      <p>${msg('This link has been used, has expired or was withdrawn. Ask for a new one.', { id: 'conduit.lifecycle.invalidBody' })}</p>
    `;
  }

  override render() {
    const views: Record<LifecycleView, () => TemplateResult> = {
      connected: () => this.#renderConnected(),
      deauthorized: () => this.#renderDeauthorized(),
      disconnect: () => this.#renderDisconnect(),
      handoff: () => this.#renderHandoff(),
      'handoff-waiting': () => this.#renderWaiting(),
      'handoff-welcome': () => this.#renderWelcome(),
      'handoff-invalid': () => this.#renderInvalid(),
    };
    return html`<div class="step" aria-busy=${this.busy ? 'true' : 'false'}>${views[this.view]()}</div>`;
  }
}
