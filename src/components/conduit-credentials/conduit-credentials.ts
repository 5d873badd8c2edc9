import { str } from '../../localization/str.js';
import { html, nothing } from 'lit';
import { toConduitError, type ConduitError, type ConduitErrorCode } from '../../backend/errors.js';
import type { ChargifyCredentials, Region } from '../../backend/types.js';
import { HOST_SUFFIX, cleanSiteInput, isValidSubdomain } from '../../integrations/chargify.js';
import { msg } from '../../localization/localization.js';
import { baseStyles } from '../../styles/base.js';
import { StepElement } from '../step-element.js';
import { credentialsStyles } from './conduit-credentials.styles.js';
import {
  problemText,
  renderFailure,
  renderFieldError,
  renderHandoff,
  renderHelp,
  renderKeyField,
  renderRegion,
  renderRegionHint,
  renderStatus,
  renderWait,
  type Problem,
  type StatusView,
} from './conduit-credentials.views.js';
import { RetryGate } from './retry-gate.js';

/** Sends the credentials; rejects with a {@link ConduitError} the step then explains. */
export type SubmitCredentials = (credentials: ChargifyCredentials) => Promise<void>;

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
  // The status says the field's error: focus was already on that field (see #showFailure).
  #sayFieldProblem = false;
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

  #handleSwitchRegion = (region: Region): void => {
    this.region = region;
    this.#clearProblem('subdomain');
    this.#subdomainInput.focus();
  };

  #handleReveal(): void {
    this.revealed = !this.revealed;
  }

  async #handleSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (this.busy) return;
    if (this.#gate.blocked) {
      this.#gate.remind();
      return;
    }
    this.#gate.clearNotice();
    this.#sayFieldProblem = false;
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
    // Focus moving to the field to fix reads its error with it; a field that already has
    // focus (Enter pressed in it) is not read again, so the status says the error then.
    const focused = (this.renderRoot as ShadowRoot).activeElement;
    const fields = new Set(error.validation.map((item) => item.itemId));
    if (KEY_CODES.has(error.code) || fields.has('apiKey')) {
      this.#clearKey();
      this.keyProblem = error.code;
    } else if (error.code === 'site_not_found' || fields.has('subdomain')) {
      this.subdomainProblem = error.code;
    }
    const field = this.keyProblem ? 'api-key' : this.subdomainProblem ? 'subdomain' : null;
    this.#sayFieldProblem = field !== null && focused?.id === field;
    this.failure = error;
    this.#gate.failed(error.retryAfter);
    await this.updateComplete;
    if (this.keyProblem) this.#keyInput?.focus();
    else if (this.subdomainProblem) this.#subdomainInput.focus();
  }

  // What is wrong with `field`, in words; null when nothing is.
  #problem(field: 'subdomain' | 'apiKey'): string | null {
    const problem = field === 'subdomain' ? this.subdomainProblem : this.keyProblem;
    return problem ? problemText(this.region, problem, field) : null;
  }

  // The error, then (when the site is in the other region) where it is and the way there, then the hint.
  #subdomainDescription(invalid: boolean): string {
    if (!invalid) return 'subdomain-hint';
    return this.#regionHint ? 'subdomain-error region-hint region-switch subdomain-hint' : 'subdomain-error subdomain-hint';
  }

  // The region the site was found in, when it is not the one chosen.
  get #regionHint(): Region | null {
    const hint = this.failure?.regionHint;
    return this.subdomainProblem === 'site_not_found' && hint && hint !== this.region ? hint : null;
  }

  // The subdomain and its suffix form a host name, which reads left to right in every language.
  #renderSubdomain() {
    const fixed = this.fixedSite;
    const invalid = this.subdomainProblem !== null;
    return html`
      <div class="field">
        <label for="subdomain">${msg('Site subdomain', { id: 'conduit.credentials.subdomainLabel' })}</label>
        <span id="subdomain-hint" class="hint">
          ${msg(str`The first part of your Chargify address, like acme in ${`acme${HOST_SUFFIX[this.region]}`}.`, {
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
            aria-describedby=${this.#subdomainDescription(invalid)}
            @input=${() => this.#clearProblem('subdomain')}
            @paste=${this.#handleSubdomainPaste}
            @change=${this.#handleSubdomainChange}
          />
          <span class="suffix" aria-hidden="true">${HOST_SUFFIX[this.region]}</span>
        </div>
        ${renderFieldError('subdomain-error', this.#problem('subdomain'))} ${renderRegionHint(this.#regionHint, this.#handleSwitchRegion)}
      </div>
    `;
  }

  #handleHandoff(): void {
    if (this.busy || this.handoffBusy) return;
    this.#clearKey();
    this.requestHandoff?.();
  }

  // What the status and the wait say (see conduit-credentials.views.ts).
  get #status(): StatusView {
    const key = this.keyProblem;
    const site = this.subdomainProblem;
    return {
      busy: this.busy,
      slow: this.slow,
      // Offline, and no offline error already saying so.
      offline: this.#gate.offline && this.failure?.code !== 'offline',
      fieldProblem: !this.#sayFieldProblem
        ? null
        : key
          ? problemText(this.region, key, 'apiKey')
          : site
            ? problemText(this.region, site, 'subdomain')
            : null,
      notice: this.#gate.notice,
      secondsLeft: this.#gate.secondsLeft,
    };
  }

  override render() {
    return html`
      <form class="step" novalidate @submit=${this.#handleSubmit}>
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
        <div class="fields" aria-busy=${this.busy ? 'true' : 'false'}>${this.#renderSubdomain()} ${renderRegion(this.region, this.busy ? null : (this.fixedSite?.region ?? 'any'), this.#handleRegionChange)} ${renderKeyField({
          revealed: this.revealed,
          readonly: this.busy,
          problem: this.#problem('apiKey'),
          onInput: () => this.#clearProblem('apiKey'),
          onReveal: this.#handleReveal,
        })}</div>
        ${renderHelp(this.region)} ${this.requestHandoff ? renderHandoff(this.busy || this.handoffBusy, this.handoffFailure, this.#handleHandoff) : nothing}
        <div class="alert" role="alert">${
          // Field-level problems are told next to their field; the alert is for the rest.
          this.keyProblem || this.subdomainProblem ? nothing : renderFailure(this.failure, this.region, this.#gate.reconnected)
        }</div>
        ${
          // Every failure, on a field or not, gets a reference to quote; outside the alert,
          // so that a screen reader is not read a long id with every message.
          this.failure ? html`<conduit-support-reference reference=${this.failure.correlationId ?? ''}></conduit-support-reference>` : nothing
        }
        ${renderStatus(this.#status)}
        ${renderWait(this.#status)}
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
