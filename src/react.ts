// React components for React 17–19, with the flow's events as typed props:
// `<ConduitLink onConnection={(event) => event.connectionId} />`. Importing
// this registers the elements (see define.ts).
import { createComponent, type EventName } from '@lit/react';
import * as React from 'react';
import { ConduitLink as ConduitLinkElement } from './components/conduit-link/conduit-link.js';
import './define.js';
import { ConduitCloseEvent } from './events/close.js';
import { ConduitConnectionStartedEvent } from './events/connection-started.js';
import { ConduitConnectionEvent } from './events/connection.js';
import { ConduitConsentEvent } from './events/consent.js';
import { ConduitErrorEvent } from './events/error.js';
import { ConduitFinishEvent } from './events/finish.js';
import { ConduitIntegrationSelectEvent } from './events/integration-select.js';
import { ConduitReadyEvent } from './events/ready.js';
import { ConduitRequestCloseEvent } from './events/request-close.js';
import { ConduitStepChangeEvent } from './events/step-change.js';

/** `<conduit-link>` as a React component; attributes and properties are props, events are `on…` props. */
export const ConduitLink = createComponent({
  tagName: 'conduit-link',
  elementClass: ConduitLinkElement,
  react: React,
  displayName: 'ConduitLink',
  events: {
    onReady: ConduitReadyEvent.eventName as EventName<ConduitReadyEvent>,
    onStepChange: ConduitStepChangeEvent.eventName as EventName<ConduitStepChangeEvent>,
    onIntegrationSelect: ConduitIntegrationSelectEvent.eventName as EventName<ConduitIntegrationSelectEvent>,
    onConsent: ConduitConsentEvent.eventName as EventName<ConduitConsentEvent>,
    onConnectionStarted: ConduitConnectionStartedEvent.eventName as EventName<ConduitConnectionStartedEvent>,
    onConnection: ConduitConnectionEvent.eventName as EventName<ConduitConnectionEvent>,
    onError: ConduitErrorEvent.eventName as EventName<ConduitErrorEvent>,
    onRequestClose: ConduitRequestCloseEvent.eventName as EventName<ConduitRequestCloseEvent>,
    onClose: ConduitCloseEvent.eventName as EventName<ConduitCloseEvent>,
    onFinish: ConduitFinishEvent.eventName as EventName<ConduitFinishEvent>,
  },
});
