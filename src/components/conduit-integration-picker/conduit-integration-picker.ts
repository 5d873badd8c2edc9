import { str } from '../../localization/str.js';
import { html, nothing } from 'lit';
import { formatNumber, msg, pluralCategory } from '../../localization/localization.js';
import type { Integration } from '../../backend/types.js';
import { ConduitIntegrationSelectEvent } from '../../events/integration-select.js';
import { baseStyles } from '../../styles/base.js';
import { StepElement } from '../step-element.js';
import { pickerStyles } from './conduit-integration-picker.styles.js';

// Past this many tiles, scanning gets slow and a search box earns its place.
const SEARCH_THRESHOLD = 6;

/**
 * "3 platforms match.", in the plural form the locale uses for the count. "one" and
 * "two" spell their number: for a count, in every language shipped, they only ever
 * mean 1 and 2, and Arabic words them without a numeral (a language whose "one"
 * also covers 21, as Russian's does, will need the numeral there).
 */
function matchCount(count: number): string {
  const n = formatNumber(count);
  switch (pluralCategory(count)) {
    case 'one':
      return msg('One platform matches.', {
        id: 'conduit.picker.matchCount.one',
        desc: 'Announced while searching, for a count in the CLDR plural form “one”.',
      });
    case 'two':
      return msg('Two platforms match.', {
        id: 'conduit.picker.matchCount.two',
        desc: 'Announced while searching, for a count in the CLDR plural form “two”.',
      });
    case 'few':
      return msg(str`${n} platforms match.`, {
        id: 'conduit.picker.matchCount.few',
        desc: 'Announced while searching, for a count in the CLDR plural form “few”.',
      });
    case 'many':
      return msg(str`${n} platforms match.`, {
        id: 'conduit.picker.matchCount.many',
        desc: 'Announced while searching, for a count in the CLDR plural form “many”.',
      });
    // Zero never comes here: no match has its own message, which names the search.
    default:
      return msg(str`${n} platforms match.`, {
        id: 'conduit.picker.matchCount.other',
        desc: 'Announced while searching, for a count in the CLDR plural form “other”.',
      });
  }
}

function monogram(name: string): string {
  const words = name.trim().split(/\s+/);
  return words
    .slice(0, 2)
    .map((word) => word.charAt(0).toUpperCase())
    .join('');
}

/**
 * The first step: the user picks the platform to connect.
 * @customElement conduit-integration-picker
 * @summary Integration tiles as a single-select radio group, with search past six.
 * @fires {ConduitIntegrationSelectEvent} conduit-integration-select - The user chose an integration and pressed Next.
 * @csspart tile - One integration tile.
 * @csspart heading - The step's heading.
 * @csspart primary-button - The step's main action.
 */
export class ConduitIntegrationPicker extends StepElement {
  static override styles = [baseStyles, pickerStyles];

  static override properties = {
    integrations: { attribute: false },
    selected: {},
    query: { state: true },
    brokenLogos: { state: true },
  };

  /** The catalogue; disabled integrations are not shown. */
  declare integrations: Integration[];
  /** Key of the chosen integration. */
  declare selected: string;
  declare private query: string;
  declare private brokenLogos: Set<string>;

  constructor() {
    super();
    this.integrations = [];
    this.selected = '';
    this.query = '';
    this.brokenLogos = new Set();
  }

  get #enabled(): Integration[] {
    return this.integrations.filter((integration) => integration.enabled);
  }

  #handleChange(event: Event): void {
    this.selected = (event.target as HTMLInputElement).value;
  }

  #handleSearch(event: Event): void {
    this.query = (event.target as HTMLInputElement).value;
  }

  // Enter in the search box filters; it must not submit a choice the filter may have hidden.
  #handleSearchKey(event: KeyboardEvent): void {
    if (event.key === 'Enter') event.preventDefault();
  }

  #handleSubmit(event: SubmitEvent): void {
    event.preventDefault();
    if (!this.selected) return;
    this.dispatchEvent(new ConduitIntegrationSelectEvent(this.selected));
  }

  #handleLogoError(key: string): void {
    this.brokenLogos = new Set(this.brokenLogos).add(key);
  }

  #renderLogo(integration: Integration) {
    if (integration.logoUrl && !this.brokenLogos.has(integration.key)) {
      return html`<img class="logo" src=${integration.logoUrl} alt="" @error=${() => this.#handleLogoError(integration.key)} />`;
    }
    return html`<span class="logo monogram" aria-hidden="true">${monogram(integration.name)}</span>`;
  }

  #renderTile(integration: Integration) {
    return html`
      <label class="tile" part="tile">
        <input
          class="visually-hidden"
          type="radio"
          name="integration"
          .value=${integration.key}
          .checked=${integration.key === this.selected}
          @change=${this.#handleChange}
        />
        ${this.#renderLogo(integration)}
        <span>${integration.name}</span>
        ${integration.isBeta ? html`<span class="badge">${msg('Beta', { id: 'conduit.picker.beta' })}</span>` : nothing}
      </label>
    `;
  }

  #renderSearch() {
    return html`
      <div class="search">
        <label for="search">${msg('Search platforms', { id: 'conduit.picker.searchLabel' })}</label>
        <input
          id="search"
          type="search"
          autocomplete="off"
          .value=${this.query}
          @input=${this.#handleSearch}
          @keydown=${this.#handleSearchKey}
        />
      </div>
    `;
  }

  #renderTiles(shown: Integration[]) {
    if (shown.length === 0) return nothing;
    return html`
      <fieldset>
        <legend class="visually-hidden">${msg('Platforms', { id: 'conduit.picker.legend' })}</legend>
        <div class="tiles">${shown.map((integration) => this.#renderTile(integration))}</div>
      </fieldset>
    `;
  }

  // While the user searches, the count is announced as well as "no match": a screen
  // reader user hears what the search left, without leaving the search box.
  #statusText(enabled: Integration[], shown: Integration[]): string {
    if (enabled.length === 0) return msg('No platforms are available to connect right now.', { id: 'conduit.picker.empty' });
    const query = this.query.trim();
    if (!query) return '';
    if (shown.length === 0) return msg(str`No platforms match “${query}”.`, { id: 'conduit.picker.noMatch' });
    return matchCount(shown.length);
  }

  override render() {
    const enabled = this.#enabled;
    const query = this.query.trim().toLowerCase();
    const shown = query ? enabled.filter((integration) => integration.name.toLowerCase().includes(query)) : enabled;
    // The status paragraph is always rendered: screen readers announce only changes to a live region that already exists.
    return html`
      <form class="step" @submit=${this.#handleSubmit}>
        <h2 part="heading" tabindex="-1">${msg('Choose your billing platform', { id: 'conduit.picker.title' })}</h2>
        <p class="muted">${msg('Select the platform you use for billing and subscriptions.', { id: 'conduit.picker.intro' })}</p>
        ${enabled.length > SEARCH_THRESHOLD ? this.#renderSearch() : nothing}
        <div>
          ${this.#renderTiles(shown)}
          <p role="status">${this.#statusText(enabled, shown)}</p>
        </div>
        <div class="actions">
          <button class="primary" part="primary-button" type="submit" ?disabled=${!this.selected}>${msg('Next', { id: 'conduit.common.next' })}</button>
        </div>
      </form>
    `;
  }
}
