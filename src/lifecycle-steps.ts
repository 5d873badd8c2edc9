import { ConduitLifecycle } from './components/conduit-lifecycle/conduit-lifecycle.js';
import { defineElements } from './registry.js';

// A connection's life after the first connect (connected, deauthorized, disconnect,
// hand-off): its screens and what they do, a chunk of their own, which <conduit-link>
// loads only when one of them is needed, so the first connect never pays for them.
defineElements({ 'conduit-lifecycle': ConduitLifecycle });

export { LifecycleFlow } from './components/conduit-link/lifecycle-flow.js';
