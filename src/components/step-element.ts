import { LitElement } from 'lit';

/** What every step shares: a heading the flow moves focus to on each transition. */
export abstract class StepElement extends LitElement {
  /** Moves focus to the step's heading, so screen readers start reading there. */
  focusHeading(): void {
    this.heading?.focus();
  }

  /** The heading's text, for the flow's step announcement. */
  get headingText(): string {
    return this.heading?.textContent?.trim() ?? '';
  }

  private get heading(): HTMLElement | null {
    return this.renderRoot.querySelector<HTMLElement>('h2');
  }
}
