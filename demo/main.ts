import { BackendClient, CONDUIT_EVENT_TYPES, type ConduitLinkElement } from '../src/index.js';

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

const token = await fetchSessionToken();
for (const flow of document.querySelectorAll<ConduitLinkElement>('conduit-link')) {
  flow.backendUrl = backendUrl;
  flow.companyId = companyId;
  flow.sessionToken = token;
  flow.fetchSessionToken = fetchSessionToken;
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
    if (connection.status === 'Linked') await client.unlinkConnection(connection.id);
  }
  location.reload();
});
