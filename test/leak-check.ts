// A reusable leak check for a secret typed into the flow: where the page could
// keep it (storage, cookies, IndexedDB, history, the URL, the console, events,
// the composed DOM) and where it travelled (every request the MSW worker saw).
// It observes and passes everything through; it stubs nothing.
import { expect } from '@open-wc/testing';
import { captureConsole, deepInputs, domPlacesContaining, eventAsJson, secretForms, type ConsoleCapture } from './flow-helpers.js';
import { worker } from './harness.js';

/** One request as the MSW worker received it, whoever answered it (or none). */
export interface SeenRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  /** The body as text; filled in asynchronously — await {@link RequestLog.bodies} first. */
  body: string;
  /** performance.now() when the worker saw it. */
  at: number;
}

/**
 * Every request the MSW worker received while started, in order: the count a
 * test asserts is what reached the network edge, including requests answered
 * by one-off `worker.use(...)` handlers that the mock backend never sees.
 */
export class RequestLog {
  readonly all: SeenRequest[] = [];
  private reading: Promise<void>[] = [];
  private readonly listener = ({ request }: { request: Request }) => {
    const seen: SeenRequest = {
      method: request.method,
      url: new URL(request.url),
      headers: Object.fromEntries(request.headers.entries()),
      body: '',
      at: performance.now(),
    };
    this.all.push(seen);
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      // Cloned at once, before any handler reads the body.
      this.reading.push(
        request
          .clone()
          .text()
          .then((text) => void (seen.body = text))
          .catch(() => undefined),
      );
    }
  };

  /** @param prefix the backend's path prefix; `api` lists only requests below it. */
  constructor(readonly prefix = '/api/') {}

  start(): void {
    worker.events.on('request:start', this.listener);
  }

  stop(): void {
    worker.events.removeListener('request:start', this.listener);
  }

  /** Waits until every body seen so far has been read. */
  async bodies(): Promise<void> {
    await Promise.all(this.reading);
  }

  /** Requests to the backend (same origin, below the prefix). */
  get api(): SeenRequest[] {
    return this.all.filter((request) => request.url.origin === location.origin && request.url.pathname.startsWith(this.prefix));
  }

  /** Backend requests whose path ends with `suffix`, and of `method` if given. */
  to(suffix: string, method?: string): SeenRequest[] {
    return this.api.filter((request) => request.url.pathname.endsWith(suffix) && (!method || request.method === method));
  }

  /** `PUT …/connections/{id}/authorization` requests. */
  get authorizations(): SeenRequest[] {
    return this.api.filter((request) => request.method === 'PUT' && /\/connections\/[^/]+\/authorization$/.test(request.url.pathname));
  }

  /** `METHOD /path-below-prefix` for each backend request: readable in a failed assertion. */
  get summary(): string[] {
    return this.api.map((request) => `${request.method} ${request.url.pathname.slice(this.prefix.length - 1)}`);
  }
}

function storageEntries(storage: Storage): string[] {
  const entries: string[] = [];
  for (let i = 0; i < storage.length; i++) {
    const key = storage.key(i)!;
    entries.push(`${key}=${storage.getItem(key)}`);
  }
  return entries;
}

/** What a search covers besides the page itself. */
export interface LeakScope {
  /** Every event the host received (their own fields are searched). */
  events: readonly Event[];
  /** Detached roots to search too (an element removed from the page). */
  roots?: readonly Node[];
}

export interface LeakExpectations extends LeakScope {
  /**
   * How many attempts sent the secret: the distinct Idempotency-Keys of the
   * authorization requests that carried it (automatic retries and the replay
   * after a token refresh share their attempt's key and body).
   */
  attempts: number;
}

/**
 * Watches one test: captures the console and every request from `start()`;
 * `expectNoLeak()` then searches every place the secret (raw, as the base64 of
 * `key:x`, URL-encoded) must not be, and checks the requests that carried it.
 */
export class LeakWatch {
  readonly forms: string[];
  readonly requests: RequestLog;
  private capture: ConsoleCapture | null = null;

  constructor(
    readonly secret: string,
    /** The configured backend: same origin, this path prefix. */
    readonly backendPrefix = '/api/',
  ) {
    this.forms = secretForms(secret);
    this.requests = new RequestLog(backendPrefix);
  }

  start(): void {
    this.capture = captureConsole();
    // Every URL the page fetches lands here, query string included.
    performance.clearResourceTimings();
    performance.setResourceTimingBufferSize(10_000);
    this.requests.start();
  }

  stop(): void {
    this.capture?.restore();
    this.capture = null;
    this.requests.stop();
  }

  /** What reached the console (and uncaught errors, unhandled rejections) since `start()`. */
  get console(): readonly string[] {
    return this.capture?.output ?? [];
  }

  leaks(text: string | null | undefined): boolean {
    return typeof text === 'string' && this.forms.some((form) => text.includes(form));
  }

