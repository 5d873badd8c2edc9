import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const repo = fileURLToPath(new URL('..', import.meta.url));

// `npm start`: the partner's host page, with the MSW contract backend as its
// embedded default, so it works offline with no set-up.
export default defineConfig({
  root,
  publicDir: `${repo}public`,
  server: { host: 'localhost', port: Number(process.env.PORT ?? 5173), fs: { allow: [repo] } },
  preview: { host: 'localhost' },
});
