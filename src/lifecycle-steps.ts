import { ConduitLifecycle } from './components/conduit-lifecycle/conduit-lifecycle.js';
import { defineElements } from './registry.js';

// The screens of a connection's life after the first connect (connected, deauthorized,
// disconnect, hand-off): a chunk of their own, which <conduit-link> loads only when
// one of them is needed, so the first connect never pays for them (see define.ts).
defineElements({ 'conduit-lifecycle': ConduitLifecycle });
