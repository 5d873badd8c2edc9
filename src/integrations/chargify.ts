import { msg } from '../localization/localization.js';
import type { Region } from '../backend/types.js';

// Everything the browser side knows about Chargify (Maxio Advanced Billing).

export const CHARGIFY_KEY = 'chargify';

export const REGIONS: readonly Region[] = ['US', 'EU'];

export const HOST_SUFFIX: Record<Region, string> = {
  US: '.chargify.com',
  EU: '.ebilling.maxio.com',
};

export const API_KEYS_HELP_URL = 'https://docs.maxio.com/hc/en-us/articles/24294819360525-Advanced-Billing-API-Keys';

// Letters, digits and dashes, not starting or ending with a dash (a DNS label).
const SUBDOMAIN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export function isValidSubdomain(value: string): boolean {
  return SUBDOMAIN.test(value);
}

export interface SiteInput {
  subdomain: string;
  /** Set when the input named the region by its host, as a pasted URL does. */
  region?: Region;
}

/**
 * Users paste whatever is in their address bar: `https://acme.chargify.com/dashboard`
 * becomes `acme` (US), `acme.ebilling.maxio.com` becomes `acme` (EU).
 */
export function cleanSiteInput(raw: string): SiteInput {
  const host = raw
    .trim()
    .toLowerCase()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//, '')
    .split(/[/?#]/)[0]!
    .replace(/:\d+$/, '');
  for (const region of REGIONS) {
    const suffix = HOST_SUFFIX[region];
    if (host.endsWith(suffix)) return { subdomain: host.slice(0, -suffix.length), region };
  }
  return { subdomain: host };
}

/** The data a partner reads from Chargify, as listed on the permissions step. */
export function chargifyDataScopes(): string[] {
  return [
    msg('Site information: name, currency and settings', { id: 'conduit.chargify.scope.site' }),
    msg('Customers', { id: 'conduit.chargify.scope.customers' }),
    msg('Subscriptions', { id: 'conduit.chargify.scope.subscriptions' }),
    msg('Products and product families', { id: 'conduit.chargify.scope.products' }),
    msg('Invoices', { id: 'conduit.chargify.scope.invoices' }),
    msg('Payments and transactions', { id: 'conduit.chargify.scope.payments' }),
  ];
}
