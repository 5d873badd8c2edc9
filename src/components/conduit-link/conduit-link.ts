import { str } from '../../localization/str.js';
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { BackendClient } from '../../backend/client.js';
import { ConduitError, toConduitError, type ConduitErrorCode } from '../../backend/errors.js';
import type { ChargifyCredentials, Connection, Integration, Region } from '../../backend/types.js';
import { checkBackendUrl } from '../../backend/url.js';
import { isVerified } from '../../backend/validate.js';
import { ConduitCloseEvent } from '../../events/close.js';
import { ConduitConnectionStartedEvent } from '../../events/connection-started.js';
import { ConduitConnectionEvent } from '../../events/connection.js';
import { ConduitErrorEvent } from '../../events/error.js';
import type { ConduitIntegrationSelectEvent } from '../../events/integration-select.js';
import { ConduitReadyEvent } from '../../events/ready.js';
import { ConduitRequestCloseEvent, type CloseSource } from '../../events/request-close.js';
import { ConduitStepChangeEvent, type ConduitStep } from '../../events/step-change.js';
import { CHARGIFY_KEY } from '../../integrations/chargify.js';
import { errorMessage } from '../../localization/error-messages.js';
import {
  applyLocale,
  applyTexts,
  currentLocale,
  directionOf,
  formatNumber,
  localized,
  msg,
  type ConduitTexts,
} from '../../localization/localization.js';
import { baseStyles } from '../../styles/base.js';
import type { StepElement } from '../step-element.js';
import { linkStyles } from './conduit-link.styles.js';
import { backTarget, isMidFlow, journey } from './flow.js';
import { ScrollLock } from './scroll-lock.js';

// Integrations this build has a credentials step for.
const SUPPORTED: ReadonlySet<string> = new Set([CHARGIFY_KEY]);

// Failures no retry on the credentials step can fix: the flow stops and offers to start again.
const FATAL: ReadonlySet<ConduitErrorCode> = new Set(['session_expired', 'not_found', 'invalid_config']);

// The parts each step exposes, forwarded so a host can style them through <conduit-link>.
const STEP_PARTS = 'heading, primary-button, tile';

// Any of these changing means a different company or backend: start over.
const RESTART_ON: readonly string[] = ['backendUrl', 'companyId', 'integration', 'requestTimeout'];

/**
 * The drop-in flow that connects an SMB's Chargify account to the partner's backend.
 * @customElement conduit-link
 * @summary Picker → permissions → credentials → success, inline or in a modal dialog.
 * @fires {ConduitReadyEvent} conduit-ready - The catalogue loaded.
 * @fires {ConduitStepChangeEvent} conduit-step-change - The flow moved to another step.
 * @fires {ConduitIntegrationSelectEvent} conduit-integration-select - The user chose an integration.
 * @fires {ConduitConsentEvent} conduit-consent - The user accepted the permissions.
 * @fires {ConduitConnectionStartedEvent} conduit-connection-started - The backend created a pending connection.
 * @fires {ConduitConnectionEvent} conduit-connection - The account is linked.
 * @fires {ConduitErrorEvent} conduit-error - Something failed; carries a machine code.
 * @fires {ConduitRequestCloseEvent} conduit-request-close - The user asked to close the modal; cancelable.
 * @fires {ConduitCloseEvent} conduit-close - The modal closed.
 * @fires {ConduitFinishEvent} conduit-finish - The user pressed Finish.
 * @slot logo - The partner's logo, shown in the header.
 * @slot footer - A note under every step, such as a link to the partner's privacy policy.
 * @csspart frame - The card that holds the flow.
 * @csspart dialog - The native dialog in modal mode.
 * @csspart header - The bar with Back, the step position, the logo and Close.
 * @csspart heading - Each step's heading.
 * @csspart primary-button - Each step's main action.
 * @csspart tile - An integration tile on the picker.
 * @csspart footer - The box around the footer slot.
 * @cssprop --conduit-color-primary - Buttons, links and the selected tile.
 * @cssprop --conduit-color-primary-text - Text on the primary colour; by default black or white, whichever contrasts more.
 * @cssprop --conduit-color-background - The card.
 * @cssprop --conduit-color-surface - Panels inside the card.
 * @cssprop --conduit-color-text - Body text.
 * @cssprop --conduit-color-muted - Secondary text.
 * @cssprop --conduit-color-danger - Errors.
 * @cssprop --conduit-color-success - The success mark.
 * @cssprop --conduit-color-border - Borders of the card, fields and tiles.
 * @cssprop --conduit-focus-ring - The focus outline.
 * @cssprop --conduit-radius - Corner radius of the card; controls scale from it.
 * @cssprop --conduit-font-family - Typeface.
 * @cssprop --conduit-font-size - Base text size; everything scales from it.
 * @cssprop --conduit-space - Base spacing unit.
 */
