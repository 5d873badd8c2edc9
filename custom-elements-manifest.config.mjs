// `npm run build` writes custom-elements.json from the JSDoc in src/
// (tags, attributes, properties, events, slots, parts, CSS properties), for
// Storybook's docs pages and for editors and frameworks that read it.
export default {
  globs: ['src/components/**/*.ts'],
  exclude: ['src/**/*.styles.ts'],
  outdir: '.',
  litelement: true,
  // package.json names the manifest already; the analyzer would otherwise rewrite it.
  packagejson: false,
  plugins: [
    {
      name: 'conduit-public-api-only',
      // The analyzer also lists the elements' helper modules (the retry gate,
      // the scroll lock…) and private members, and guesses events from
      // `dispatchEvent(new X(…))` without their names; the manifest is for
      // partners, and the `@fires` tags already document every public event.
      packageLinkPhase({ customElementsManifest }) {
        for (const module of customElementsManifest.modules) {
          module.declarations = (module.declarations ?? []).filter((declaration) => declaration.customElement);
          const kept = new Set(module.declarations.map((declaration) => declaration.name));
          module.exports = (module.exports ?? []).filter((entry) => kept.has(entry.declaration?.name));
          for (const declaration of module.declarations) {
            if (declaration.events) declaration.events = declaration.events.filter((event) => event.name?.startsWith('conduit-'));
            // Lit's `static properties` marks every property it lists public; a field
            // declared `private` (internal state) keeps its privacy, and its attribute
            // (the analyzer does not read `state: true`) goes with it.
            const internal = new Set((declaration.members ?? []).filter((member) => member.privacy && member.privacy !== 'public').map((member) => member.name));
            if (declaration.members) {
              declaration.members = declaration.members.filter((member) => !internal.has(member.name) && !member.static);
            }
            if (declaration.attributes) {
              declaration.attributes = declaration.attributes.filter((attribute) => !internal.has(attribute.fieldName));
              if (declaration.attributes.length === 0) delete declaration.attributes;
            }
          }
        }
        customElementsManifest.modules = customElementsManifest.modules.filter((module) => module.declarations.length > 0);
      },
    },
  ],
};
