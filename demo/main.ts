import { BackendClient, CONDUIT_EVENT_TYPES, unlinkConnection, type ConduitLinkElement } from '../src/index.js';

// A partner's host page. The flow talks to the reference backend over HTTP;
// the session token comes from the partner's own server (/partner/session).
declare const __CONDUIT_BACKEND_URL__: string;
const backendUrl = __CONDUIT_BACKEND_URL__;
const companyId = 'acme-inc';

const log = document.querySelector<HTMLOListElement>('#event-log')!;

function logEvent(event: Event): void {
  const source = (event.target as HTMLElement).id;
  const fields = Object.fromEntries(Object.entries(event).filter(([name]) => name !== 'isTrusted'));
  const item = document.createElement('li');
  const type = document.createElement('span');
  type.className = 'type';
  type.textContent = event.type;
  item.append(type, ` (${source}) ${JSON.stringify(fields)}`);
  log.prepend(item);
}

for (const type of CONDUIT_EVENT_TYPES) document.addEventListener(type, logEvent);

async function fetchSessionToken(): Promise<string> {
  const response = await fetch('/partner/session', { method: 'POST' });
  if (!response.ok) throw new Error('No session token');
  return ((await response.json()) as { token: string }).token;
}

// A colleague's link (handoff-url + conduit_handoff=…): this page is the colleague's. The
// flow gets the hand-off token instead of a company and a session, and the token leaves the
// address bar, so it is not bookmarked or shared again by accident.
const handoffToken = new URL(location.href).searchParams.get('conduit_handoff');
if (handoffToken) {
  const url = new URL(location.href);
  url.searchParams.delete('conduit_handoff');
  history.replaceState(null, '', url);
  document.querySelector<HTMLElement>('#colleague-note')!.hidden = false;
  const inline = document.querySelector<ConduitLinkElement>('#inline-flow')!;
  inline.backendUrl = backendUrl;
  inline.handoffToken = handoffToken;
} else {
  const token = await fetchSessionToken();
  for (const flow of document.querySelectorAll<ConduitLinkElement>('conduit-link')) {
    flow.backendUrl = backendUrl;
    flow.companyId = companyId;
    flow.sessionToken = token;
    flow.fetchSessionToken = fetchSessionToken;
    // The colleague opens this same page with the link's parameter.
    flow.handoffUrl = new URL('/', location.href).href;
  }
}

await import('../src/define.js');

const modal = document.querySelector<ConduitLinkElement>('#modal-flow')!;
document.querySelector('#open-modal')!.addEventListener('click', () => modal.open());

// What a partner sets with attributes and CSS alone: language, theme, brand colour.
document.querySelector('#options')!.addEventListener('input', (event) => {
  const { name, value } = event.target as HTMLInputElement | HTMLSelectElement;
  for (const flow of document.querySelectorAll<ConduitLinkElement>('conduit-link')) {
    if (name === 'primary') flow.style.setProperty('--conduit-color-primary', value);
    else if (value) flow.setAttribute(name, value);
    else flow.removeAttribute(name);
  }
});

// Lets the visitor try again: unlinks the company's connections, as a
// partner's settings page would, with the same client the flow uses.
document.querySelector('#reset')!.addEventListener('click', async () => {
  const client = new BackendClient({ baseUrl: backendUrl, companyId, sessionToken: await fetchSessionToken() });
  for (const connection of await client.listConnections()) {
    if (connection.status === 'Linked') await unlinkConnection(client, connection.id);
  }
  location.reload();
});

// The simulated Chargify (reference backend in simulated mode), through the partner server:
// revoking the demo key makes the next opening of the flow find the connection deauthorized.
async function simulator(action: 'revoke' | 'restore'): Promise<void> {
  const response = await fetch(`/partner/simulator/${action}`, { method: 'POST' });
  if (!response.ok) {
    alert(`The simulator did not answer (${response.status}): is the backend running in simulated mode?`);
    return;
  }
  location.reload();
}
document.querySelector('#revoke')!.addEventListener('click', () => void simulator('revoke'));
document.querySelector('#restore')!.addEventListener('click', () => void simulator('restore'));
