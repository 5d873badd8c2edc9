import { LitElement } from 'lit';
import { LocalizeController } from '../localization/localization.js';

/** What every step shares: its flow's language, and a heading the flow moves focus to on each transition. */
export abstract class StepElement extends LitElement {
  /** The flow's language: `msg()` speaks it while the step renders; `run()` outside render. */
  protected readonly localize = new LocalizeController(this);

  /** Moves focus to the step's heading, so screen readers start reading there. */
  focusHeading(): void {
    this.#heading?.focus();
  }

  /** The heading's text, for the flow's step announcement. */
  get headingText(): string {
    return this.#heading?.textContent?.trim() ?? '';
  }

  get #heading(): HTMLElement | null {
    return this.renderRoot.querySelector<HTMLElement>('h2');
  }
}
