import { VERSION } from './version.js';

/**
 * Registers elements under their tags. Two copies of the package on one page (a
 * partner's bundle and a CDN script, say) must not throw: the first definition
 * wins, and the clash is reported with both versions. (Each copy marks its
 * classes with its version.)
 */
export function defineElements(elements: Record<string, CustomElementConstructor>): void {
  for (const [tag, element] of Object.entries(elements)) {
    Object.defineProperty(element, 'conduitVersion', { value: VERSION, configurable: true });
    const existing = customElements.get(tag) as (CustomElementConstructor & { conduitVersion?: string }) | undefined;
    if (!existing) customElements.define(tag, element);
    else if (existing !== element) {
      console.warn(`<${tag}> is already defined by conduit-link ${existing.conduitVersion ?? '(unknown version)'}; keeping it and ignoring this copy, ${VERSION}.`);
    }
  }
}