@localized()
export class ConduitLinkElement extends LitElement {
  static override styles = [baseStyles, linkStyles];

  // Null until the flow has what it needs to call the backend (DESIGN §4).
  private client: BackendClient | null = null;
  private startTimer: ReturnType<typeof setTimeout> | undefined;
  private warnedMissing = false;
  // Aborted on removal and on restart: no request, timer or event outlives its run.
  private run: AbortController | null = null;
  private needsStart = true;
  private pending: Connection | null = null;
  // Focus follows the flow only once the user is in it (focus went inside, a press
  // landed in it, or the modal was opened): a page load must not scroll the host page
  // to an inline widget.
  private engaged = false;
  private opener: HTMLElement | null = null;
  private scrollLock = new ScrollLock();
  private renderedLocale = '';
  private langObserver = new MutationObserver(() => {
    if (!this.locale) this.applyLanguage();
  });

  @query('dialog') private dialog?: HTMLDialogElement;

  @state() private step: ConduitStep = 'loading';
  @state() private integrations: Integration[] = [];
  @state() private selectedKey = '';
  @state() private connection: Connection | null = null;
  @state() private failure: ConduitError | null = null;
  @state() private submitting = false;
  @state() private confirmingClose = false;
  @state() private dialogOpen = false;
  @state() private announcement = '';
  @state() private hasFooter = false;
  @state() private hasLogo = false;

  /** Base URL of the backend contract; https except on localhost. */
  @property({ attribute: 'backend-url' }) backendUrl = '';
  /** The SMB's company id at the partner. */
  @property({ attribute: 'company-id' }) companyId = '';
  /** Short-lived bearer token minted by the partner's server for this company. Never reflected. */
  @property({ attribute: 'session-token' }) sessionToken = '';
  /** Called once when the backend answers 401, to get a fresh session token. */
  @property({ attribute: false }) fetchSessionToken?: () => Promise<string>;
  /** Shown in the permissions text. */
  @property({ attribute: 'partner-name' }) partnerName = '';
  /** Preselects an integration and skips the picker. */
  @property() integration = '';
  /** `inline` (default) or `modal`. */
  @property({ reflect: true }) mode: 'inline' | 'modal' = 'inline';
  /** `light` (default), `dark`, or `system` to follow the user's setting. */
  @property({ reflect: true }) theme: 'light' | 'dark' | 'system' = 'light';
  /** BCP 47 language tag; else the nearest `lang` up the tree, else the browser's languages, else English. */
  @property() locale = '';
  /** The partner's wording for any message, per locale: `{ fr: { 'conduit.picker.title': '…' } }`. */
  @property({ attribute: false }) texts: ConduitTexts = {};
  /**
   * Milliseconds before a backend request is given up; 40 000 by default, longer
   * than the 30 s the backend waits for Chargify, so its verdict comes first.
   */
  @property({ attribute: 'request-timeout', type: Number }) requestTimeout = 40_000;

