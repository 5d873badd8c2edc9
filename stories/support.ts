import { MockBackend, type Scenario } from '../mocks/backend.js';
import { ConduitError, type ConduitErrorCode } from '../src/index.js';

/** MSW parameters for a story whose backend behaves as `scenario`. */
export function backend(scenario: Scenario) {
  return { msw: { handlers: new MockBackend({ baseUrl: '/api', scenario }).handlers } };
}

/** A credentials callback that fails the way the backend would with `code`. */
export function failWith(code: ConduitErrorCode, extra: { regionHint?: 'US' | 'EU'; retryAfter?: number } = {}) {
  return async () => {
    throw new ConduitError(code, code, { status: 400, correlationId: 'b1946ac9-2f5c-4d0e-9c1a-7e3c1d2f4a55', ...extra });
  };
}

type Rendered = HTMLElement & { updateComplete: Promise<unknown> };

// The flow's current step element, once it has rendered.
async function stepIn(flow: Element, tag: string): Promise<Rendered> {
  for (let tries = 0; tries < 100; tries++) {
    const step = flow.shadowRoot?.querySelector<Rendered>(tag);
    if (step) {
      await step.updateComplete;
      return step;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`<${tag}> never appeared`);
}

/** Walks the flow in the canvas to the credentials step and submits them, as a user would. */
export async function submitInFlow(canvas: HTMLElement, subdomain: string, apiKey: string): Promise<void> {
  const flow = canvas.querySelector('conduit-link')!;
  const picker = await stepIn(flow, 'conduit-integration-picker');
  picker.shadowRoot!.querySelector<HTMLInputElement>('input[type=radio]')!.click();
  await picker.updateComplete;
  picker.shadowRoot!.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
  const permissions = await stepIn(flow, 'conduit-permissions');
  permissions.shadowRoot!.querySelector<HTMLButtonElement>('button.primary')!.click();
  const credentials = await stepIn(flow, 'conduit-credentials');
  credentials.shadowRoot!.querySelector<HTMLInputElement>('#subdomain')!.value = subdomain;
  credentials.shadowRoot!.querySelector<HTMLInputElement>('#api-key')!.value = apiKey;
  credentials.shadowRoot!.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
}
