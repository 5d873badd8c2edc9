// A small static server for scripts that drive the built bundle in Chromium:
// pages the script writes, and dist/ (the bundle and its locale files).
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.map': 'application/json', '.html': 'text/html; charset=utf-8' };

export interface PageServer {
  origin: string;
  /** Serves `html` at `path` (e.g. `/light.html`). */
  page(path: string, html: string): void;
  close(): Promise<void>;
}

/** Serves `pages` from memory and anything else from `root`. */
export async function startPageServer(root: string): Promise<PageServer> {
  const pages = new Map<string, string>();
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const page = pages.get(path);
    const file = join(root, normalize(path).replace(/^(\.\.[/\\])+/, ''));
    try {
      const body = page ?? readFileSync(file);
      response.setHeader('Content-Type', page ? TYPES['.html']! : (TYPES[extname(file)] ?? 'application/octet-stream'));
      response.setHeader('Cache-Control', 'no-store');
      response.end(body);
    } catch {
      response.statusCode = 404;
      response.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    origin: `http://127.0.0.1:${port}`,
    page: (path, html) => void pages.set(path, html),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
