// React components for React 17–19, with the flow's events as typed props:
// `<ConduitLink onConnection={(event) => event.connectionId} />`. Importing
// this registers the elements (see define.ts).
import { createComponent, type EventName } from '@lit/react';
import * as React from 'react';
import { ConduitLinkElement } from './components/conduit-link/conduit-link.js';
import './define.js';
import { CONDUIT_EVENT_TYPES } from './events/types.js';

// Each event's prop is its name in camel case: `conduit-step-change` → `onStepChange`.
type Camel<Name extends string> = Name extends `${infer Head}-${infer Tail}` ? `${Head}${Capitalize<Camel<Tail>>}` : Name;
type PropOf<Name extends string> = Name extends `conduit-${infer Rest}` ? `on${Capitalize<Camel<Rest>>}` : never;
type EventProps = { [Name in (typeof CONDUIT_EVENT_TYPES)[number] as PropOf<Name>]: EventName<GlobalEventHandlersEventMap[Name]> };

function propOf(name: string): string {
  return `on${name.replace(/^conduit/, '').replace(/-(\w)/g, (_, letter: string) => letter.toUpperCase())}`;
}

/** `<conduit-link>` as a React component; attributes and properties are props, events are `on…` props. */
export const ConduitLink = createComponent({
  tagName: 'conduit-link',
  elementClass: ConduitLinkElement,
  react: React,
  displayName: 'ConduitLink',
  events: Object.fromEntries(CONDUIT_EVENT_TYPES.map((name) => [propOf(name), name])) as EventProps,
});
