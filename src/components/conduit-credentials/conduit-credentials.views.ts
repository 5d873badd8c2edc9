import { html, nothing, type TemplateResult } from 'lit';
import type { ConduitError, ConduitErrorCode } from '../../backend/errors.js';
import type { Region } from '../../backend/types.js';
import { API_KEYS_HELP_URL, HOST_SUFFIX, REGIONS } from '../../integrations/chargify.js';
import { errorMessage, retryCountdown } from '../../localization/error-messages.js';
import { msg } from '../../localization/localization.js';
import { str } from '../../localization/str.js';
import type { WaitNotice } from './retry-gate.js';

// The credentials step's plain views: the key field, the region choice and the hint
// to the other region, the help on finding the key, the words for a field's problem,
// a failure that is no field's, the offer to hand the step to a colleague, and what
// the step says while it checks or waits. Functions of what they show; each renders
// inside the step's update, so `msg()` speaks the flow's language.

/** What is wrong with a field: found in the browser, or the backend's verdict. */
export type Problem = 'required' | 'malformed' | 'key_id' | ConduitErrorCode;

export function offlineText(): string {
  return msg("You're offline. Reconnect to the internet to continue.", { id: 'conduit.credentials.offline' });
}

export function regionName(region: Region): string {
  return region === 'US'
    ? msg('United States', { id: 'conduit.credentials.regionUS' })
    : msg('Europe', { id: 'conduit.credentials.regionEU' });
}

/** The words for `problem` in `field`; a site's address named in `region`. */
export function problemText(region: Region, problem: Problem, field: 'subdomain' | 'apiKey'): string {
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
  return errorMessage(problem, region);
}

/**
 * The region choice. `open`: which regions may be chosen — 'any', only the fixed
 * site's, or none (null) while the credentials are being checked.
 */
export function renderRegion(region: Region, open: Region | 'any' | null, onChange: (event: Event) => void): TemplateResult {
  return html`
    <fieldset>
      <legend>${msg('Region', { id: 'conduit.credentials.regionLabel' })}</legend>
      <div class="regions">
        ${REGIONS.map(
          (choice) => html`
            <label>
              <input
                type="radio"
                name="region"
                .value=${choice}
                .checked=${choice === region}
                ?disabled=${open === null || (open !== 'any' && choice !== open)}
                @change=${onChange}
              />
              ${regionName(choice)} (${HOST_SUFFIX[choice].slice(1)})
            </label>
          `,
        )}
      </div>
    </fieldset>
  `;
}

/** Where to find the API key, with the sign-in address of the region chosen. */
export function renderHelp(region: Region): TemplateResult {
  return html`
    <details>
      <summary>${msg('Where do I find my API key?', { id: 'conduit.credentials.helpTitle' })}</summary>
      <ol>
        <li>
          ${msg(str`Sign in to Chargify at your site's address, like ${`acme${HOST_SUFFIX[region]}`}.`, {
            id: 'conduit.credentials.helpSignIn',
            desc: 'The placeholder is an example address in the region the user chose: acme.chargify.com or acme.ebilling.maxio.com.',
          })}
        </li>
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

/** What the step's status and its wait say. */
export interface StatusView {
  busy: boolean;
  /** The check has been running for a while. */
  slow: boolean;
  /** Offline, and no offline error already saying so. */
  offline: boolean;
  /** A field's error to say: focus was already on that field, so it is not read with it. */
  fieldProblem: string | null;
  notice: WaitNotice | null;
  secondsLeft: number;
}

// One live region, so each change is announced once: the check under way (heard,
// not shown: the button says it), then, if Chargify is slow, that it is (shown too);
// a wait the backend asked for, when it starts, when the user presses during it,
// and when it ends. Outside the fields marked busy, which some readers hold back.
export function renderStatus(view: StatusView): TemplateResult {
  const slow = view.busy && view.slow;
  return html`<span class=${slow ? 'hint' : 'visually-hidden'} role="status"
    >${slow
      ? msg('Chargify is taking longer than usual…', { id: 'conduit.credentials.slow' })
      : view.busy
        ? msg('Checking your details with Chargify…', { id: 'conduit.credentials.checking' })
        : view.offline
          ? offlineText()
          : (view.fieldProblem ?? noticeText(view.notice))}</span
  >`;
}

