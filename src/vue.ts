// Types only, for Vue 3 apps: `import type {} from 'conduit-link/vue'` once (in
// env.d.ts, say) and Vue's tooling (vue-tsc, Volar) checks `<conduit-link>` in
// templates: its properties, and `@conduit-…` handlers getting each event's
// class. Nothing here runs; the elements still register through
// `conduit-link/define.js`. The shape is the one Vue's guide gives for custom
// elements: a constructor whose instance carries `$props` and `$emit` for the
// template checker only.
import type { EmitFn, HTMLAttributes, PublicProps } from 'vue';
import type { ConduitLinkElement } from './components/conduit-link/conduit-link.js';
import type { CONDUIT_EVENT_TYPES } from './events/types.js';

/** What a template may set on `<conduit-link>`, as attributes or with `.prop`. */
export type ConduitLinkProps = Partial<
  Pick<
    ConduitLinkElement,
    | 'backendUrl'
    | 'companyId'
    | 'sessionToken'
    | 'fetchSessionToken'
    | 'partnerName'
    | 'integration'
    | 'mode'
    | 'theme'
    | 'locale'
    | 'texts'
    | 'requestTimeout'
  >
>;

/** Each public event by name, as `@conduit-connection` receives it. */
export type ConduitLinkEvents = { [Name in (typeof CONDUIT_EVENT_TYPES)[number]]: (event: GlobalEventHandlersEventMap[Name]) => void };

/** `<conduit-link>` as Vue's template checker sees it. */
export type ConduitLinkVueElement = new () => ConduitLinkElement & {
  /** @deprecated For template checking only; a ref to the element has no `$props`. */
  $props: HTMLAttributes & ConduitLinkProps & PublicProps;
  /** @deprecated For template checking only; a ref to the element has no `$emit`. */
  $emit: EmitFn<ConduitLinkEvents>;
};

declare module 'vue' {
  interface GlobalComponents {
    'conduit-link': ConduitLinkVueElement;
  }
}
