import { ConduitIntegrationPicker } from './components/conduit-integration-picker/conduit-integration-picker.js';
import { ConduitLinkElement } from './components/conduit-link/conduit-link.js';
import { ConduitSupportReference } from './components/conduit-support-reference/conduit-support-reference.js';
import type { ConduitLifecycle } from './components/conduit-lifecycle/conduit-lifecycle.js';
import type { ConduitCredentials } from './components/conduit-credentials/conduit-credentials.js';
import type { ConduitPermissions } from './components/conduit-permissions/conduit-permissions.js';
import type { ConduitSuccess } from './components/conduit-success/conduit-success.js';
import { defineElements } from './registry.js';

// The classes, events and types, but the later steps' classes: those are `conduit-link`'s.
export * from './api.js';

// What the first screen needs, now; the later steps come in a chunk of their own
// once the flow's first screen is up (LATER_STEPS), so a host page pays for them
// only while the user reads the picker.
defineElements({
  'conduit-link': ConduitLinkElement,
  'conduit-integration-picker': ConduitIntegrationPicker,
  'conduit-support-reference': ConduitSupportReference,
});
ConduitLinkElement.loadLaterSteps = () => import('./later-steps.js');

declare global {
  interface HTMLElementTagNameMap {
    'conduit-link': ConduitLinkElement;
    'conduit-integration-picker': ConduitIntegrationPicker;
    'conduit-permissions': ConduitPermissions;
    'conduit-credentials': ConduitCredentials;
    'conduit-success': ConduitSuccess;
    'conduit-lifecycle': ConduitLifecycle;
    'conduit-support-reference': ConduitSupportReference;
  }
}
