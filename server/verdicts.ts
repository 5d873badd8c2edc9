import type { Verification } from './chargify/types.js';
import { ContractError } from './http.js';

// Chargify's verdict on a key, as the contract's error table says it (DESIGN §6).
// The key was wrong, so the request was bad: 4xx with a detailedErrorCode; 401 is
// kept for the session token.
export function verdictError(verification: Exclude<Verification, { outcome: 'verified' }>): ContractError {
  switch (verification.outcome) {
    case 'invalid_credentials':
      return new ContractError(400, 'Chargify did not accept this API key at this address (401); check the key and the subdomain.', {
        detailedErrorCode: 10002,
      });
    case 'site_not_found':
      return verification.otherRegion
        ? new ContractError(400, `This key opens this site in the ${verification.otherRegion} region, not the one chosen.`, {
            detailedErrorCode: 10003,
            hint: { region: verification.otherRegion },
          })
        : new ContractError(400, 'No Chargify site answered to this key at this address, in either region; check the subdomain and the key.', {
            detailedErrorCode: 10003,
          });
    case 'access_refused':
      return new ContractError(400, `Chargify refused access to this site (HTTP ${verification.status}).`, { detailedErrorCode: 10004 });
    case 'account_blocked':
      return new ContractError(400, `Chargify blocked access to this account: ${verification.reason}`, { detailedErrorCode: 10005 });
    case 'site_data_clearing':
      return new ContractError(503, 'Chargify is clearing this site’s data; try again later.', {
        detailedErrorCode: 10010,
        retryAfter: verification.retryAfter,
      });
    case 'too_many_attempts':
      return tooManyAttempts(verification.retryAfter);
    case 'rate_limited':
      return new ContractError(429, 'Chargify is throttling requests for this site.', {
        detailedErrorCode: 10007,
        retryAfter: verification.retryAfter,
      });
    case 'upstream_unavailable':
      return new ContractError(503, 'Chargify is not answering right now.', {
        detailedErrorCode: 10008,
        retryAfter: verification.retryAfter,
      });
  }
}

/** Our own limit on attempts (not Chargify's throttling): 429 with its own code. */
export function tooManyAttempts(retryAfter: number): ContractError {
  return new ContractError(429, 'Too many attempts; wait before trying again.', { detailedErrorCode: 10011, retryAfter });
}
