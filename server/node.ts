import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { MAX_BODY } from './http.js';
import type { Handler } from './handler.js';

// Node's http module on one side, the web-standard handler on the other.

async function toRequest(incoming: IncomingMessage, outgoing: ServerResponse): Promise<Request> {
  const url = `http://${incoming.headers.host ?? 'localhost'}${incoming.url ?? '/'}`;
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (Array.isArray(value)) value.forEach((item) => headers.append(name, item));
    else if (value !== undefined) headers.set(name, value);
  }
  const method = incoming.method ?? 'GET';
  if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return new Request(url, { method, headers });
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of incoming) {
    size += (chunk as Buffer).length;
    chunks.push(chunk as Buffer);
    // Stop reading once over the limit; the handler answers 413 for what it is given.
    // The unread rest would stall the next request on this connection, so it closes after that answer.
    if (size > MAX_BODY) {
      outgoing.setHeader('Connection', 'close');
      break;
    }
  }
  return new Request(url, { method, headers, body: Buffer.concat(chunks) });
}

async function send(response: Response, outgoing: ServerResponse): Promise<void> {
  outgoing.writeHead(response.status, Object.fromEntries(response.headers.entries()));
  outgoing.end(Buffer.from(await response.arrayBuffer()));
}

/** Serves `handler` on `port` (0 for any free one). */
export function serve(handler: Handler, port: number, host = '127.0.0.1'): Promise<Server> {
  const server = createServer((incoming, outgoing) => {
    toRequest(incoming, outgoing)
      .then(handler)
      .then((response) => send(response, outgoing))
      .catch(() => {
        outgoing.statusCode = 500;
        outgoing.end();
      });
  });
  return new Promise((resolve) => server.listen(port, host, () => resolve(server)));
}
