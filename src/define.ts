import { ConduitCredentials } from './components/conduit-credentials/conduit-credentials.js';
import { ConduitIntegrationPicker } from './components/conduit-integration-picker/conduit-integration-picker.js';
import { ConduitLinkElement } from './components/conduit-link/conduit-link.js';
import { ConduitPermissions } from './components/conduit-permissions/conduit-permissions.js';
import { ConduitSuccess } from './components/conduit-success/conduit-success.js';
import { ConduitSupportReference } from './components/conduit-support-reference/conduit-support-reference.js';

import { VERSION } from './version.js';

export * from './index.js';

const elements: Record<string, CustomElementConstructor> = {
  'conduit-link': ConduitLinkElement,
  'conduit-integration-picker': ConduitIntegrationPicker,
  'conduit-permissions': ConduitPermissions,
  'conduit-credentials': ConduitCredentials,
  'conduit-success': ConduitSuccess,
  'conduit-support-reference': ConduitSupportReference,
};

// Two copies of the package on one page (a partner's bundle and a CDN script,
// say) must not throw: the first definition wins, and the clash is reported
// with both versions. (Each copy marks its classes with its version.)
for (const [tag, element] of Object.entries(elements)) {
  Object.defineProperty(element, 'conduitVersion', { value: VERSION, configurable: true });
  const existing = customElements.get(tag) as (CustomElementConstructor & { conduitVersion?: string }) | undefined;
  if (!existing) customElements.define(tag, element);
  else if (existing !== element) {
    console.warn(`<${tag}> is already defined by conduit-link ${existing.conduitVersion ?? '(unknown version)'}; keeping it and ignoring this copy, ${VERSION}.`);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'conduit-link': ConduitLinkElement;
    'conduit-integration-picker': ConduitIntegrationPicker;
    'conduit-permissions': ConduitPermissions;
    'conduit-credentials': ConduitCredentials;
    'conduit-success': ConduitSuccess;
    'conduit-support-reference': ConduitSupportReference;
  }
}
