// What Vue's template checker (vue-tsc) reads for App.vue's <conduit-link>,
// checked with plain tsc: the element as `conduit-link/vue` declares it.
import type { ConduitConnectionEvent } from 'conduit-link';
import type { GlobalComponents } from 'vue';

type Flow = InstanceType<GlobalComponents['conduit-link']>;

export const props: Flow['$props'] = {
  backendUrl: 'https://api.example.com/conduit',
  companyId: 'acme',
  sessionToken: 'token',
  mode: 'modal',
  partnerName: 'Northwind Capital',
};

// @ts-expect-error the mode is inline or modal
export const wrongMode: Flow['$props'] = { mode: 'sheet' };

export function listen(emit: Flow['$emit'], connection: ConduitConnectionEvent): void {
  emit('conduit-connection', connection);
  // @ts-expect-error @conduit-connection hands over a ConduitConnectionEvent, not any Event
  emit('conduit-connection', new Event('conduit-connection'));
}

// A template ref is the element itself.
export const open = (flow: Flow) => flow.open();
