import { runBackend } from './run.js';

// `npm run backend`, in the repository: the backend as the installed package runs
// it, plus the simulated Chargify of mocks/chargify.ts (MSW), which is what
// CHARGIFY_MODE=simulated, the default outside production, answers from. MSW and
// mocks/ are dev-only, so only this entry loads them, and only in that mode.
await runBackend(process.env, {
  simulate: async () => {
    const [{ setupServer }, chargify] = await Promise.all([import('msw/node'), import('../mocks/chargify.js')]);
    setupServer(...chargify.chargifyHandlers).listen({ onUnhandledRequest: 'bypass' });
    return chargify.simulatorControls;
  },
});
