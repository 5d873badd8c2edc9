import { html, LitElement, nothing, type PropertyDeclarations, type PropertyValues, type TemplateResult } from 'lit';
import type { ChargifyCredentials } from '../../backend/types.js';
import type { ConduitIntegrationSelectEvent } from '../../events/integration-select.js';
import type { ConduitStep } from '../../events/step-change.js';
import { errorMessage } from '../../localization/error-messages.js';
import { CATALOGUE, Catalogue, inheritedLang, LocalizeController, msg, type ConduitTexts } from '../../localization/localization.js';
import { baseStyles } from '../../styles/base.js';
import { linkStyles } from './conduit-link.styles.js';
import { renderConfirm, renderHeader, renderStep } from './conduit-link.views.js';
import type { LifecycleAction } from '../conduit-lifecycle/conduit-lifecycle.js';
import { FlowController } from './flow-controller.js';
import { ModalShell } from './modal-shell.js';
import { LIFECYCLE_STEPS, loadLifecycle, prefetchLaterSteps } from './step-chunks.js';
import { StepFocus } from './step-focus.js';
import { whenVisible } from './visibility.js';

// Any of these changing means a different company or backend: start over.
const RESTART_ON: readonly string[] = ['backendUrl', 'companyId', 'integration', 'requestTimeout', 'handoffToken'];

