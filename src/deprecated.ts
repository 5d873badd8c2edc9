import { ConduitLinkElement } from './components/conduit-link/conduit-link.js';

/**
 * The element class's name in 0.1, kept for one version. `ConduitLink` is now the React
 * component (`conduit-link/react`), and the class is `ConduitLinkElement`.
 * @deprecated Use `ConduitLinkElement`; this alias goes in 0.3.
 */
export const ConduitLink = ConduitLinkElement;
/** @deprecated Use `ConduitLinkElement`; this alias goes in 0.3. */
export type ConduitLink = ConduitLinkElement;
