// Types <conduit-link> in templates (vue-tsc, Volar): its properties, and each
// `@conduit-…` handler's event class.
/// <reference types="conduit-link/vue" />

declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent<Record<string, unknown>>;
  export default component;
}
