import { str } from '../../localization/str.js';
import { html, nothing } from 'lit';
import { toConduitError, type ConduitError, type ConduitErrorCode } from '../../backend/errors.js';
import type { ChargifyCredentials, Region } from '../../backend/types.js';
import { API_KEYS_HELP_URL, HOST_SUFFIX, REGIONS, cleanSiteInput, isValidSubdomain } from '../../integrations/chargify.js';
import { errorMessage, retryCountdown } from '../../localization/error-messages.js';
import { msg } from '../../localization/localization.js';
import { baseStyles } from '../../styles/base.js';
import { StepElement } from '../step-element.js';
import { credentialsStyles } from './conduit-credentials.styles.js';
import { RetryGate } from './retry-gate.js';

/** Sends the credentials; rejects with a {@link ConduitError} the step then explains. */
export type SubmitCredentials = (credentials: ChargifyCredentials) => Promise<void>;

type Problem = 'required' | 'malformed' | 'key_id' | ConduitErrorCode;

// Chargify shows a key's numeric id beside it; pasting the id is a common mistake.
const KEY_ID = /^\d{1,12}$/;

// Chargify's verdicts on the key itself: the key field is cleared so the user
// pastes a fresh one rather than editing a secret they cannot see. (An
// unexpected 403, access_refused, says nothing about the key: Chargify's keys
// have no roles, so it is told in the alert, with no cause made up.)
const KEY_CODES: ReadonlySet<ConduitErrorCode> = new Set(['invalid_credentials', 'site_mismatch']);

// The backend waits up to 30 s for Chargify; after this long the user is told
// that it is Chargify being slow, not the flow being stuck.
const SLOW_AFTER_MS = 5000;

function offlineText(): string {
  return msg("You're offline. Reconnect to the internet to continue.", { id: 'conduit.credentials.offline' });
}

function regionName(region: Region): string {
  return region === 'US'
    ? msg('United States', { id: 'conduit.credentials.regionUS' })
    : msg('Europe', { id: 'conduit.credentials.regionEU' });
}

/**
 * The third step: the Chargify site, region and API key.
 * @customElement conduit-credentials
 * @summary Collects and checks the credentials, then hands them to `submitCredentials`.
 * @csspart heading - The step's heading.
 * @csspart primary-button - The step's main action.
 */
export class ConduitCredentials extends StepElement {
  static override styles = [baseStyles, credentialsStyles];

  static override properties = {
    submitCredentials: { attribute: false },
    fixedSite: { attribute: false },
    requestHandoff: { attribute: false },
    handoffBusy: { attribute: false },
    handoffFailure: { attribute: false },
    region: { state: true },
    busy: { state: true },
    revealed: { state: true },
    subdomainProblem: { state: true },
    keyProblem: { state: true },
    failure: { state: true },
    slow: { state: true },
  };

  /**
   * Called with the credentials on Continue. A callback rather than an event,
   * because the key must never travel in an event.
   */
  declare submitCredentials?: SubmitCredentials;
  /** Replacing a key: the site it must belong to, shown and not editable. */
  declare fixedSite: { subdomain: string; region: Region } | null;
  /** When set, the step offers to send itself to a colleague, and calls this when asked. */
  declare requestHandoff: (() => void) | undefined;
  /** The hand-off is being made. */
  declare handoffBusy: boolean;
  /** Making the hand-off failed. */
  declare handoffFailure: ConduitError | null;
  declare private region: Region;
  declare private busy: boolean;
  declare private revealed: boolean;
  declare private subdomainProblem: Problem | null;
  declare private keyProblem: Problem | null;
  declare private failure: ConduitError | null;
  /** The check has been running for longer than SLOW_AFTER_MS. */
  declare private slow: boolean;

