import { ConduitError } from './errors.js';

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Resolves `backend-url` against the page and refuses what would expose the
 * API key in transit: plain http off localhost, and URLs with credentials.
 */
export function checkBackendUrl(value: string | undefined, base: string): string {
  if (!value) throw new ConduitError('invalid_config', 'backend-url is required.');
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    throw new ConduitError('invalid_config', 'backend-url is not a valid URL.');
  }
  if (url.username || url.password) {
    throw new ConduitError('invalid_config', 'backend-url must not contain credentials.');
  }
  const local = LOCAL_HOSTS.has(url.hostname) || url.hostname.endsWith('.localhost');
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) {
    throw new ConduitError('invalid_config', 'backend-url must use https (http is allowed only on localhost).');
  }
  return url.href.replace(/\/+$/, '');
}