/**
 * The drop-in flow that connects an SMB's Chargify account to the partner's backend.
 * @customElement conduit-link
 * @summary Picker → permissions → credentials → success, inline or in a modal dialog.
 * @fires {ConduitReadyEvent} conduit-ready - The catalogue loaded.
 * @fires {ConduitStepChangeEvent} conduit-step-change - The flow moved to another step.
 * @fires {ConduitIntegrationSelectEvent} conduit-integration-select - The user chose an integration.
 * @fires {ConduitConsentEvent} conduit-consent - The user accepted the permissions.
 * @fires {ConduitConnectionStartedEvent} conduit-connection-started - The backend created a pending connection.
 * @fires {ConduitConnectionEvent} conduit-connection - The account is linked; `reason` says how (connected, key-replaced, handoff).
 * @fires {ConduitDisconnectEvent} conduit-disconnect - The user disconnected the account.
 * @fires {ConduitHandoffEvent} conduit-handoff - The user made a link for a colleague; carries its expiry, never its token.
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
export class ConduitLinkElement extends LitElement {
  static override styles = [baseStyles, linkStyles];

  /**
   * @internal Loads the steps after the picker (define.ts sets it): a chunk of their
   * own, fetched once the first screen is up, while the user reads it.
   */
  static loadLaterSteps: (() => Promise<unknown>) | null = null;

  static override properties: PropertyDeclarations = {
    backendUrl: { attribute: 'backend-url' },
    companyId: { attribute: 'company-id' },
    sessionToken: { attribute: 'session-token' },
    fetchSessionToken: { attribute: false },
    partnerName: { attribute: 'partner-name' },
    integration: {},
    mode: { reflect: true },
    theme: { reflect: true },
    locale: {},
    texts: { attribute: false },
    requestTimeout: { attribute: 'request-timeout', type: Number },
    handoffUrl: { attribute: 'handoff-url' },
    handoffToken: { attribute: 'handoff-token' },
    announcement: { state: true },
    hasFooter: { state: true },
    hasLogo: { state: true },
  };

  /** Base URL of the backend contract; https except on localhost. */
  declare backendUrl: string;
  /** The SMB's company id at the partner. */
  declare companyId: string;
  /** Short-lived bearer token minted by the partner's server for this company. Never reflected. */
  declare sessionToken: string;
  /** Called when the flow has no token or the backend answers 401, to get a fresh session token. */
  declare fetchSessionToken: (() => Promise<string>) | undefined;
  /** Shown in the permissions text. */
  declare partnerName: string;
  /** Preselects an integration and skips the picker. */
  declare integration: string;
  /** `inline` (default) or `modal`. */
  declare mode: 'inline' | 'modal';
  /** `light` (default), `dark`, or `system` to follow the user's setting. */
  declare theme: 'light' | 'dark' | 'system';
  /** BCP 47 language tag; else the nearest `lang` up the tree, else the browser's languages, else English. */
  declare locale: string;
  /** The partner's wording for any message, per locale: `{ fr: { 'conduit.picker.title': '…' } }`. */
  declare texts: ConduitTexts;
  /**
   * Milliseconds before a backend request is given up; 40 000 by default, longer
   * than the 30 s the backend waits for Chargify, so its verdict comes first.
   */
  declare requestTimeout: number;
  /** The partner page that hosts the flow for a colleague; when set, the credentials step offers to send itself there. */
  declare handoffUrl: string;
  /** On the colleague's page, instead of `company-id` and `session-token`: the `conduit_handoff` URL parameter. Never reflected. */
  declare handoffToken: string;
  /** @internal What the live region says. */
  declare announcement: string;
  declare private hasFooter: boolean;
  declare private hasLogo: boolean;

  /** This flow's language and texts; the steps it renders find it here. */
  readonly [CATALOGUE] = new Catalogue();
  readonly #localize = new LocalizeController(this, this[CATALOGUE]);
  readonly #flow = new FlowController(
    {
      requestUpdate: () => this.requestUpdate(),
      dispatchEvent: (event) => this.dispatchEvent(event),
      describe: (failure, region) => this.#localize.run(() => errorMessage(failure.code, region, failure.detailedErrorCode)),
      whenVisible,
      prepare: async (step) => {
        if (LIFECYCLE_STEPS.has(step)) await loadLifecycle();
      },
      lifecycle: loadLifecycle,
    },
    () => ({
      backendUrl: this.backendUrl,
      companyId: this.companyId,
      sessionToken: this.sessionToken,
      fetchSessionToken: this.fetchSessionToken,
      integration: this.integration,
      requestTimeout: this.requestTimeout,
      baseUri: document.baseURI,
      handoffUrl: this.handoffUrl,
      handoffToken: this.handoffToken,
    }),
  );
  readonly #modal = new ModalShell(this);
  readonly #focus = new StepFocus(this, this.#localize);
  #needsStart = true;
  #startTimer: ReturnType<typeof setTimeout> | undefined;
  // A start is queued for the end of this task (see #scheduleStart).
  #startQueued = false;
  #renderedLocale = '';
  #lastStep: ConduitStep = 'loading';
  readonly #langObserver = new MutationObserver(() => {
    if (!this.locale) this.#applyLanguage();
  });

  constructor() {
    super();
    this.backendUrl = '';
    this.companyId = '';
    this.sessionToken = '';
    this.partnerName = '';
    this.integration = '';
    this.mode = 'inline';
    this.theme = 'light';
    this.locale = '';
    this.texts = {};
    this.requestTimeout = 40_000;
    this.handoffUrl = '';
    this.handoffToken = '';
    this.announcement = '';
    this.hasFooter = false;
    this.hasLogo = false;
  }

  /** Where the flow is: the step the last `conduit-step-change` named. */
  get step(): ConduitStep {
    return this.#flow.step;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Back on the page: it loads afresh, as on a page reload.
    this.#needsStart = true;
    this.requestUpdate();
    // The host app may change its page language at run time.
    this.#langObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['lang'], subtree: true });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#flow.stop();
    clearTimeout(this.#startTimer);
    this.#startTimer = undefined;
    this.#startQueued = false;
    this.#langObserver.disconnect();
  }

  /** Opens the modal (modal mode only). */
  open(): void {
    if (this.mode === 'modal') this.#modal.showModal();
  }

  /** Closes the modal without asking. */
  close(): void {
    this.#modal.close();
  }

  /** @internal The modal opened: the flow starts afresh, and focus follows it. */
  modalOpened(): void {
    this.#focus.engage();
    this.#restart();
  }

  /** @internal The visit ended: whatever was under way stops. */
  modalClosed(): void {
    this.#flow.stop();
  }

  /** @internal Focus on what the user should read now: the step's heading, or the leave question's. */
  focusCurrent(): void {
    void this.#focus.focusCurrent();
  }

  /** @internal The step's place in the journey, for the announcement. */
  get position(): { step: number; total: number } | null {
    return this.#flow.position;
  }

  /** @internal The leave question is shown. */
  get confirming(): boolean {
    return this.#modal.confirming;
  }

  protected override willUpdate(changed: PropertyValues): void {
    const credentialsChanged = changed.has('sessionToken') || changed.has('fetchSessionToken');
    // A new token is used from the next request on, without a restart.
    if (credentialsChanged) this.#flow.updateCredentials();
    // The token the flow waited for has come, or a fresh one after the old expired: start (again).
    const awaited = credentialsChanged && (this.#flow.waiting || this.#flow.failure?.code === 'session_expired');
    if (changed.has('texts') || this.#needsStart) this[CATALOGUE].applyTexts(this.texts);
    // An announcement left in the previous language would be read out in the new one: say it again.
    if (this.#renderedLocale !== this[CATALOGUE].locale) {
      if (this.#renderedLocale && this.announcement) void this.#focus.announce();
      this.#renderedLocale = this[CATALOGUE].locale;
    }
    if (changed.has('locale') || changed.has('texts') || this.#needsStart) this.#applyLanguage();
    if (this.isConnected && (this.#needsStart || awaited || RESTART_ON.some((name) => changed.has(name)))) {
      this.#needsStart = false;
      // A closed modal loads nothing: open() starts it afresh each time.
      if (this.mode !== 'modal' || this.#modal.open) this.#scheduleStart();
    }
  }

  protected override updated(): void {
    if (this.#flow.step !== this.#lastStep) {
      this.#lastStep = this.#flow.step;
      void this.#focus.stepChanged();
      // The first screen is up: fetch the rest while the user reads it (again, if the last try failed).
      if (this.#flow.step !== 'loading') setTimeout(() => prefetchLaterSteps(ConduitLinkElement.loadLaterSteps));
    }
  }

  #applyLanguage(): void {
    void this[CATALOGUE].applyLocale([this.locale, inheritedLang(this), ...navigator.languages]);
  }

  /**
   * With everything it needs, starts at once: the first screen waits for its backend
   * answers, so the requests go out first. Missing something, starts after the host's
   * current task: a server-rendered page upgrades the element before it sets
   * properties, and a framework sets them after the element connects, so what is
   * missing at connect may be there a moment later (and is not worth a warning).
   */
  #scheduleStart(): void {
    clearTimeout(this.#startTimer);
    if (this.#flow.missingConfiguration().length > 0) {
      this.#startTimer = setTimeout(this.#restart);
      return;
    }
    if (this.#startQueued) return;
    this.#startQueued = true;
    queueMicrotask(() => {
      if (this.#startQueued) this.#restart();
    });
  }

  #restart = (): void => {
    clearTimeout(this.#startTimer);
    this.#startTimer = undefined;
    this.#startQueued = false;
    this.#modal.confirming = false;
    this.#flow.start();
  };

  // The step's event is still on its way to the host page; moving on after it
  // has arrived keeps the order partners see: the action, then the step change.
  #handleSelect = (event: ConduitIntegrationSelectEvent): void => {
    this.#flow.selectedKey = event.integrationKey;
    queueMicrotask(() => this.#flow.select(event.integrationKey));
  };

  #handleConsent = (): void => {
    queueMicrotask(() => this.#flow.go('credentials'));
  };

  #handleFinish = (): void => {
    if (this.mode === 'modal') this.close();
  };

  #handleHandoff = (): void => {
    void this.#flow.act('offer-handoff');
  };

  #handleLifecycle = (action: LifecycleAction): void => {
    void this.#flow.act(action);
  };

  #handleFooterChange = (event: Event): void => {
    this.hasFooter = (event.target as HTMLSlotElement).assignedNodes().length > 0;
  };

  #handleLogoChange = (event: Event): void => {
    this.hasLogo = (event.target as HTMLSlotElement).assignedNodes().length > 0;
  };

  // A callback, not an event: the key goes straight from the form to the request body.
  #submitCredentials = (credentials: ChargifyCredentials): Promise<void> => this.#flow.submitCredentials(credentials);

  #renderFrame(): TemplateResult {
    const flow = this.#flow;
    const confirming = this.#modal.confirming;
    const back = flow.backTarget !== null && !confirming;
    const modal = this.mode === 'modal';
    const catalogue = this[CATALOGUE];
    return html`
      <div class="frame" part="frame" lang=${catalogue.locale} dir=${catalogue.direction} @focusin=${this.#focus.engage} @pointerdown=${this.#focus.engage}>
        ${renderHeader({
          back,
          position: flow.position,
          closable: modal,
          // An empty bar above a step is noise: inline, with no Back, no position and no logo, there is none.
          empty: !modal && !back && !flow.position && !this.hasLogo,
          onBack: () => flow.back(),
          onClose: () => this.#modal.requestClose('close-button'),
          onLogoChange: this.#handleLogoChange,
        })}
        <div class="body" ?hidden=${confirming}>
          ${renderStep(flow, {
            partnerName: this.partnerName,
            onSelect: this.#handleSelect,
            onConsent: this.#handleConsent,
            onFinish: this.#handleFinish,
            onRetry: this.#restart,
            submitCredentials: this.#submitCredentials,
            onHandoff: this.#handleHandoff,
            onLifecycle: this.#handleLifecycle,
          })}
        </div>
        ${confirming ? renderConfirm(() => this.close(), this.#modal.stay) : nothing}
        <footer part="footer" ?hidden=${!this.hasFooter}>
          <slot name="footer" @slotchange=${this.#handleFooterChange}></slot>
        </footer>
        <div class="visually-hidden" role="status">${this.announcement}</div>
      </div>
    `;
  }

  override render(): TemplateResult {
    if (this.mode !== 'modal') return this.#renderFrame();
    const catalogue = this[CATALOGUE];
    return html`
      <dialog
        part="dialog"
        lang=${catalogue.locale}
        dir=${catalogue.direction}
        aria-label=${msg('Connect your billing platform', { id: 'conduit.link.dialogLabel' })}
        @cancel=${this.#modal.handleCancel}
        @close=${this.#modal.handleClose}
      >
        ${this.#modal.open ? this.#renderFrame() : nothing}
      </dialog>
    `;
  }
}