  readonly #gate = new RetryGate(this);
  #slowTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    this.region = 'US';
    this.busy = false;
    this.revealed = false;
    this.subdomainProblem = null;
    this.keyProblem = null;
    this.failure = null;
    this.slow = false;
    this.fixedSite = null;
    this.requestHandoff = undefined;
    this.handoffBusy = false;
    this.handoffFailure = null;
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('fixedSite') && this.fixedSite) this.region = this.fixedSite.region;
  }

  protected override updated(changed: Map<PropertyKey, unknown>): void {
    // The site of a replaced key is shown as typed in, and stays so.
    if (changed.has('fixedSite') && this.fixedSite) this.#subdomainInput.value = this.fixedSite.subdomain;
  }

  // The form and its fields, looked up on each use. The handlers that read the
  // first two run only once the form is rendered; the key field is also cleared
  // on disconnect, which may come before any render.
  get #form(): HTMLFormElement {
    return this.renderRoot.querySelector('form')!;
  }

  get #subdomainInput(): HTMLInputElement {
    return this.renderRoot.querySelector<HTMLInputElement>('#subdomain')!;
  }

  get #keyInput(): HTMLInputElement | null {
    return this.renderRoot.querySelector<HTMLInputElement>('#api-key');
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#clearKey();
    this.#stopSlowTimer();
  }

  #stopSlowTimer(): void {
    clearTimeout(this.#slowTimer);
    this.#slowTimer = undefined;
    this.slow = false;
  }

  #clearKey(): void {
    const keyInput = this.#keyInput;
    if (keyInput) keyInput.value = '';
    this.revealed = false;
  }

  #applySite(raw: string): void {
    const site = cleanSiteInput(raw);
    this.#subdomainInput.value = site.subdomain;
    if (site.region) this.region = site.region;
  }

  // Once the user changes what a message is about, the message no longer applies.
  #clearProblem(field: 'subdomain' | 'apiKey'): void {
    if (field === 'subdomain' ? !this.subdomainProblem : !this.keyProblem) return;
    if (field === 'subdomain') this.subdomainProblem = null;
    else this.keyProblem = null;
    this.failure = null;
  }

  #handleSubdomainPaste(event: ClipboardEvent): void {
    // A read-only field still fires paste; what is being checked must not change under it.
    if (this.busy) {
      event.preventDefault();
      return;
    }
    const text = event.clipboardData?.getData('text') ?? '';
    this.#clearProblem('subdomain');
    if (!/[./:\s]/.test(text)) return;
    event.preventDefault();
    this.#applySite(text);
  }

  #handleSubdomainChange(): void {
    this.#applySite(this.#subdomainInput.value);
  }

  #handleRegionChange(event: Event): void {
    this.region = (event.target as HTMLInputElement).value as Region;
    this.#clearProblem('subdomain');
  }

  #handleSwitchRegion(region: Region): void {
    this.region = region;
    this.#clearProblem('subdomain');
    this.#subdomainInput.focus();
  }

  #handleReveal(): void {
    this.revealed = !this.revealed;
  }

  async #handleSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (this.busy || this.#gate.blocked) return;
    if (!this.fixedSite) this.#applySite(this.#subdomainInput.value);
    const data = new FormData(this.#form);
    const subdomain = this.fixedSite?.subdomain ?? String(data.get('subdomain') ?? '');
    // Keys never contain whitespace; pasted ones often carry a newline.
    const apiKey = String(data.get('apiKey') ?? '').replace(/\s+/g, '');

    this.failure = null;
    this.subdomainProblem = !subdomain ? 'required' : isValidSubdomain(subdomain) ? null : 'malformed';
    this.keyProblem = !apiKey ? 'required' : KEY_ID.test(apiKey) ? 'key_id' : null;
    if (this.subdomainProblem || this.keyProblem) {
      await this.updateComplete;
      (this.subdomainProblem ? this.#subdomainInput : this.#keyInput)?.focus();
      return;
    }

    this.busy = true;
    this.#slowTimer = setTimeout(() => (this.slow = true), SLOW_AFTER_MS);
    try {
      await this.submitCredentials?.({ apiKey, subdomain, region: this.region });
      this.#clearKey();
    } catch (error) {
      await this.#showFailure(toConduitError(error));
    } finally {
      // Not before: the live region would go back to "Checking…" and be read again.
      this.#stopSlowTimer();
      this.busy = false;
    }
  }

  async #showFailure(error: ConduitError): Promise<void> {
    if (error.code === 'aborted') return;
    const fields = new Set(error.validation.map((item) => item.itemId));
    if (KEY_CODES.has(error.code) || fields.has('apiKey')) {
      this.#clearKey();
      this.keyProblem = error.code;
    } else if (error.code === 'site_not_found' || fields.has('subdomain')) {
      this.subdomainProblem = error.code;
    }
    this.failure = error;
    this.#gate.failed(error.retryAfter);
    await this.updateComplete;
    if (this.keyProblem) this.#keyInput?.focus();
    else if (this.subdomainProblem) this.#subdomainInput.focus();
  }

  #problemText(problem: Problem, field: 'subdomain' | 'apiKey'): string {
    if (problem === 'required') {
      return field === 'subdomain'
        ? msg('Enter your Chargify subdomain.', { id: 'conduit.credentials.subdomainRequired' })
        : msg('Enter your API key.', { id: 'conduit.credentials.keyRequired' });
    }
    if (problem === 'malformed') {
      return msg('Use only letters, numbers and dashes, like acme.', { id: 'conduit.credentials.subdomainMalformed' });
    }
    if (problem === 'key_id') {
      return msg("That looks like the key's ID, not the key. Paste the long code Chargify showed when the key was created.", {
        id: 'conduit.credentials.keyLooksLikeId',
      });
    }
    return errorMessage(problem, this.region);
  }

  #renderFieldError(id: string, problem: Problem | null, field: 'subdomain' | 'apiKey') {
    if (!problem) return nothing;
    return html`<p id=${id} class="field-error">${this.#problemText(problem, field)}</p>`;
  }

  #renderRegionHint() {
    const hint = this.failure?.regionHint;
    if (this.subdomainProblem !== 'site_not_found' || !hint || hint === this.region) return nothing;
    return html`
      <p class="field-error">${msg(str`This site exists in the ${regionName(hint)} region.`, { id: 'conduit.credentials.regionHint' })}</p>
      <button class="region-switch" type="button" @click=${() => this.#handleSwitchRegion(hint)}>
        ${msg(str`Switch to the ${regionName(hint)} region`, { id: 'conduit.credentials.switchRegion' })}
      </button>
    `;
  }

  // The subdomain and its suffix form a host name, which reads left to right in every language.
  #renderSubdomain() {
    const fixed = this.fixedSite;
    const invalid = this.subdomainProblem !== null;
    return html`
      <div class="field">
        <label for="subdomain">${msg('Site subdomain', { id: 'conduit.credentials.subdomainLabel' })}</label>
        <span id="subdomain-hint" class="hint">
          ${msg(str`The first part of your Chargify address, like acme in acme${HOST_SUFFIX[this.region]}.`, {
            id: 'conduit.credentials.subdomainHint',
          })}
        </span>
        <div class="affix" dir="ltr">
          <input
            id="subdomain"
            name="subdomain"
            type="text"
            autocomplete="off"
            autocapitalize="none"
            spellcheck="false"
            ?readonly=${this.busy || fixed !== null}
            aria-invalid=${invalid ? 'true' : 'false'}
            aria-describedby=${invalid ? 'subdomain-error subdomain-hint' : 'subdomain-hint'}
            @input=${() => this.#clearProblem('subdomain')}
            @paste=${this.#handleSubdomainPaste}
            @change=${this.#handleSubdomainChange}
          />
          <span class="suffix" aria-hidden="true">${HOST_SUFFIX[this.region]}</span>
        </div>
        ${this.#renderFieldError('subdomain-error', this.subdomainProblem, 'subdomain')} ${this.#renderRegionHint()}
      </div>
    `;
  }

  #renderRegion() {
    return html`
      <fieldset>
        <legend>${msg('Region', { id: 'conduit.credentials.regionLabel' })}</legend>
        <div class="regions">
          ${REGIONS.map(
            (region) => html`
              <label>
                <input
                  type="radio"
                  name="region"
                  .value=${region}
                  .checked=${region === this.region}
                  ?disabled=${this.busy || (this.fixedSite !== null && region !== this.fixedSite.region)}
                  @change=${this.#handleRegionChange}
                />
                ${regionName(region)} (${HOST_SUFFIX[region].slice(1)})
              </label>
            `,
          )}
        </div>
      </fieldset>
    `;
  }

  #renderKey() {
    const invalid = this.keyProblem !== null;
    return html`
      <div class="field">
        <label for="api-key">${msg('API key', { id: 'conduit.credentials.keyLabel' })}</label>
        <div class="affix">
          <input
            id="api-key"
            name="apiKey"
            dir="ltr"
            type=${this.revealed ? 'text' : 'password'}
            autocomplete="new-password"
            autocapitalize="none"
            spellcheck="false"
            ?readonly=${this.busy}
            aria-invalid=${invalid ? 'true' : 'false'}
            aria-describedby=${invalid ? 'api-key-error' : nothing}
            @input=${() => this.#clearProblem('apiKey')}
          />
          <button type="button" aria-controls="api-key" aria-pressed=${this.revealed ? 'true' : 'false'} @click=${this.#handleReveal}>
            ${msg('Show key', { id: 'conduit.credentials.reveal' })}
          </button>
        </div>
        ${this.#renderFieldError('api-key-error', this.keyProblem, 'apiKey')}
      </div>
    `;
  }

  #renderHelp() {
    return html`
      <details>
        <summary>${msg('Where do I find my API key?', { id: 'conduit.credentials.helpTitle' })}</summary>
        <ol>
          <li>${msg('Sign in to Chargify at app.chargify.com.', { id: 'conduit.credentials.helpSignIn' })}</li>
          <li>${msg('Go to Config → Integrations → API Keys.', { id: 'conduit.credentials.helpNavigate' })}</li>
          <li>
            ${msg('Select New API Key and copy the key. Chargify shows it only once.', { id: 'conduit.credentials.helpCreate' })}
          </li>
        </ol>
        <p>
          ${msg("Only a Chargify site admin can create API keys. If you aren't one, ask a site admin to create a key for you.", {
            id: 'conduit.credentials.helpAdmin',
          })}
        </p>
        <p>
          <a href=${API_KEYS_HELP_URL} target="_blank" rel="noopener noreferrer"
            >${msg("Read Maxio's guide to API keys", { id: 'conduit.credentials.helpLink' })}<span class="visually-hidden">
              ${msg('(opens in a new tab)', { id: 'conduit.common.newTab' })}</span
            ></a
          >
        </p>
      </details>
    `;
  }

  #renderHandoff() {
    if (!this.requestHandoff) return nothing;
    const failure = this.handoffFailure;
    return html`
      <p>
        <button class="link-button" type="button" aria-disabled=${this.busy || this.handoffBusy ? 'true' : 'false'} @click=${this.#handleHandoff}>
          ${msg("I don't have the admin key — send this step to a colleague", { id: 'conduit.credentials.handoffOffer' })}
        </button>
      </p>
      ${failure ? html`<p class="field-error">${errorMessage(failure.code, undefined, failure.detailedErrorCode)}</p>` : nothing}
    `;
  }

  #handleHandoff(): void {
    if (this.busy || this.handoffBusy) return;
    this.#clearKey();
    this.requestHandoff?.();
  }

  #renderFailure() {
    const failure = this.failure;
    // Field-level problems are told next to their field; this is for the rest.
    if (!failure || this.keyProblem || this.subdomainProblem) return nothing;
    const backOnline = (failure.code === 'offline' || failure.code === 'network') && this.#gate.reconnected;
    return html`
      <p>${errorMessage(failure.code, this.region, failure.detailedErrorCode)}</p>
      ${backOnline
        ? html`<p>${msg("You're back online. Select Continue to try again.", { id: 'conduit.credentials.backOnline' })}</p>`
        : nothing}
    `;
  }

  // One live region, so each change is announced once: the check under way (heard,
  // not shown: the button says it), then, if Chargify is slow, that it is (shown too).
  #renderStatus() {
    const slow = this.busy && this.slow;
    return html`<span class=${slow ? 'hint' : 'visually-hidden'} role="status"
      >${slow
        ? msg('Chargify is taking longer than usual…', { id: 'conduit.credentials.slow' })
        : this.busy
          ? msg('Checking your details with Chargify…', { id: 'conduit.credentials.checking' })
          : this.#offlineNotice
            ? offlineText()
            : nothing}</span
    >`;
  }

  // Offline, and no offline error already saying so.
  get #offlineNotice(): boolean {
    return this.#gate.offline && this.failure?.code !== 'offline';
  }

  // Not a live region: a countdown read out every second would drown everything else.
  #renderWait() {
    if (this.#offlineNotice) return html`<p class="hint">${offlineText()}</p>`;
    if (this.#gate.secondsLeft > 0) return html`<p class="hint">${retryCountdown(this.#gate.secondsLeft)}</p>`;
    return nothing;
  }

  override render() {
    return html`
      <form class="step" novalidate aria-busy=${this.busy ? 'true' : 'false'} @submit=${this.#handleSubmit}>
        <h2 part="heading" tabindex="-1">${msg('Your Chargify credentials', { id: 'conduit.credentials.title' })}</h2>
        <p class="muted">
          ${this.fixedSite
            ? msg('Enter a new API key for this site. We check it with Chargify before replacing the old one.', {
                id: 'conduit.credentials.replaceIntro',
              })
            : msg('Enter your site and an API key. We check them with Chargify before connecting.', {
                id: 'conduit.credentials.intro',
              })}
        </p>
        ${this.#renderSubdomain()} ${this.#renderRegion()} ${this.#renderKey()} ${this.#renderHelp()} ${this.#renderHandoff()}
        <div class="alert" role="alert">${this.#renderFailure()}</div>
        ${
          // Every failure, on a field or not, gets a reference to quote; outside the alert,
          // so that a screen reader is not read a long id with every message.
          this.failure ? html`<conduit-support-reference reference=${this.failure.correlationId ?? ''}></conduit-support-reference>` : nothing
        }
        ${this.#renderStatus()}
        ${this.#renderWait()}
        <div class="actions">
          <button class="primary" part="primary-button" type="submit" aria-disabled=${this.busy || this.#gate.blocked ? 'true' : 'false'}>
            ${this.busy
              ? html`<span class="progress"><span class="spinner" aria-hidden="true"></span>${msg('Connecting…', {
                    id: 'conduit.credentials.busy',
                  })}</span>`
              : msg('Continue', { id: 'conduit.credentials.submit' })}
          </button>
        </div>
      </form>
    `;
  }
}
