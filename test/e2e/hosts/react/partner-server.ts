// The partner's own server mints the session token (POST /sessions on the
// Conduit backend, with its partner secret) for the signed-in user's company
// and passes the token on; the browser never sees the partner secret.
export async function fetchSessionToken(): Promise<string> {
  const response = await fetch('/partner/conduit-token');
  if (!response.ok) throw new Error(`The partner server gave no session token (${response.status}).`);
  return response.text();
}