function noticeText(notice: WaitNotice | null): string | typeof nothing {
  if (notice?.kind === 'wait') return retryCountdown(notice.seconds);
  if (notice?.kind === 'ready') return msg('You can try again now.', { id: 'conduit.credentials.retryNow' });
  return nothing;
}

// Not a live region: a countdown read out every second would drown everything else.
export function renderWait(view: StatusView): TemplateResult | typeof nothing {
  if (view.offline) return html`<p class="hint">${offlineText()}</p>`;
  if (view.secondsLeft > 0) return html`<p class="hint">${retryCountdown(view.secondsLeft)}</p>`;
  return nothing;
}

/** A field's error under it, described by `id`; nothing when there is none. */
export function renderFieldError(id: string, text: string | null): TemplateResult | typeof nothing {
  return text ? html`<p id=${id} class="field-error">${text}</p>` : nothing;
}

/** The site was found in `hint`, not the region chosen: where it is, and the way there. */
export function renderRegionHint(hint: Region | null, onSwitch: (region: Region) => void): TemplateResult | typeof nothing {
  if (!hint) return nothing;
  return html`
    <p id="region-hint" class="field-error">${msg(str`This site exists in the ${regionName(hint)} region.`, { id: 'conduit.credentials.regionHint' })}</p>
    <button id="region-switch" class="region-switch" type="button" @click=${() => onSwitch(hint)}>
      ${msg(str`Switch to the ${regionName(hint)} region`, { id: 'conduit.credentials.switchRegion' })}
    </button>
  `;
}

export interface KeyFieldView {
  revealed: boolean;
  readonly: boolean;
  /** What is wrong with the key, in words; null when nothing is. */
  problem: string | null;
  onInput: () => void;
  onReveal: () => void;
}

/** The API key: a password field the user may show, never filled in by the step. */
export function renderKeyField(view: KeyFieldView): TemplateResult {
  return html`
    <div class="field">
      <label for="api-key">${msg('API key', { id: 'conduit.credentials.keyLabel' })}</label>
      <div class="affix">
        <input
          id="api-key"
          name="apiKey"
          dir="ltr"
          type=${view.revealed ? 'text' : 'password'}
          autocomplete="new-password"
          autocapitalize="none"
          spellcheck="false"
          ?readonly=${view.readonly}
          aria-invalid=${view.problem ? 'true' : 'false'}
          aria-describedby=${view.problem ? 'api-key-error' : nothing}
          @input=${view.onInput}
        />
        <button type="button" aria-controls="api-key" aria-pressed=${view.revealed ? 'true' : 'false'} @click=${view.onReveal}>
          ${msg('Show key', { id: 'conduit.credentials.reveal' })}
        </button>
      </div>
      ${renderFieldError('api-key-error', view.problem)}
    </div>
  `;
}

/** A failure that is no field's, in the alert; with a word when the browser is back online. */
export function renderFailure(failure: ConduitError | null, region: Region, reconnected: boolean): TemplateResult | typeof nothing {
  if (!failure) return nothing;
  const backOnline = (failure.code === 'offline' || failure.code === 'network') && reconnected;
  return html`
    <p>${errorMessage(failure.code, region, failure.detailedErrorCode)}</p>
    ${backOnline ? html`<p>${msg("You're back online. Select Continue to try again.", { id: 'conduit.credentials.backOnline' })}</p>` : nothing}
  `;
}

/** "I don't have the admin key": the offer to send the step to a colleague, and why making the link failed. */
export function renderHandoff(busy: boolean, failure: ConduitError | null, onOffer: () => void): TemplateResult {
  return html`
    <p>
      <button class="link-button" type="button" aria-disabled=${busy ? 'true' : 'false'} @click=${onOffer}>
        ${msg("I don't have the admin key — send this step to a colleague", { id: 'conduit.credentials.handoffOffer' })}
      </button>
    </p>
    ${failure ? html`<p class="field-error">${errorMessage(failure.code, undefined, failure.detailedErrorCode)}</p>` : nothing}
  `;
}
