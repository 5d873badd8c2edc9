import { html, nothing, type TemplateResult } from 'lit';
import type { ConduitError } from '../../backend/errors.js';
import type { ChargifyCredentials } from '../../backend/types.js';
import type { ConduitIntegrationSelectEvent } from '../../events/integration-select.js';
import type { LifecycleAction } from '../conduit-lifecycle/conduit-lifecycle.js';
import type { FlowController } from './flow-controller.js';
import { errorMessage } from '../../localization/error-messages.js';
import { formatNumber, msg } from '../../localization/localization.js';
import { str } from '../../localization/str.js';

// The views <conduit-link> draws itself, around the steps: loading, a failure,
// the leave question and the header. Plain functions of what they show, so the
// element only composes them. Each renders inside the element's update, so
// `msg()` speaks the flow's language.

export function renderLoading(): TemplateResult {
  return html`
    <div class="own loading" role="status" tabindex="-1">
      <span class="spinner" aria-hidden="true"></span>${msg('Loading…', { id: 'conduit.link.loading' })}
    </div>
  `;
}

export function renderFailure(failure: ConduitError | null, onRetry: () => void): TemplateResult {
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
            <button class="primary" part="primary-button" type="button" @click=${onRetry}>
              ${code === 'session_expired'
                ? msg('Start again', { id: 'conduit.link.startAgain' })
                : msg('Try again', { id: 'conduit.link.tryAgain' })}
            </button>
          </div>`}
    </div>
  `;
}

export function renderConfirm(onLeave: () => void, onStay: () => void): TemplateResult {
  return html`
    <div class="confirm step">
      <h2 part="heading" tabindex="-1">${msg('Leave without connecting?', { id: 'conduit.link.confirmTitle' })}</h2>
      <p>
        ${msg("Your account isn't connected yet. If you leave now, you'll need to start again.", {
          id: 'conduit.link.confirmBody',
        })}
      </p>
      <div class="actions">
        <button type="button" @click=${onLeave}>${msg('Leave', { id: 'conduit.link.confirmLeave' })}</button>
        <button class="primary" part="primary-button" type="button" @click=${onStay}>
          ${msg('Keep connecting', { id: 'conduit.link.confirmStay' })}
        </button>
      </div>
    </div>
  `;
}

export interface HeaderView {
  /** Back is offered. */
  back: boolean;
  /** The step's place in the journey, when it has one. */
  position: { step: number; total: number } | null;
  /** The modal's close button is shown. */
  closable: boolean;
  /** Nothing would be in the bar: hide it. */
  empty: boolean;
  onBack: () => void;
  onClose: () => void;
  onLogoChange: (event: Event) => void;
}

/** "Step 2 of 4", in the locale's digits. */
export function positionText(position: { step: number; total: number }): string {
  return msg(str`Step ${formatNumber(position.step)} of ${formatNumber(position.total)}`, { id: 'conduit.link.position' });
}

export function renderHeader(view: HeaderView): TemplateResult {
  // Not a banner landmark: the flow sits inside the partner's page, whose banner is
  // the partner's; a second one, holding only "Step 4 of 4", is noise in the landmark list.
  return html`
    <header part="header" role="none" ?hidden=${view.empty}>
      ${view.back
        ? html`<button class="back" type="button" @click=${view.onBack}>
            <span class="back-arrow" aria-hidden="true">←</span> ${msg('Back', { id: 'conduit.link.back' })}
          </button>`
        : nothing}
      <slot name="logo" @slotchange=${view.onLogoChange}></slot>
      <span class="position">${view.position ? positionText(view.position) : nothing}</span>
      ${view.closable
        ? html`<button class="close" type="button" aria-label=${msg('Close', { id: 'conduit.link.close' })} @click=${view.onClose}>×</button>`
        : nothing}
    </header>
  `;
}

// The parts each step exposes, forwarded so a host can style them through <conduit-link>.
const STEP_PARTS = 'heading, primary-button, tile';

export interface StepHandlers {
  partnerName: string;
  onSelect: (event: ConduitIntegrationSelectEvent) => void;
  onConsent: () => void;
  onFinish: () => void;
  onRetry: () => void;
  submitCredentials: (credentials: ChargifyCredentials) => Promise<void>;
  onHandoff: () => void;
  onLifecycle: (action: LifecycleAction) => void;
}

/** The step the flow is on: one of the step elements, or a view of the flow's own. */
export function renderStep(flow: FlowController, on: StepHandlers): TemplateResult {
  switch (flow.step) {
    case 'loading':
      return renderLoading();
    case 'picker':
      return html`<conduit-integration-picker
        exportparts=${STEP_PARTS}
        .integrations=${flow.integrations}
        .selected=${flow.selectedKey}
        @conduit-integration-select=${on.onSelect}
      ></conduit-integration-picker>`;
    case 'permissions':
      return html`<conduit-permissions
        exportparts=${STEP_PARTS}
        partner-name=${on.partnerName}
        integration-key=${flow.selectedKey}
        integration-name=${flow.selectedIntegration?.name ?? 'Chargify'}
        @conduit-consent=${on.onConsent}
      ></conduit-permissions>`;
    case 'credentials':
      return html`<conduit-credentials
        exportparts=${STEP_PARTS}
        .submitCredentials=${on.submitCredentials}
        .fixedSite=${flow.fixedSite}
        .requestHandoff=${flow.canHandOff ? on.onHandoff : undefined}
        .handoffBusy=${flow.submitting}
        .handoffFailure=${flow.actionFailure}
      ></conduit-credentials>`;
    case 'success':
      return html`<conduit-success
        exportparts=${STEP_PARTS}
        partner-name=${on.partnerName}
        .connection=${flow.connection}
        @conduit-finish=${on.onFinish}
      ></conduit-success>`;
    case 'connected':
    case 'deauthorized':
    case 'disconnect':
    case 'handoff':
    case 'handoff-waiting':
    case 'handoff-welcome':
    case 'handoff-invalid':
      return html`<conduit-lifecycle
        exportparts=${STEP_PARTS}
        .view=${flow.step}
        partner-name=${on.partnerName}
        company-name=${flow.handoffView?.companyName ?? ''}
        .connection=${flow.connection ?? flow.handoffView?.connection ?? null}
        .handoffLink=${flow.handoffLink}
        .busy=${flow.submitting}
        .failure=${flow.actionFailure}
        .act=${on.onLifecycle}
        @conduit-finish=${on.onFinish}
      ></conduit-lifecycle>`;
    case 'error':
      return renderFailure(flow.failure, on.onRetry);
  }
}
