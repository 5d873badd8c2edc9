import { fileURLToPath } from 'node:url';
import { basename } from 'node:path';
import { defineConfig, normalizePath, type LibraryOptions, type Plugin } from 'vite';
import { litDecorators } from './build/compile-decorators.js';
import { leanTemplates } from './build/minify-templates.js';
import { renamePrivate } from './build/rename-private.js';

// In Vite's spelling of module ids (forward slashes, on Windows too), which the build steps compare it with.
const SOURCE_DIR = normalizePath(fileURLToPath(new URL('./src/', import.meta.url)));

const STR = fileURLToPath(new URL('./src/localization/str.ts', import.meta.url));
const GENERATED_LOCALES = `${SOURCE_DIR}localization/generated/`;

// The CDN build's locale files must not import the bundle by its file name: a
// CDN path or a partner's copy may rename it, and German would then fail to
// load. The shared `str` tag would land in the entry, so each locale module
// gets a module of its own for it (str.ts under another id), and with it a
// copy of those few bytes in its own file.
function strPerLocale(): Plugin {
  return {
    name: 'conduit:str-per-locale',
    enforce: 'pre',
    resolveId(source, importer) {
      if (importer?.startsWith(GENERATED_LOCALES) && (source === '@lit/localize' || source === STR)) return `${STR}?locale=${basename(importer, '.ts')}`;
      return null;
    },
  };
}

// `vite build`: the npm package, ESM, lit as a dependency, one file per module.
// `vite build --mode bundle`: one minified file with Lit inside, for a
// <script type="module"> on any page.
export default defineConfig(({ mode }) => {
  const bundle = mode === 'bundle';
  const lib: LibraryOptions = bundle
    ? { entry: { 'conduit-link.bundle': 'src/define.ts' }, formats: ['es'], fileName: (_format, name) => `${name}.js` }
    : { entry: { index: 'src/index.ts', define: 'src/define.ts', react: 'src/react.ts' }, formats: ['es'] };
  return {
    publicDir: false,
    // Private names are shortened before the decorators become `static properties`,
    // so that map names the members by the names the class then uses.
    plugins: [...(bundle ? [strPerLocale()] : []), leanTemplates(SOURCE_DIR), renamePrivate(SOURCE_DIR), litDecorators(SOURCE_DIR)],
    resolve: {
      conditions: ['production'],
      // The generated locale modules import `str` from @lit/localize; ours is the
      // same tag without the package's runtime set-up (see src/localization/str.ts).
      alias: [{ find: /^@lit\/localize$/, replacement: fileURLToPath(new URL('./src/localization/str.ts', import.meta.url)) }],
    },
    build: {
      target: 'es2022',
      outDir: 'dist',
      emptyOutDir: !bundle,
      copyPublicDir: false,
      minify: bundle,
      sourcemap: true,
      lib,
      rollupOptions: bundle
        ? // Vite leaves whitespace in ES library output; the bundle is for pages, so minify fully.
          {
            // Exactly the entry's own exports: a locale file can never import
            // the bundle (see strPerLocale).
            preserveEntrySignatures: 'strict',
            output: { minify: true, comments: false, chunkFileNames: 'locales/[name].js' },
          }
        : {
            // Not @lit/localize: the alias above gives the locale modules our `str`.
            external: [/^lit($|\/)/, /^@lit\/(?!localize$)/, /^react($|\/)/],
            output: { preserveModules: true, preserveModulesRoot: 'src', entryFileNames: '[name].js' },
          },
    },
  };
});
