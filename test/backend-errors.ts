// Error answers in Codat's shape (DESIGN §6), as a partner's backend sends
// them, for tests that make the backend fail in a way the mock backend does not.
import { HttpResponse } from 'msw';

/** An error response in Codat's shape: `status`, with `fields` over a generic body. */
export function codatError(status: number, fields: Record<string, unknown> = {}, headers?: Record<string, string>): Response {
  return HttpResponse.json(
    {
      statusCode: status,
      service: 'conduit-backend',
      error: `Request failed with ${status}.`,
      validation: null,
      canBeRetried: 'Unknown',
      ...fields,
    },
    { status, headers },
  );
}
