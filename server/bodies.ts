import type { Region } from '../src/backend/types.js';
import { invalidInput, parseJsonObject } from './http.js';

// Every field of every request body is checked for its type and shape before
// anything uses it, and a wrong one is a 400 naming it. Lengths are counted in
// code points, as JSON Schema's `maxLength` counts them, and a value is checked
// as it was sent: nothing folds look-alike letters into ASCII first.

type Problem = { itemId: string; message: string };

export const COMPANY_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
// Checked on the trimmed value as sent; only then is it lower-cased, and only ASCII can be.
const SUBDOMAIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const MAX_KEY_LENGTH = 200;
const MAX_COMPANY_NAME = 200;

/** Length in code points: an emoji is one, as JSON Schema counts. */
export function codePoints(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/** The first `max` code points of `text`; never half of a surrogate pair. */
export function cutToCodePoints(text: string, max: number): string {
  return Array.from(text).slice(0, max).join('');
}

function checked<T>(bodyText: string, read: (body: Record<string, unknown>, problems: Problem[]) => T): T {
  const body = parseJsonObject(bodyText);
  const problems: Problem[] = [];
  const value = read(body, problems);
  if (problems.length > 0) throw invalidInput('Some fields are missing or malformed.', problems);
  return value;
}

export interface SessionRequest {
  companyId: string;
  companyName: string | undefined;
}

export function readSessionRequest(bodyText: string): SessionRequest {
  return checked(bodyText, ({ companyId, companyName }, problems) => {
    if (typeof companyId !== 'string' || !COMPANY_ID.test(companyId)) {
      problems.push({ itemId: 'companyId', message: 'Letters, digits, dots, dashes and underscores, up to 100.' });
    }
    if (companyName !== undefined && typeof companyName !== 'string') {
      problems.push({ itemId: 'companyName', message: 'A string, when given.' });
    }
    const name = typeof companyName === 'string' ? cutToCodePoints(companyName.trim(), MAX_COMPANY_NAME) : '';
    return { companyId: companyId as string, companyName: name || undefined };
  });
}

export function readNewConnection(bodyText: string, offered: readonly string[]): { platformKey: string } {
  return checked(bodyText, ({ platformKey }, problems) => {
    if (typeof platformKey !== 'string' || !offered.includes(platformKey)) {
      problems.push({ itemId: 'platformKey', message: `One of: ${offered.join(', ')}.` });
    }
    return { platformKey: platformKey as string };
  });
}

export interface AuthorizationInput {
  apiKey: string;
  subdomain: string;
  region: Region;
}

export function readAuthorization(bodyText: string): AuthorizationInput {
  return checked(bodyText, ({ apiKey, subdomain, region }, problems) => {
    if (typeof apiKey !== 'string' || !apiKey.trim() || codePoints(apiKey) > MAX_KEY_LENGTH) {
      problems.push({ itemId: 'apiKey', message: 'Required: the API key, as Chargify showed it.' });
    }
    if (typeof subdomain !== 'string' || !SUBDOMAIN.test(subdomain.trim())) {
      problems.push({ itemId: 'subdomain', message: 'Letters, digits and dashes, not ending in a dash.' });
    }
    if (region !== 'US' && region !== 'EU') problems.push({ itemId: 'region', message: 'US or EU.' });
    return {
      apiKey: typeof apiKey === 'string' ? apiKey.trim() : '',
      subdomain: typeof subdomain === 'string' ? subdomain.trim().toLowerCase() : '',
      region: region as Region,
    };
  });
}

export function readConnectionUpdate(bodyText: string): { status: 'Unlinked' } {
  return checked(bodyText, ({ status }, problems) => {
    if (status !== 'Unlinked') problems.push({ itemId: 'status', message: 'Must be "Unlinked".' });
    return { status: 'Unlinked' as const };
  });
}
