import { setupWorker } from 'msw/browser';
import { MockBackend } from '../mocks/backend.js';
import type { ConduitLink } from '../src/index.js';

// A partner's host page. Its "backend" is the MSW contract backend running in
// a service worker, so the demo needs no server and no set-up.
const backend = new MockBackend({ baseUrl: '/api' });
await setupWorker(...backend.handlers).start({ onUnhandledRequest: 'bypass', quiet: true });

const EVENTS = [
  'conduit-ready',
  'conduit-step-change',
  'conduit-integration-select',
  'conduit-consent',
  'conduit-connection-started',
  'conduit-connection',
  'conduit-error',
  'conduit-request-close',
  'conduit-close',
  'conduit-finish',
];

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

for (const type of EVENTS) document.addEventListener(type, logEvent);

// What a partner's server would do: mint a short-lived token for this company.
let tokens = 0;
async function fetchSessionToken(): Promise<string> {
  return `demo-session-${++tokens}`;
}

for (const flow of document.querySelectorAll<ConduitLink>('conduit-link')) {
  flow.backendUrl = '/api';
  flow.companyId = 'acme-inc';
  flow.sessionToken = 'demo-session-0';
  flow.fetchSessionToken = fetchSessionToken;
}

// Registered only now, so the flows' first requests meet the service worker.
await import('../src/define.js');

const modal = document.querySelector<ConduitLink>('#modal-flow')!;
document.querySelector('#open-modal')!.addEventListener('click', () => modal.open());
document.querySelector('#reset')!.addEventListener('click', () => {
  backend.reset();
  location.reload();
});
