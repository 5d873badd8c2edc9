// React components for React 17–19, with the flow's events as typed props:
// `<ConduitLink onConnection={(event) => event.connectionId} />`. Importing
// this registers the elements (see define.ts).
import { createComponent, type EventName } from '@lit/react';
import * as React from 'react';
import { ConduitLink as ConduitLinkElement } from './components/conduit-link/conduit-link.js';
import './define.js';
import type { ConduitCloseEvent } from './events/close.js';
import type { ConduitConnectionStartedEvent } from './events/connection-started.js';
import type { ConduitConnectionEvent } from './events/connection.js';
import type { ConduitConsentEvent } from './events/consent.js';
import type { ConduitErrorEvent } from './events/error.js';
import type { ConduitFinishEvent } from './events/finish.js';
import type { ConduitIntegrationSelectEvent } from './events/integration-select.js';
import type { ConduitReadyEvent } from './events/ready.js';
import type { ConduitRequestCloseEvent } from './events/request-close.js';
import type { ConduitStepChangeEvent } from './events/step-change.js';

/** `<conduit-link>` as a React component; attributes and properties are props, events are `on…` props. */
export const ConduitLink = createComponent({
  tagName: 'conduit-link',
  elementClass: ConduitLinkElement,
  react: React,
  displayName: 'ConduitLink',
  events: {
    onReady: 'conduit-ready' as EventName<ConduitReadyEvent>,
    onStepChange: 'conduit-step-change' as EventName<ConduitStepChangeEvent>,
    onIntegrationSelect: 'conduit-integration-select' as EventName<ConduitIntegrationSelectEvent>,
    onConsent: 'conduit-consent' as EventName<ConduitConsentEvent>,
    onConnectionStarted: 'conduit-connection-started' as EventName<ConduitConnectionStartedEvent>,
    onConnection: 'conduit-connection' as EventName<ConduitConnectionEvent>,
    onError: 'conduit-error' as EventName<ConduitErrorEvent>,
    onRequestClose: 'conduit-request-close' as EventName<ConduitRequestCloseEvent>,
    onClose: 'conduit-close' as EventName<ConduitCloseEvent>,
    onFinish: 'conduit-finish' as EventName<ConduitFinishEvent>,
  },
});
