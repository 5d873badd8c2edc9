// The same app without the flow: what the page costs before the partner adds it.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <main>
      <h1>Northwind Capital</h1>
      <button type="button">Connect your billing system</button>
      <p id="host-status">Not connected</p>
    </main>
  </StrictMode>,
);
