import type { Region } from '../src/backend/types.js';

// Responses in the contract's shapes (DESIGN §6): JSON, and Codat's error body.

export const SERVICE = 'conduit-reference-backend';

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers },
  });
}

export interface ErrorDetails {
  detailedErrorCode?: number;
  /** On 405: what the path allows. */
  allow?: string;
  validation?: { itemId: string; message: string }[];
  retryAfter?: number;
  hint?: { region: Region };
}

/** A failure in Codat's error shape; `Retry-After` when the caller should wait. */
export class ContractError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details: ErrorDetails = {},
  ) {
    super(message);
  }

  toResponse(correlationId: string): Response {
    const { detailedErrorCode, validation, retryAfter, hint, allow } = this.details;
    const retryable = this.status === 429 || this.status >= 500;
    return json(
      this.status,
      {
        statusCode: this.status,
        service: SERVICE,
        error: this.message,
        correlationId,
        // Null unless a field is wrong (DESIGN §6): never an empty list.
        validation: validation && validation.length > 0 ? { errors: validation, warnings: [] } : null,
        canBeRetried: retryable ? 'True' : 'False',
        detailedErrorCode: detailedErrorCode ?? null,
        ...(hint ? { hint } : {}),
      },
      {
        ...(retryAfter === undefined ? {} : { 'Retry-After': String(retryAfter) }),
        ...(allow === undefined ? {} : { Allow: allow }),
      },
    );
  }
}

export function invalidInput(message: string, validation: { itemId: string; message: string }[] = []): ContractError {
  return new ContractError(400, message, { detailedErrorCode: 10001, validation });
}

export const MAX_BODY = 16 * 1024;

/** A JSON object body, or a 400 that says what is wrong. */
export function parseJsonObject(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // Falls through to the same answer as a non-object body.
  }
  throw invalidInput('The request body must be a JSON object.');
}
