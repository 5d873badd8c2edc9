import { waitFor } from 'storybook/test';
import { MockBackend, type Scenario } from '../mocks/backend.js';
import { ConduitError, type ConduitErrorCode } from '../src/index.js';

/** The id the backend logged a failure under, as the stories' failures carry it. */
export const CORRELATION_ID = 'b1946ac9-2f5c-4d0e-9c1a-7e3c1d2f4a55';

/** MSW parameters for a story whose backend behaves as `scenario`. */
export function backend(scenario: Scenario) {
  return { msw: { handlers: new MockBackend({ baseUrl: '/api', scenario }).handlers } };
}

/** A credentials callback that fails the way the backend would with `code`. */
export function failWith(
  code: ConduitErrorCode,
  extra: { regionHint?: 'US' | 'EU'; retryAfter?: number; detailedErrorCode?: number } = {},
) {
  return async () => {
    throw new ConduitError(code, code, { status: 400, correlationId: CORRELATION_ID, ...extra });
  };
}

type Rendered = HTMLElement & { updateComplete: Promise<unknown> };

/** Fills a <conduit-credentials> form and presses Continue, as a user would. */
export async function enterCredentials(step: Rendered, subdomain: string, apiKey: string): Promise<void> {
  await step.updateComplete;
  const root = step.shadowRoot!;
  root.querySelector<HTMLInputElement>('#subdomain')!.value = subdomain;
  root.querySelector<HTMLInputElement>('#api-key')!.value = apiKey;
  root.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
}

// waitFor gives up after 1 s by default; the e2e test opens several stories at
// once, and on a busy machine a step can take longer than that to come.
const STEP_TIMEOUT_MS = 5_000;

// An element of the flow's own rendering (a step, or the error screen's reference), once it has rendered.
async function shownIn(flow: Element, tag: string): Promise<Rendered> {
  const element = await waitFor(
    () => {
      const found = flow.shadowRoot?.querySelector<Rendered>(tag);
      if (!found) throw new Error(`<${tag}> never appeared`);
      return found;
    },
    // waitFor's default adds a dump of the document to the error, which shows
    // nothing of the shadow root the flow lives in and buries the message.
    { timeout: STEP_TIMEOUT_MS, onTimeout: (error) => error },
  );
  await element.updateComplete;
  return element;
}

/** Where a walk through the flow ends: the success step, or the error screen with its support reference. */
export type FlowEnd = 'conduit-success' | 'conduit-support-reference';

/**
 * Walks the flow in the canvas through every step with the demo site and key,
 * as a user would, and waits for it to reach `end`: a walk that ends anywhere
 * else fails the story's play function.
 */
export async function walkFlow(canvas: HTMLElement, end: FlowEnd): Promise<void> {
  const flow = canvas.querySelector('conduit-link')!;
  const picker = await shownIn(flow, 'conduit-integration-picker');
  picker.shadowRoot!.querySelector<HTMLInputElement>('input[type=radio]')!.click();
  await picker.updateComplete;
  picker.shadowRoot!.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
  const permissions = await shownIn(flow, 'conduit-permissions');
  permissions.shadowRoot!.querySelector<HTMLButtonElement>('button.primary')!.click();
  await enterCredentials(await shownIn(flow, 'conduit-credentials'), 'acme', 'chg_demo_acme_admin');
  await shownIn(flow, end);
}
