import type { ConduitStep } from '../../events/step-change.js';

// The numbered journey; loading, error and connected sit outside it.
const JOURNEY: readonly ConduitStep[] = ['picker', 'permissions', 'credentials', 'success'];

export function journey(skipPicker: boolean): readonly ConduitStep[] {
  return skipPicker ? JOURNEY.slice(1) : JOURNEY;
}

/** Where Back leads from `step`, or null where there is no going back. */
export function backTarget(step: ConduitStep, skipPicker: boolean): ConduitStep | null {
  if (step === 'success') return null;
  const steps = journey(skipPicker);
  const index = steps.indexOf(step);
  return index > 0 ? steps[index - 1]! : null;
}

/** The user has work in progress that closing would lose. */
export function isMidFlow(step: ConduitStep): boolean {
  return step === 'permissions' || step === 'credentials';
}
