import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import { ContractError, MAX_BODY } from './http.js';
import type { Handler } from './handler.js';
import { createLogger, type Logger } from './log.js';

// Node's http module on one side, the web-standard handler on the other.
// The handler routes on the URL it is given, so that URL is built from the
// request target alone, on a fixed origin: a forged `Host` steers nothing.

export interface ServeOptions {
  host?: string;
  /** The origin request URLs are built on (`CONDUIT_PUBLIC_ORIGIN`). */
  publicOrigin?: string;
  /** Proxies in front whose `X-Forwarded-For` entries name the client; 0 trusts none. */
  trustProxy?: number;
  log?: Logger;
}

// Methods a Fetch `Request` cannot carry; the contract uses none of them.
const FORBIDDEN_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK']);
const ALLOW = 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS';
// A host name or an IP literal, with an optional port (RFC 9110 §7.2); nothing that could carry a path.
const HOST = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.?|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;
// Origin-form only (RFC 9112 §3.2.1): a path and query of visible ASCII, no fragment.
const ORIGIN_FORM = /^\/[\x21-\x7e]*$/;

/** Why a request is refused before it reaches the handler, or null when it may go on. */
function refusal(incoming: IncomingMessage): ContractError | null {
  const method = incoming.method ?? '';
  const target = incoming.url ?? '';
  if (!ORIGIN_FORM.test(target) || target.includes('#')) {
    return new ContractError(400, 'The request target must be a path (origin-form), such as /integrations.');
  }
  const host = incoming.headers.host;
  if (host === undefined || !HOST.test(host)) return new ContractError(400, 'The Host header is missing or malformed.');
  if (FORBIDDEN_METHODS.has(method)) return new ContractError(405, `${method} is not supported.`);
  return null;
}

/** The client's address: the socket's peer, or the entry the trusted proxies added in front of it. */
export function clientAddress(incoming: IncomingMessage, trustProxy: number): string | undefined {
  const peer = incoming.socket?.remoteAddress;
  if (trustProxy === 0) return peer;
  const forwarded = String(incoming.headers['x-forwarded-for'] ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  // Each trusted proxy appended the address it saw; what the client wrote itself comes before them.
  return forwarded.at(-trustProxy) ?? peer;
}

async function toRequest(incoming: IncomingMessage, outgoing: ServerResponse, origin: string): Promise<Request> {
  const url = `${origin}${incoming.url ?? '/'}`;
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
  const body = Buffer.from(await response.arrayBuffer());
  const headers = Object.fromEntries(response.headers.entries());
  // A length rather than chunks: every answer is small and whole; a 204 carries neither.
  if (response.status !== 204) headers['content-length'] = String(body.length);
  outgoing.writeHead(response.status, headers);
  outgoing.end(body);
}

/** Answers without the handler, in the contract's error shape, and logs it as the handler would. */
async function answerHere(error: ContractError, incoming: IncomingMessage, outgoing: ServerResponse, log: Logger): Promise<void> {
  const correlationId = randomUUID();
  const response = error.toResponse(correlationId);
  response.headers.set('X-Correlation-Id', correlationId);
  if (error.status === 405) response.headers.set('Allow', ALLOW);
  // Unread, a body would be taken for the next request.
  outgoing.setHeader('Connection', 'close');
  await send(response, outgoing);
  // The target as received may be anything; only its length says something safe.
  log.warn('request.refused', { method: incoming.method ?? '', status: error.status, correlationId, reason: error.message });
}

const REASONS: Record<number, string> = { 400: 'Bad Request', 405: 'Method Not Allowed', 431: 'Request Header Fields Too Large' };

/** An answer written straight to the socket, for requests that never become a request object. */
function answerOnSocket(socket: Socket, error: ContractError, log: Logger, event: string, reason: string): void {
  if (!socket.writable) return;
  const correlationId = randomUUID();
  void error
    .toResponse(correlationId)
    .text()
    .then((body) => {
      const allow = error.status === 405 ? `Allow: ${ALLOW}\r\n` : '';
      socket.end(
        `HTTP/1.1 ${error.status} ${REASONS[error.status]}\r\n` +
          `Content-Type: application/json; charset=utf-8\r\nCache-Control: no-store\r\nX-Correlation-Id: ${correlationId}\r\n${allow}` +
          `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
      log.warn(event, { status: error.status, correlationId, reason });
    });
}

// Requests Node's parser itself refuses (an unknown method, headers too large) never reach
// the listener: answer them in the contract's shape too, rather than with an empty 400.
function answerParseError(error: NodeJS.ErrnoException, socket: Socket, log: Logger): void {
  const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
  const refused = tooLarge
    ? new ContractError(431, 'The request headers are too large.')
    : new ContractError(400, 'The request could not be parsed as HTTP/1.1.');
  answerOnSocket(socket, refused, log, 'request.unparsable', error.code ?? 'parse error');
}

/** Serves `handler` on `port` (0 for any free one). */
export function serve(handler: Handler, port: number, options: ServeOptions = {}): Promise<Server> {
  const host = options.host ?? '127.0.0.1';
  const origin = options.publicOrigin ?? `http://localhost:${port}`;
  const trustProxy = options.trustProxy ?? 0;
  const log = options.log ?? createLogger();
  // Host is checked here, in the contract's shape, rather than by Node with an empty 400.
  const server = createServer({ requireHostHeader: false }, (incoming, outgoing) => {
    // `OPTIONS *` asks what the server as a whole supports (RFC 9110 §9.3.7).
    if (incoming.url === '*' && incoming.method === 'OPTIONS') {
      outgoing.writeHead(204, { Allow: ALLOW, 'Cache-Control': 'no-store' }).end();
      return;
    }
    const refused = refusal(incoming);
    // Taken now: once a too-large body is abandoned, the request lets go of its socket.
    const context = { clientAddress: clientAddress(incoming, trustProxy) };
    const answered = refused
      ? answerHere(refused, incoming, outgoing, log)
      : toRequest(incoming, outgoing, origin)
          .then((request) => handler(request, context))
          .then((response) => send(response, outgoing));
    answered.catch(() => {
      if (!outgoing.headersSent) void answerHere(new ContractError(500, 'Something went wrong on our side.'), incoming, outgoing, log);
      else outgoing.destroy();
    });
  });
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => answerParseError(error, socket, log));
  // CONNECT asks for a tunnel, which Node hands to this event rather than the listener.
  server.on('connect', (_incoming: IncomingMessage, socket: Socket) =>
    answerOnSocket(socket, new ContractError(405, 'CONNECT is not supported.'), log, 'request.refused', 'CONNECT is not supported.'),
  );
  return new Promise((resolve) => server.listen(port, host, () => resolve(server)));
}