  async expectNoLeak({ events, attempts, roots = [] }: LeakExpectations): Promise<void> {
    await this.expectNoTraceOutsideRequests({ events, roots });
    await this.expectOnlyInAuthorizationBodies(attempts);
  }

  /** Every place outside the requests where the page could have kept the secret. */
  async expectNoTraceOutsideRequests(scope: LeakScope): Promise<void> {
    for (const [place, values] of Object.entries(await this.tracesOutsideRequests(this.forms, scope))) {
      expect(values, `the key is in ${place}`).to.deep.equal([]);
    }
  }

  /** Every place outside the requests that holds `marker` (something the page must never show), as `place: value`. */
  async sightings(marker: string, scope: LeakScope): Promise<string[]> {
    const traces = await this.tracesOutsideRequests([marker], scope);
    return Object.entries(traces).flatMap(([place, values]) => values.map((value) => `${place}: ${value}`));
  }

  /**
   * What holds one of `needles`, by place: storage, cookies, the URL, history,
   * resource timings, IndexedDB, the console since `start()`, the events the
   * host received (their own fields), and the attributes and text nodes of the
   * composed DOM of the page and of `roots`.
   */
  private async tracesOutsideRequests(needles: readonly string[], { events, roots = [] }: LeakScope): Promise<Record<string, string[]>> {
    const where: Record<string, string[]> = {
      localStorage: storageEntries(localStorage),
      sessionStorage: storageEntries(sessionStorage),
      'document.cookie': [document.cookie],
      'location.href': [location.href],
      'history.state': [JSON.stringify(history.state) ?? ''],
      'window.name': [window.name],
      'resource timing URLs': performance.getEntries().map((entry) => entry.name),
      'IndexedDB database names': ((await indexedDB.databases()) ?? []).map((database) => database.name ?? ''),
      console: [...this.console],
      'events the host received': events.map(eventAsJson),
    };
    const traces: Record<string, string[]> = {};
    for (const [place, values] of Object.entries(where)) {
      traces[place] = values.filter((value) => needles.some((needle) => value.includes(needle)));
    }
    traces['an attribute or text node'] = [document.documentElement, ...roots].flatMap((root) => domPlacesContaining(root, needles));
    return traces;
  }

  /** No input on the page (through shadow roots) still holds the secret. */
  expectNoInputHolds(): void {
    const holding = deepInputs(document.documentElement).filter((input) => this.leaks(input.value));
    expect(holding.map((input) => `<input name=${input.name} type=${input.type}>`), 'an input still holds the key').to.deep.equal([]);
  }

  /**
   * The secret travels only in the JSON bodies of `PUT …/authorization` to
   * the configured backend, as `apiKey`, once per body, never in a URL or a
   * header; the bodies that carry it group into `attempts` Idempotency-Keys,
   * each with one body. Returns the requests that carried it.
   */
  async expectOnlyInAuthorizationBodies(attempts: number): Promise<SeenRequest[]> {
    await this.requests.bodies();
    const all = this.requests.all;
    for (const request of all) {
      const label = `${request.method} ${request.url.href}`;
      const inUrl = this.leaks(request.url.href) || this.leaks(decodeURIComponent(request.url.href));
      expect(inUrl, `the key is in the URL of ${label}`).to.equal(false);
      const headers = Object.entries(request.headers).filter(([name, value]) => this.leaks(name) || this.leaks(value));
      expect(headers, `the key is in a header of ${label}`).to.deep.equal([]);
    }
    const carrying = all.filter((request) => this.leaks(request.body));
    const authorizations = new Set(this.requests.authorizations);
    expect(
      carrying.filter((request) => !authorizations.has(request)).map((request) => `${request.method} ${request.url.href}`),
      'the key went somewhere other than PUT …/authorization on the configured backend',
    ).to.deep.equal([]);
    const byAttempt = new Map<string, Set<string>>();
    for (const request of carrying) {
      let body: unknown;
      try {
        body = JSON.parse(request.body);
      } catch {
        body = undefined;
      }
      expect((body as { apiKey?: unknown } | undefined)?.apiKey, 'the key is sent as apiKey in a JSON body').to.equal(this.secret);
      expect(request.body.split(this.secret).length - 1, 'the key appears more than once in one body').to.equal(1);
      expect(this.leaks(JSON.stringify({ ...(body as object), apiKey: '' })), 'the key is in another field of the body').to.equal(false);
      const key = request.headers['idempotency-key'] ?? '';
      expect(key, 'an authorization request without an Idempotency-Key').to.not.equal('');
      byAttempt.set(key, (byAttempt.get(key) ?? new Set()).add(request.body));
    }
    expect(byAttempt.size, 'attempts that carried the key').to.equal(attempts);
    for (const bodies of byAttempt.values()) expect(bodies.size, 'one attempt sent different bodies').to.equal(1);
    return carrying;
  }
}
