// What the multi-process end-to-end test runs: reference backends as separate
// Node processes (server/main.ts, as `npm run backend` starts one) sharing one
// Postgres, and a small round-robin proxy in front of them, as a partner's load
// balancer would be.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { join } from 'node:path';
import { closeServer, listen } from './browser.js';
import { REPO } from './built-dist.js';

export interface BackendProcess {
  url: string;
  /** Ends the process at once, as a crash or an OOM kill would: no graceful shutdown. */
  kill(): Promise<void>;
  /** What the process printed, to explain a failure with. */
  output(): string;
}

export interface BackendEnvironment {
  postgresUrl: string;
  partnerSecret: string;
  /** 64 hex digits, as CONDUIT_SECRET_KEY takes it. */
  secretKey: string;
  allowedOrigins: string[];
}

const STARTUP_MS = 30_000;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** One backend process on the shared database, with simulated Chargify; resolves once `/health` answers. */
export async function startBackendProcess(environment: BackendEnvironment): Promise<BackendProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'server/main.ts')], {
    cwd: REPO,
    env: {
      ...process.env,
      NODE_ENV: 'development',
      PORT: String(port),
      CONDUIT_DB: environment.postgresUrl,
      CHARGIFY_MODE: 'simulated',
      CONDUIT_PARTNER_SECRET: environment.partnerSecret,
      CONDUIT_SECRET_KEY: environment.secretKey,
      CONDUIT_ALLOWED_ORIGINS: environment.allowedOrigins.join(','),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let printed = '';
  // Only the end is kept: every request logs a line, and a failure is explained by the last ones.
  const keep = (chunk: Buffer) => (printed = (printed + chunk.toString()).slice(-8_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const backend: BackendProcess = {
    url,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    output: () => printed,
  };
  try {
    await waitForHealth(url, child);
  } catch (error) {
    await backend.kill();
    throw new Error(`The backend process on port ${port} did not start: ${(error as Error).message}\n${printed}`, { cause: error });
  }
  return backend;
}

async function waitForHealth(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + STARTUP_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`it exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/health`)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no answer on ${url}/health within ${STARTUP_MS / 1000} s`);
}

export interface RoundRobinProxy {
  url: string;
  /** The upstream that answered each request, in order. */
  readonly answeredBy: string[];
  /** Requests an upstream refused to connect (it was down), passed on to the next one. */
  readonly failovers: number;
  /** Sends the next request to `upstream` first, so a test knows which process it meets. */
  aimNextAt(upstream: string): void;
  close(): Promise<void>;
}

interface Forwarded {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/**
 * Sends each request to the next upstream in turn. A refused connection means
 * the request never reached a process, so it goes to the next upstream, as a
 * load balancer's passive health check does; any other failure is a 502.
 */
export async function startRoundRobinProxy(upstreams: readonly string[]): Promise<RoundRobinProxy> {
  const answeredBy: string[] = [];
  let failovers = 0;
  let next = 0;
  const server: Server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', async () => {
      const body = Buffer.concat(chunks);
      for (let tried = 0; tried < upstreams.length; tried++) {
        const upstream = upstreams[next++ % upstreams.length]!;
        try {
          const answer = await forward(upstream, incoming.method ?? 'GET', incoming.url ?? '/', incoming.headers, body);
          answeredBy.push(upstream);
          outgoing.writeHead(answer.status, endToEnd(answer.headers)).end(answer.body);
          return;
        } catch (error) {
          if ((error as { code?: string }).code !== 'ECONNREFUSED') break;
          failovers++;
        }
      }
      outgoing.writeHead(502, { 'Content-Type': 'text/plain' }).end('No backend answered.');
    });
  });
  const url = await listen(server);
  return {
    url,
    answeredBy,
    get failovers() {
      return failovers;
    },
    aimNextAt(upstream) {
      next = upstreams.indexOf(upstream);
      assert.ok(next >= 0, `${upstream} is not behind the proxy`);
    },
    close: () => closeServer(server),
  };
}

// Hop-by-hop headers describe the upstream's connection, not the proxy's (RFC 9110 §7.6.1).
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding']);

function endToEnd(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name)));
}

function forward(upstream: string, method: string, path: string, headers: IncomingHttpHeaders, body: Buffer): Promise<Forwarded> {
  const target = new URL(upstream);
  return new Promise((resolve, reject) => {
    // A fresh connection per request: a kept-alive socket to a killed process would fail after the request was sent.
    const outgoing = request({ host: target.hostname, port: target.port, method, path, headers: { ...endToEnd(headers), host: target.host }, agent: false }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => chunks.push(chunk));
      answer.on('end', () => resolve({ status: answer.statusCode ?? 502, headers: answer.headers, body: Buffer.concat(chunks) }));
      answer.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** Fails with what the backends printed, when `check` fails. */
export async function explainedBy<T>(backends: readonly BackendProcess[], check: () => Promise<T>): Promise<T> {
  try {
    return await check();
  } catch (error) {
    const printed = backends.map((backend) => `--- ${backend.url}\n${backend.output().split('\n').slice(-15).join('\n')}`).join('\n');
    assert.fail(`${(error as Error).message}\nThe backends printed, last:\n${printed}`);
  }
}
