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
