// CORS for the widget's calls, only for the partner's configured origins.
// The allow-list is exactly the headers the widget sends (DESIGN §6).

const ALLOW_HEADERS = 'Authorization, Content-Type, Idempotency-Key, X-Correlation-Id';
const EXPOSE_HEADERS = 'Retry-After, X-Correlation-Id';
const ALLOW_METHODS = 'GET, POST, PUT, PATCH, DELETE';

export function isAllowedOrigin(origin: string | null, allowed: readonly string[]): origin is string {
  return origin !== null && allowed.includes(origin);
}

/** Headers that let an allowed origin read this response. */
export function corsHeaders(origin: string): Record<string, string> {
  return { 'Access-Control-Allow-Origin': origin, 'Access-Control-Expose-Headers': EXPOSE_HEADERS, Vary: 'Origin' };
}

/** The answer to a preflight: allowed origins get the allow-lists, others a bare 403. */
export function preflight(origin: string | null, allowed: readonly string[]): Response {
  if (!isAllowedOrigin(origin, allowed)) return new Response(null, { status: 403, headers: { Vary: 'Origin' } });
  return new Response(null, {
    status: 204,
    headers: {
      ...corsHeaders(origin),
      'Access-Control-Allow-Methods': ALLOW_METHODS,
      'Access-Control-Allow-Headers': ALLOW_HEADERS,
      'Access-Control-Max-Age': '600',
    },
  });
}
