import { str } from './str.js';
import { currentLocale, msg } from './localization.js';
import { SITE_DATA_CLEARING, type ConduitErrorCode } from '../backend/errors.js';
import type { Region } from '../backend/types.js';
import { HOST_SUFFIX } from '../integrations/chargify.js';

// What the user reads for each failure. Always our own words: a server's
// message is never shown in place of these. `region` is the one the user chose,
// for the example address; `detailedErrorCode`, the backend's, tells apart
// failures that share a code.
export function errorMessage(code: ConduitErrorCode, region: Region = 'US', detailedErrorCode: number | null = null): string {
  switch (code) {
    case 'invalid_input':
      return msg("Some details weren't accepted. Check the fields and try again.", { id: 'conduit.error.invalidInput' });
    case 'invalid_credentials':
      return msg(
        "Chargify didn't accept this API key for this site. Check that you pasted the whole key, the long code Chargify showed once when it was created, and that the subdomain is right. If you no longer have the key, create a new one.",
        { id: 'conduit.error.invalidCredentials' },
      );
    case 'site_not_found':
      // The whole address is the value, so that, isolated, it reads left to right in any sentence.
      return msg(
        str`We couldn't reach a Chargify site at this address, or the key doesn't belong to it. Check both: the subdomain is the first part of the address you sign in at, like acme in ${`acme${HOST_SUFFIX[region]}`}.`,
        { id: 'conduit.error.siteNotFound' },
      );
    // An unexpected 403 from Chargify. Its keys have no roles or scopes, so we name no
    // cause: only the app's support team, with the reference, can look into it.
    case 'access_refused':
      return msg(
        "Chargify refused access to this site. Contact the support team of the app you're using and give them the support reference.",
        { id: 'conduit.error.accessRefused' },
      );
    case 'account_blocked':
      return msg(
        "Chargify has blocked access to this account, usually because its trial ended or it was cancelled. Ask your Chargify account owner to reactivate it, then try again.",
        { id: 'conduit.error.accountBlocked' },
      );
    // Only when replacing a connection's key (issue 17): never a verdict of a first connect.
    case 'site_mismatch':
      return msg('This API key belongs to a different Chargify site. Create a key on this site, or correct the subdomain.', {
        id: 'conduit.error.siteMismatch',
      });
    case 'rate_limited':
      // Chargify's 429 names no time to wait; its advice is a few minutes.
      return msg('Chargify is getting too many requests for your site right now. Wait a few minutes, then try again.', {
        id: 'conduit.error.rateLimited',
      });
    // The backend's own limit on key attempts: the words must not blame Chargify.
    case 'too_many_attempts':
      return msg('Too many attempts to connect. For your security, wait before trying again.', {
        id: 'conduit.error.tooManyAttempts',
      });
    case 'upstream_unavailable':
      // Temporary, and nothing for the account owner to do: the retry is offered as for an outage.
      if (detailedErrorCode === SITE_DATA_CLEARING) {
        return msg("Chargify is clearing this site's data right now. Try again later.", { id: 'conduit.error.siteDataClearing' });
      }
      return msg("Chargify isn't responding right now. Try again in a few minutes.", { id: 'conduit.error.upstreamUnavailable' });
    case 'conflict':
      return msg('A Chargify account is already connected.', { id: 'conduit.error.conflict' });
    case 'session_expired':
      return msg('Your session has expired. Start again to continue.', { id: 'conduit.error.sessionExpired' });
    case 'not_found':
      return msg("We couldn't find your company's details. Contact the support team of the app you're using.", {
        id: 'conduit.error.notFound',
      });
    case 'network':
      return msg("We couldn't reach the server. Check your internet connection and try again.", { id: 'conduit.error.network' });
    case 'timeout':
      return msg('The server took too long to answer. Try again.', { id: 'conduit.error.timeout' });
    case 'offline':
      return msg("You're offline. Reconnect to the internet, then try again.", { id: 'conduit.error.offline' });
    case 'bad_response':
      return msg('The server sent an answer we could not read. Try again, and contact support if it keeps happening.', {
        id: 'conduit.error.badResponse',
      });
    case 'server_error':
      return msg('The server ran into a problem. Try again in a moment, and contact support if it keeps happening.', {
        id: 'conduit.error.serverError',
      });
    case 'aborted':
      return msg('The request was cancelled.', { id: 'conduit.error.aborted' });
    case 'invalid_config':
      return msg("This connection flow isn't set up correctly. Contact the support team of the app you're using.", {
        id: 'conduit.error.invalidConfig',
      });
  }
}

/**
 * How long until the user may try again. The duration comes from
 * Intl.RelativeTimeFormat, so its plural is the locale's own, all six of
 * Arabic's forms included ("in 2 seconds", "خلال ثانيتين").
 */
export function retryCountdown(seconds: number): string {
  const when = new Intl.RelativeTimeFormat(currentLocale(), { numeric: 'always' }).format(seconds, 'second');
  return msg(str`You can try again ${when}.`, {
    id: 'conduit.error.retryIn',
    desc: 'The placeholder is a localized duration such as "in 5 seconds".',
  });
}

/** The support reference shown under an error, so the user can quote it. */
export function supportReference(correlationId: string): string {
  return msg(str`Support reference: ${correlationId}`, { id: 'conduit.error.reference' });
}
