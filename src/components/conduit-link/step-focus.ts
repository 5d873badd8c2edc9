import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { formatNumber, msg, type LocalizeController } from '../../localization/localization.js';
import { str } from '../../localization/str.js';
import type { StepElement } from '../step-element.js';
import { positionText } from './conduit-link.views.js';

/** What the flow's focus and announcements need from the element. */
export interface StepFocusHost extends ReactiveControllerHost {
  readonly renderRoot: HTMLElement | DocumentFragment;
  /** The step's place in the journey, when it has one. */
  readonly position: { step: number; total: number } | null;
  /** The leave question is shown instead of the step. */
  readonly confirming: boolean;
  /** What the live region says: set by this controller. */
  announcement: string;
}

/**
 * On every step change, focus moves to the new step's heading, which a screen
 * reader then reads, and the live region adds the step's place in the journey
 * (DESIGN §4) — focus only once the user is in the flow (focus went inside, a press
 * landed in it, or the modal was opened), so a page load never scrolls the host
 * page to an inline widget; until then the live region says the step.
 */
export class StepFocus implements ReactiveController {
  readonly #host: StepFocusHost;
  readonly #localize: LocalizeController;
  #engaged = false;

  constructor(host: StepFocusHost, localize: LocalizeController) {
    this.#host = host;
    this.#localize = localize;
    host.addController(this);
  }

  hostConnected(): void {
    // Nothing to set up: the flow calls in on each step change.
  }

  /** The user is in the flow: focus follows it from now on. */
  engage = (): void => {
    this.#engaged = true;
  };

  async stepChanged(): Promise<void> {
    if (!this.#engaged) {
      await this.announce();
      return;
    }
    // Focus on the heading reads it out: the live region adds only where the step is,
    // so the heading is heard once.
    await this.focusCurrent();
    const position = this.#host.position;
    await this.#say(position ? this.#localize.run(() => positionText(position)) : '');
  }

  /** Says the step, in the flow's language; said again when the language changes. */
  async announce(): Promise<void> {
    // The step renders its heading first (in the language now active).
    const current = await this.#currentStep();
    const heading = current ? current.headingText : (this.#ownHeading()?.textContent?.trim() ?? '');
    const position = this.#host.position;
    await this.#say(
      this.#localize.run(() =>
        position
          ? msg(str`Step ${formatNumber(position.step)} of ${formatNumber(position.total)}: ${heading}`, { id: 'conduit.link.stepAnnouncement' })
          : heading,
      ),
    );
  }

  async #say(text: string): Promise<void> {
    // Cleared first so that the same text twice is still announced.
    this.#host.announcement = '';
    await this.#host.updateComplete;
    this.#host.announcement = text;
  }

  async focusCurrent(): Promise<void> {
    if (this.#host.confirming) {
      this.#host.renderRoot.querySelector<HTMLElement>('.confirm h2')?.focus();
      return;
    }
    const element = await this.#currentStep();
    if (element) element.focusHeading();
    // Loading (after Try again, say): focus waits inside the flow, on what it says, not on the page.
    else (this.#ownHeading() ?? this.#host.renderRoot.querySelector<HTMLElement>('.own.loading'))?.focus();
  }

  async #currentStep(): Promise<StepElement | null> {
    const element = this.#host.renderRoot.querySelector<StepElement>('.body > :not(.own)');
    if (!element) return null;
    // A later step may still be on its way (its own chunk): it upgrades when it comes.
    await customElements.whenDefined(element.localName);
    await element.updateComplete;
    return element;
  }

  #ownHeading(): HTMLElement | null {
    return this.#host.renderRoot.querySelector<HTMLElement>('.own h2');
  }
}
