import { defineConfig } from 'vite';

// `vite build`: the npm package, ESM, lit as a dependency, one file per module.
// `vite build --mode bundle`: one minified file with Lit inside, for a
// <script type="module"> on any page.
export default defineConfig(({ mode }) => {
  const bundle = mode === 'bundle';
  return {
    publicDir: false,
    resolve: { conditions: ['production'] },
    build: {
      target: 'es2022',
      outDir: 'dist',
      emptyOutDir: !bundle,
      copyPublicDir: false,
      minify: bundle,
      sourcemap: true,
      lib: bundle
        ? { entry: 'src/define.ts', formats: ['es'], fileName: () => 'conduit-link.bundle.js' }
        : { entry: { index: 'src/index.ts', define: 'src/define.ts' }, formats: ['es'] },
      rollupOptions: bundle
        ? // Vite leaves whitespace in ES library output; the bundle is for pages, so minify fully.
          { output: { minify: true, codeSplitting: false } }
        : {
            external: [/^lit($|\/)/, /^@lit\//],
            output: { preserveModules: true, preserveModulesRoot: 'src', entryFileNames: '[name].js' },
          },
    },
  };
});