  override connectedCallback(): void {
    super.connectedCallback();
    this.needsStart = true;
    // The host app may change its page language at run time.
    this.langObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['lang'], subtree: true });
    this.requestUpdate();
  }

  override disconnectedCallback(): void {
    // Removed mid-visit: the visit ends as a close ends it, so back on the page
    // the modal waits for open() again. (A removed dialog leaves the top layer but stays open.)
    this.handleDialogClose();
    this.dialog?.close();
    this.run?.abort();
    this.run = null;
    clearTimeout(this.startTimer);
    this.startTimer = undefined;
    this.langObserver.disconnect();
    this.scrollLock.release();
    applyTexts(this, {});
    super.disconnectedCallback();
  }

  /** Opens the modal (modal mode only). */
  open(): void {
    if (this.mode !== 'modal' || this.dialogOpen) return;
    this.opener = deepActiveElement();
    this.engaged = true;
    this.dialogOpen = true;
    this.restart();
    void this.updateComplete.then(() => {
      // Removed (or closed) before it rendered: nothing to show, and the page must not stay locked.
      if (!this.dialogOpen) return;
      this.dialog?.showModal();
      this.scrollLock.hold();
      void this.focusCurrentHeading();
    });
  }

  /** Closes the modal without asking. */
  close(): void {
    if (this.dialog?.open) this.dialog.close();
  }

  protected override willUpdate(changed: PropertyValues): void {
    const credentialsChanged = changed.has('sessionToken') || changed.has('fetchSessionToken');
    // A new token is used from the next request on, without a restart.
    if (this.client && credentialsChanged) {
      this.client.sessionToken = this.sessionToken || undefined;
      this.client.fetchSessionToken = this.fetchSessionToken;
    }
    // The token the flow waited for has come, or a fresh one after the old expired: start (again).
    const awaitedCredentials = credentialsChanged && (this.client === null || this.failure?.code === 'session_expired');
    // needsStart: back on the page, its texts count again.
    if (changed.has('texts') || this.needsStart) applyTexts(this, this.texts);
    // An announcement left in the previous language would be read out in the new one: say it again.
    if (this.renderedLocale !== currentLocale()) {
      if (this.renderedLocale && this.announcement) void this.announceStep();
      this.renderedLocale = currentLocale();
    }
    if (changed.has('locale') || changed.has('texts') || this.needsStart) this.applyLanguage();
    if (this.isConnected && (this.needsStart || awaitedCredentials || RESTART_ON.some((name) => changed.has(name)))) {
      this.needsStart = false;
      // A closed modal loads nothing: open() starts it afresh each time.
      if (this.mode !== 'modal' || this.dialogOpen) this.scheduleStart();
    }
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has('step') && changed.get('step') !== undefined) void this.afterStepChange();
  }

  private applyLanguage(): void {
    void applyLocale([this.locale, inheritedLang(this), ...navigator.languages]);
  }

  /**
   * Starts after the host's current task: a server-rendered page upgrades the element
   * before it sets properties, and a framework sets them after the element connects,
   * so what is missing at connect may be there a moment later.
   */
  private scheduleStart(): void {
    clearTimeout(this.startTimer);
    this.startTimer = setTimeout(() => {
      this.startTimer = undefined;
      this.restart();
    });
  }

  /** What the flow still needs before it may call the backend: it never calls without them. */
  private missingConfiguration(): string[] {
    const missing: string[] = [];
    if (!this.backendUrl) missing.push('backend-url');
    if (!this.companyId) missing.push('company-id');
    if (!this.sessionToken && !this.fetchSessionToken) missing.push('session-token');
    return missing;
  }

  // Said once: a partner's page that never sets them should learn why nothing loads. The
  // token is not named: it arrives after the element by design (a host fetches it).
  private warnMissing(missing: readonly string[]): void {
    const setup = missing.filter((name) => name !== 'session-token');
    if (setup.length === 0 || this.warnedMissing) return;
    this.warnedMissing = true;
    console.warn(`<conduit-link>: waiting for ${setup.join(' and ')}; the flow starts when they are set.`);
  }

  private restart(): void {
    clearTimeout(this.startTimer);
    this.startTimer = undefined;
    this.run?.abort();
    const run = new AbortController();
    this.run = run;
    this.pending = null;
    this.connection = null;
    this.failure = null;
    this.confirmingClose = false;
    this.client = null;
    const missing = this.missingConfiguration();
    if (missing.length > 0) {
      // Quietly loading until the rest arrives: no request, no error, no event.
      this.go('loading');
      this.warnMissing(missing);
      return;
    }
    try {
      this.client = new BackendClient({
        baseUrl: checkBackendUrl(this.backendUrl, document.baseURI),
        companyId: this.companyId,
        sessionToken: this.sessionToken || undefined,
        fetchSessionToken: this.fetchSessionToken,
        timeoutMs: this.requestTimeout,
      });
    } catch (error) {
      this.fail(toConduitError(error));
      return;
    }
    this.go('loading');
    void this.load(this.client, run.signal);
  }

  private async load(client: BackendClient, signal: AbortSignal): Promise<void> {
    try {
      const [catalogue, connections] = await Promise.all([client.listIntegrations(signal), client.listConnections(signal)]);
      this.integrations = catalogue.filter((integration) => integration.enabled && SUPPORTED.has(integration.key));
      const supported = connections.filter((connection) => SUPPORTED.has(connection.integrationKey));
      this.pending = supported.find((connection) => connection.status === 'PendingAuth') ?? null;
      this.dispatchEvent(new ConduitReadyEvent(this.integrations.map((integration) => integration.key)));

      const linked = supported.find((connection) => connection.status === 'Linked');
      const preselected = this.preselected;
      if (this.integration && !preselected) {
        console.warn(`<conduit-link>: integration "${this.integration}" is not available; showing the picker.`);
      }
      if (linked) {
        this.connection = linked;
        this.selectedKey = linked.integrationKey;
        this.go('connected');
      } else if (preselected) {
        this.selectedKey = preselected.key;
        this.go('permissions');
      } else {
        this.go('picker');
      }
    } catch (error) {
      const failure = toConduitError(error);
      if (failure.code !== 'aborted' && !signal.aborted) this.fail(failure);
    }
  }

  private go(step: ConduitStep): void {
    const previous = this.step;
    if (previous === step) return;
    this.step = step;
    this.dispatchEvent(new ConduitStepChangeEvent(step, previous));
  }

  private fail(failure: ConduitError): void {
    this.failure = failure;
    this.report(failure);
    this.go('error');
  }

  // `region`: the one the user sent, so the message is the one the credentials step shows.
  private report(failure: ConduitError, region?: Region): void {
    // The partner's set-up is wrong: say how to fix it where their developer will look.
    if (failure.setupProblem) console.error(`<conduit-link>: ${failure.message}`);
    this.dispatchEvent(
      new ConduitErrorEvent(
        failure.code,
        errorMessage(failure.code, region, failure.detailedErrorCode),
        failure.userRecoverable,
        failure.correlationId,
        failure.status,
      ),
    );
  }

  private async afterStepChange(): Promise<void> {
    await this.announceStep();
    if (this.engaged) await this.focusCurrentHeading();
  }

  private async announceStep(): Promise<void> {
    // The step renders its heading first (in the language now active).
    const current = await this.currentStepElement();
    const heading = current ? current.headingText : this.ownHeading()?.textContent?.trim() ?? '';
    const position = this.position;
    // Cleared first so that the same text twice is still announced.
    this.announcement = '';
    await this.updateComplete;
    this.announcement = position
      ? msg(str`Step ${position.step} of ${position.total}: ${heading}`, { id: 'conduit.link.stepAnnouncement' })
      : heading;
  }

  private async currentStepElement(): Promise<StepElement | null> {
    const element = this.renderRoot.querySelector<StepElement>('.body > :not(.own)');
    if (element) await element.updateComplete;
    return element;
  }

  private ownHeading(): HTMLElement | null {
    return this.renderRoot.querySelector<HTMLElement>('.own h2');
  }

  private async focusCurrentHeading(): Promise<void> {
    if (this.confirmingClose) {
      this.renderRoot.querySelector<HTMLElement>('.confirm h2')?.focus();
      return;
    }
    const element = await this.currentStepElement();
    if (element) element.focusHeading();
    else this.ownHeading()?.focus();
  }

  // Focus coming in, or a press: Safari does not focus what a click presses.
  private handleEngage(): void {
    this.engaged = true;
  }

  // The step's event is still on its way to the host page; moving on after it
  // has arrived keeps the order partners see: the action, then the step change.
  private handleSelect(event: ConduitIntegrationSelectEvent): void {
    this.selectedKey = event.integrationKey;
    queueMicrotask(() => this.go('permissions'));
  }

  private handleConsent(): void {
    queueMicrotask(() => this.go('credentials'));
  }

  private handleBack(): void {
    const target = backTarget(this.step, this.skipsPicker);
    if (target) this.go(target);
  }

  private handleFinish(): void {
    if (this.mode === 'modal') this.close();
  }

  private handleCancel(event: Event): void {
    event.preventDefault();
    this.requestClose('escape');
  }

  private handleDialogClose(): void {
    // Not open, or its visit already ended (the element was removed, then the dialog closed).
    if (!this.dialogOpen) return;
    // Whatever was under way belonged to this visit: nothing may reach the host after conduit-close.
    this.run?.abort();
    this.run = null;
    this.dialogOpen = false;
    this.confirmingClose = false;
    this.scrollLock.release();
    this.dispatchEvent(new ConduitCloseEvent(this.step));
    this.opener?.focus();
    this.opener = null;
  }

  private requestClose(source: CloseSource): void {
    if (this.confirmingClose) return;
    const request = new ConduitRequestCloseEvent(source);
    this.dispatchEvent(request);
    if (request.defaultPrevented) return;
    if (isMidFlow(this.step)) {
      this.confirmingClose = true;
      void this.updateComplete.then(() => this.focusCurrentHeading());
    } else {
      this.close();
    }
  }

  private handleFooterChange(event: Event): void {
    this.hasFooter = (event.target as HTMLSlotElement).assignedNodes().length > 0;
  }

  private handleLogoChange(event: Event): void {
    this.hasLogo = (event.target as HTMLSlotElement).assignedNodes().length > 0;
  }

  private handleStay(): void {
    this.confirmingClose = false;
    void this.updateComplete.then(() => this.focusCurrentHeading());
  }

  /** The `integration` the partner preselected, when the catalogue offers it. */
  private get preselected(): Integration | undefined {
    return this.integration ? this.integrations.find((integration) => integration.key === this.integration) : undefined;
  }

  private get skipsPicker(): boolean {
    return this.preselected !== undefined;
  }

  /** Where this step is in the journey, in the locale's digits; null off the journey (loading, error). */
  private get position(): { step: string; total: string } | null {
    const steps = journey(this.skipsPicker);
    const index = steps.indexOf(this.step);
    return index < 0 ? null : { step: formatNumber(index + 1), total: formatNumber(steps.length) };
  }

  private get selectedIntegration(): Integration | undefined {
    return this.integrations.find((integration) => integration.key === this.selectedKey);
  }

  // A callback, not an event: the key goes straight from the form to the request body.
  private submitCredentials = async (credentials: ChargifyCredentials): Promise<void> => {
    const client = this.client;
    const signal = this.run?.signal;
    if (!client || !signal) return;
    this.submitting = true;
    try {
      if (!this.pending) {
        const created = await client.createConnection(this.selectedKey, signal);
        this.pending = created;
        this.dispatchEvent(new ConduitConnectionStartedEvent(created.id, this.selectedKey));
      }
      const linked = await client.authorize(this.pending.id, credentials, signal);
      const { id, integrationKey, platformName, sourceType, connectionInfo } = linked;
      if (linked.status !== 'Linked') throw new ConduitError('bad_response', `Connection is ${linked.status}, not Linked.`);
      // The event promises the verified site; a linked answer without it is not one.
      if (!isVerified(connectionInfo)) throw new ConduitError('bad_response', 'The linked connection does not name the verified site.');
      this.pending = null;
      this.connection = linked;
      this.dispatchEvent(new ConduitConnectionEvent(id, integrationKey, platformName, sourceType, { ...connectionInfo }));
      this.go('success');
    } catch (error) {
      const failure = toConduitError(error);
      if (failure.code === 'aborted' || signal.aborted) throw failure;
      if (FATAL.has(failure.code)) {
        this.fail(failure);
        return;
      }
      this.report(failure, credentials.region);
      if (failure.code === 'conflict') {
        // Someone linked it meanwhile: show that connection instead of an error.
        this.go('loading');
        void this.load(client, signal);
        return;
      }
      throw failure;
    } finally {
      this.submitting = false;
    }
  };

  private renderStep() {
    const name = this.selectedIntegration?.name ?? 'Chargify';
    switch (this.step) {
      case 'loading':
        return html`
          <div class="own loading" role="status">
            <span class="spinner" aria-hidden="true"></span>${msg('Loading…', { id: 'conduit.link.loading' })}
          </div>
        `;
      case 'picker':
        return html`<conduit-integration-picker
          exportparts=${STEP_PARTS}
          .integrations=${this.integrations}
          .selected=${this.selectedKey}
          @conduit-integration-select=${this.handleSelect}
        ></conduit-integration-picker>`;
      case 'permissions':
        return html`<conduit-permissions
          exportparts=${STEP_PARTS}
          partner-name=${this.partnerName}
          integration-key=${this.selectedKey}
          integration-name=${name}
          @conduit-consent=${this.handleConsent}
        ></conduit-permissions>`;
      case 'credentials':
        return html`<conduit-credentials exportparts=${STEP_PARTS} .submitCredentials=${this.submitCredentials}></conduit-credentials>`;
      case 'success':
      case 'connected':
        return html`<conduit-success
          exportparts=${STEP_PARTS}
          partner-name=${this.partnerName}
          ?already-connected=${this.step === 'connected'}
          .connection=${this.connection}
          @conduit-finish=${this.handleFinish}
        ></conduit-success>`;
      case 'error':
        return this.renderFailure();
    }
  }

  private renderFailure() {
    const failure = this.failure;
    const code = failure?.code ?? 'bad_response';
    return html`
      <div class="own step">
        <h2 part="heading" tabindex="-1">
          ${code === 'session_expired'
            ? msg('Your session has expired', { id: 'conduit.link.sessionExpiredTitle' })
            : msg('Something went wrong', { id: 'conduit.link.errorTitle' })}
        </h2>
        <p role="alert">
          ${code === 'session_expired'
            ? // The heading already says it has expired: the body says why and what to do.
              msg('For your security, this connection session has ended. Start again; if it happens again, reload the page.', {
                id: 'conduit.link.sessionExpiredBody',
              })
            : errorMessage(code, undefined, failure?.detailedErrorCode)}
        </p>
        <conduit-support-reference reference=${failure?.correlationId ?? ''}></conduit-support-reference>
        ${code === 'invalid_config'
          ? nothing
          : html`<div class="actions">
              <button class="primary" part="primary-button" type="button" @click=${this.restart}>
                ${code === 'session_expired'
                  ? msg('Start again', { id: 'conduit.link.startAgain' })
                  : msg('Try again', { id: 'conduit.link.tryAgain' })}
              </button>
            </div>`}
      </div>
    `;
  }

  private renderConfirm() {
    return html`
      <div class="confirm step">
        <h2 part="heading" tabindex="-1">${msg('Leave without connecting?', { id: 'conduit.link.confirmTitle' })}</h2>
        <p>
          ${msg("Your account isn't connected yet. If you leave now, you'll need to start again.", {
            id: 'conduit.link.confirmBody',
          })}
        </p>
        <div class="actions">
          <button type="button" @click=${this.close}>${msg('Leave', { id: 'conduit.link.confirmLeave' })}</button>
          <button class="primary" part="primary-button" type="button" @click=${this.handleStay}>
            ${msg('Keep connecting', { id: 'conduit.link.confirmStay' })}
          </button>
        </div>
      </div>
    `;
  }

  private renderHeader() {
    const back = this.submitting ? null : backTarget(this.step, this.skipsPicker);
    const position = this.position;
    // An empty bar above a step is noise: inline, with no Back, no position and no logo, there is none.
    const empty = this.mode !== 'modal' && !(back && !this.confirmingClose) && !position && !this.hasLogo;
    return html`
      <header part="header" ?hidden=${empty}>
        ${back && !this.confirmingClose
          ? html`<button class="back" type="button" @click=${this.handleBack}>
              <span class="back-arrow" aria-hidden="true">←</span> ${msg('Back', { id: 'conduit.link.back' })}
            </button>`
          : nothing}
        <slot name="logo" @slotchange=${this.handleLogoChange}></slot>
        <span class="position">
          ${position ? msg(str`Step ${position.step} of ${position.total}`, { id: 'conduit.link.position' }) : nothing}
        </span>
        ${this.mode === 'modal'
          ? html`<button
              class="close"
              type="button"
              aria-label=${msg('Close', { id: 'conduit.link.close' })}
              @click=${() => this.requestClose('close-button')}
            >
              ×
            </button>`
          : nothing}
      </header>
    `;
  }

  private renderFrame() {
    return html`
      <div class="frame" part="frame" lang=${currentLocale()} dir=${directionOf(currentLocale())} @focusin=${this.handleEngage} @pointerdown=${this.handleEngage}>
        ${this.renderHeader()}
        <div class="body" ?hidden=${this.confirmingClose}>${this.renderStep()}</div>
        ${this.confirmingClose ? this.renderConfirm() : nothing}
        <footer part="footer" ?hidden=${!this.hasFooter}>
          <slot name="footer" @slotchange=${this.handleFooterChange}></slot>
        </footer>
        <div class="visually-hidden" role="status">${this.announcement}</div>
      </div>
    `;
  }

  override render() {
    if (this.mode !== 'modal') return this.renderFrame();
    return html`
      <dialog
        part="dialog"
        lang=${currentLocale()}
        dir=${directionOf(currentLocale())}
        aria-label=${msg('Connect your billing platform', { id: 'conduit.link.dialogLabel' })}
        @cancel=${this.handleCancel}
        @close=${this.handleDialogClose}
      >
        ${this.dialogOpen ? this.renderFrame() : nothing}
      </dialog>
    `;
  }
}

// The nearest lang attribute above the element, looking out through shadow roots.
function inheritedLang(element: Element): string | undefined {
  let node: Node | null = element;
  while (node) {
    if (node instanceof Element && node.hasAttribute('lang')) return node.getAttribute('lang') ?? undefined;
    node = node instanceof ShadowRoot ? node.host : node.parentNode;
  }
  return undefined;
}

// The element that had focus, looking through open shadow roots, so focus
// returns to the host's real opener button when the modal closes.
function deepActiveElement(): HTMLElement | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active instanceof HTMLElement ? active : null;
}
