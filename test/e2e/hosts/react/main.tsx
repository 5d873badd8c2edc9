// A partner's React 19 app, written the way the README shows: the flow from
// `conduit-link/react`, the session token fetched from the partner's own server
// once the app is on the page (`?token=late`, what most apps do) or before it
// renders (`?token=early`), and in modal mode `open()` through a ref.
import { StrictMode, useEffect, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import type { ConduitLinkElement } from 'conduit-link';
import { ConduitLink } from 'conduit-link/react';
import { fetchSessionToken } from './partner-server.js';

const root = document.getElementById('root')!;
const { backendUrl = '', companyId = '' } = root.dataset;
const params = new URLSearchParams(location.search);
const mode = params.get('mode') === 'modal' ? 'modal' : 'inline';

function App({ initialToken }: { initialToken?: string }) {
  const flow = useRef<ConduitLinkElement>(null);
  const [sessionToken, setSessionToken] = useState(initialToken);
  const [status, setStatus] = useState('Not connected');

  // After the element is on the page: the flow waits for the token, then starts.
  useEffect(() => {
    if (initialToken) return;
    let mounted = true;
    void fetchSessionToken().then((token) => {
      if (mounted) setSessionToken(token);
    });
    return () => {
      mounted = false;
    };
  }, [initialToken]);

  return (
    <main>
      <h1>Northwind Capital</h1>
      {mode === 'modal' && (
        <button type="button" onClick={() => flow.current?.open()}>
          Connect your billing system
        </button>
      )}
      <ConduitLink
        ref={flow}
        mode={mode}
        backendUrl={backendUrl}
        companyId={companyId}
        sessionToken={sessionToken}
        partnerName="Northwind Capital"
        onConnection={(event) => setStatus(`Billing connected: ${event.connectionInfo.siteName}`)}
        onFinish={(event) => setStatus(`Finished with connection ${event.connectionId}`)}
      />
      <p id="host-status">{status}</p>
    </main>
  );
}

const initialToken = params.get('token') === 'early' ? await fetchSessionToken() : undefined;
createRoot(root).render(
  <StrictMode>
    <App initialToken={initialToken} />
  </StrictMode>,
);
