import type { Integration } from '../src/backend/types.js';

function integration(key: string, name: string, extra: Partial<Integration> = {}): Integration {
  return { key, name, logoUrl: '', enabled: true, sourceType: 'Commerce', isBeta: false, ...extra };
}

/** What the mock backend lists: Chargify, plus integrations the flow must not offer. */
export const catalogue: Integration[] = [
  integration('chargify', 'Chargify'),
  integration('recurly', 'Recurly', { enabled: false }),
  integration('zuora', 'Zuora', { enabled: false }),
];

/** A long catalogue, for the picker's search and keyboard stories and tests. */
export const longCatalogue: Integration[] = [
  integration('chargify', 'Chargify'),
  integration('chargebee', 'Chargebee'),
  integration('recurly', 'Recurly'),
  integration('zuora', 'Zuora', { isBeta: true }),
  integration('paddle', 'Paddle'),
  integration('stripe-billing', 'Stripe Billing'),
  integration('maxio-saasoptics', 'Maxio SaaSOptics', { isBeta: true }),
  integration('lago', 'Lago'),
  integration('legacy', 'Legacy Billing', { enabled: false }),
];
