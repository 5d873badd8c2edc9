import { ConduitError, codeForResponse } from './errors.js';
import { parseRetryAfter } from './timing.js';
import type { ValidationItem } from './types.js';

// Reading the backend's answers (DESIGN §6): what the client keeps of a body, a
// correlation id or an error, and what it refuses because it repeats the API key.

// The reference backend's rule for a correlation id; anything else is not shown as one.
const CORRELATION_ID = /^[A-Za-z0-9-]{8,64}$/;

/** A response read in full, within the request's timeout. */
export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  /** The backend answered with a redirect (never followed: see BackendClient's `send`). */
  redirect: boolean;
}

function readJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Whether `text` holds the secret; without a secret, nothing does. */
function mentions(text: string, secret: string | undefined): boolean {
  return secret !== undefined && secret !== '' && text.includes(secret);
}

/** Whether any string of a JSON value, a property name included, holds the secret. */
function repeats(json: unknown, secret: string | undefined): boolean {
  // A loop rather than recursion: a hostile answer may nest deeper than the stack goes.
  const pending: unknown[] = [json];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value === 'string' && mentions(value, secret)) return true;
    if (typeof value === 'object' && value !== null) {
      for (const [name, item] of Object.entries(value)) {
        if (mentions(name, secret)) return true;
        pending.push(item);
      }
    }
  }
  return false;
}

/** The backend's correlation id if it looks like one (and is not the secret), else the one we sent. */
function backendCorrelationId(candidates: readonly unknown[], sentId: string, secret: string | undefined): string {
  const valid = candidates.find(
    (candidate): candidate is string => typeof candidate === 'string' && CORRELATION_ID.test(candidate) && !mentions(candidate, secret),
  );
  return valid ?? sentId;
}

// The fix comes first: a long path may be cut off the end of the message.
export function redirectError(method: string, path: string, correlationId: string): ConduitError {
  return new ConduitError(
    'bad_response',
    `Point backend-url at the final URL: the backend answered ${method} ${path} with a redirect, and the widget never follows one.`,
    { correlationId, setupProblem: true },
  );
}

export function parseBody<T>(reply: Reply, parse: (json: unknown) => T | null, sentId: string, secret: string | undefined): T {
  const correlationId = backendCorrelationId([reply.headers.get('X-Correlation-Id')], sentId, secret);
  const json = readJson(reply.text);
  // Whatever else such an answer holds, the backend has shown it mishandles the key.
  if (mentions(reply.text, secret) || repeats(json, secret)) {
    throw new ConduitError('bad_response', 'The backend echoed the API key in its answer, so nothing of that answer is used.', {
      status: reply.status,
      correlationId,
    });
  }
  const result = parse(json);
  if (result === null) {
    // The raw body is deliberately not kept: it may be a proxy's HTML page or worse.
    throw new ConduitError('bad_response', 'The backend answered with something other than the expected JSON.', {
      status: reply.status,
      correlationId,
    });
  }
  return result;
}

/** The well-formed items of an error's `validation.errors`, with no message that repeats the secret. */
function validationItems(errors: unknown, secret: string | undefined): ValidationItem[] {
  if (!Array.isArray(errors)) return [];
  return errors
    .filter(
      (item): item is ValidationItem =>
        typeof item?.itemId === 'string' && typeof item?.message === 'string' && !mentions(item.itemId, secret),
    )
    // Which field was refused still matters to the form; the words that repeat the key do not.
    .map(({ itemId, message }) => ({ itemId, message: mentions(message, secret) ? '' : message }));
}

export function errorFromReply(reply: Reply, sentId: string, secret: string | undefined): ConduitError {
  const json = readJson(reply.text);
  const body = typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : {};
  const hint = body.hint as { region?: unknown } | undefined;
  const serverMessage = typeof body.error === 'string' && !mentions(body.error, secret) ? body.error : null;
  return new ConduitError(codeForResponse(reply.status, body.detailedErrorCode), serverMessage ?? `The backend answered ${reply.status}.`, {
    status: reply.status,
    correlationId: backendCorrelationId([body.correlationId, reply.headers.get('X-Correlation-Id')], sentId, secret),
    retryAfter: parseRetryAfter(reply.headers.get('Retry-After')) ?? undefined,
    detailedErrorCode: Number.isSafeInteger(body.detailedErrorCode) ? (body.detailedErrorCode as number) : undefined,
    regionHint: hint?.region === 'US' || hint?.region === 'EU' ? hint.region : undefined,
    validation: validationItems((body.validation as { errors?: unknown } | null | undefined)?.errors, secret),
  });
}
