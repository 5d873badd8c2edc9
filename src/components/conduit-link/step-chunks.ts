import type { ConduitStep } from '../../events/step-change.js';

// The steps that come in chunks of their own, and their loading: the later steps
// are fetched once the first screen is up, the connection's screens only when needed.

/** The screens that live in the lifecycle chunk. */
export const LIFECYCLE_STEPS: ReadonlySet<ConduitStep> = new Set([
  'connected',
  'deauthorized',
  'disconnect',
  'handoff',
  'handoff-waiting',
  'handoff-welcome',
  'handoff-invalid',
]);

let laterSteps: Promise<unknown> | null = null;
let lifecycle: Promise<typeof import('../../lifecycle-steps.js')> | null = null;

/** Fetches the later steps once for the page (again, if the last try failed); `load` is null when the host registers them itself. */
export function prefetchLaterSteps(load: (() => Promise<unknown>) | null): void {
  if (laterSteps || !load) return;
  laterSteps = load().catch((error: unknown) => {
    laterSteps = null;
    console.warn('<conduit-link>: the next steps could not be loaded; trying again at the next step.', error);
  });
}

/** The connection's screens and what they do, fetched once for the page (again, if the last try failed). */
export function loadLifecycle(): Promise<typeof import('../../lifecycle-steps.js')> {
  lifecycle ??= import('../../lifecycle-steps.js').catch((error: unknown) => {
    lifecycle = null;
    console.warn('<conduit-link>: the connection screens could not be loaded; trying again at the next step.', error);
    throw error;
  });
  return lifecycle;
}
