import { fileURLToPath } from 'node:url';
import { minifyTemplateLiterals } from 'rollup-plugin-minify-template-literals';
import { defineConfig, normalizePath, type LibraryOptions } from 'vite';

// In Vite's spelling of module ids (forward slashes, on Windows too), which the plugins below compare it with.
const SOURCE_DIR = normalizePath(fileURLToPath(new URL('./src/', import.meta.url)));

const LOCALE_FILES = /\/localization\/generated\/(?!locale-codes)|@lit[\\/]localize/;

/** A chunk of translations: every module in it is a generated locale or @lit/localize's `str`. */
function isLocaleChunk(moduleIds: readonly string[]): boolean {
  return moduleIds.length > 0 && moduleIds.every((id) => LOCALE_FILES.test(id));
}

// `vite build`: the npm package, ESM, lit as a dependency, one file per module,
// published readable (templates and names as written, source maps beside them):
// partners' bundlers minify, as lit.dev advises.
// `vite build --mode bundle`: one minified file with Lit inside, for a
// <script type="module"> on any page; only it gets its html`` and css`` minified.
export default defineConfig(({ mode }) => {
  const bundle = mode === 'bundle';
  const lib: LibraryOptions = bundle
    ? { entry: { 'conduit-link.bundle': 'src/define.ts' }, formats: ['es'], fileName: (_format, name) => `${name}.js` }
    : { entry: { index: 'src/index.ts', define: 'src/define.ts', react: 'src/react.ts' }, formats: ['es'] };
  return {
    publicDir: false,
    plugins: bundle
      ? [
          minifyTemplateLiterals({
            include: [`${SOURCE_DIR}**/*.ts`],
            // A template it fails to parse or minify stops the build rather than shipping as written.
            failOnError: true,
            options: {
              // A css`` that is a value or a list of declarations (src/styles/tokens.ts) is
              // not a style sheet: clean-css cannot parse it, and would warn on every build.
              shouldMinifyCSS: (template) => template.tag === 'css' && template.parts.some((part) => part.text.includes('{')),
            },
          }),
        ]
      : [],
    resolve: { conditions: ['production'] },
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
            // Exactly the entry's own exports, so a locale file never imports the bundle by
            // its file name (a CDN or a partner may rename it): what the locale files share,
            // @lit/localize's `str` tag, goes in a chunk of their own beside them.
            preserveEntrySignatures: 'strict',
            output: {
              minify: true,
              comments: false,
              // Everything the first screen runs in one file (chunks/first-screen.js), so it
              // compresses as one and a page can preload it beside the bundle; the later
              // chunks import from it. Languages (and the str tag they share) in locales/;
              // the later steps and the connection's screens in chunks/, under their own
              // names. Code that only later chunks share is named for what it is, told
              // apart by its hash (Rollup would name it after one of its modules).
              codeSplitting: { groups: [{ name: 'first-screen', tags: ['$initial'] }] },
              chunkFileNames: (chunk) =>
                isLocaleChunk(chunk.moduleIds)
                  ? 'locales/[name].js'
                  : chunk.isDynamicEntry || chunk.name === 'first-screen'
                    ? 'chunks/[name].js'
                    : 'chunks/shared-[hash].js',
            },
          }
        : {
            external: [/^lit($|\/)/, /^@lit\//, /^react($|\/)/],
            output: { preserveModules: true, preserveModulesRoot: 'src', entryFileNames: '[name].js' },
          },
    },
  };
});
