import { createHmac } from 'node:crypto';
import type { Claim, Store } from './store/store.js';
import { ContractError } from './http.js';

// The same Idempotency-Key on a POST, PUT or PATCH returns the first answer
// and does the work once. Only final answers are kept: after a 429, a 5xx or
// a session problem the retry must really run again.

function isFinal(status: number): boolean {
  return status < 500 && status !== 429 && status !== 401 && status !== 403;
}

// How long a duplicate waits for another process's answer: the longest a verification
// with Chargify may take (30 s), and a little more.
const WAIT_FOR_OTHER_MS = 35_000;
const POLL_MS = 100;

export class Idempotency {
  // Duplicates that arrive at this process while the first is still running wait for its answer.
  readonly #inFlight = new Map<string, { requestHash: string; answer: Promise<Answer> }>();
  readonly #store: Store;
  // Request bodies hold API keys: they are fingerprinted with a keyed hash, never stored.
  readonly #fingerprintKey: Buffer;

  constructor(store: Store, fingerprintKey: Buffer) {
    this.#store = store;
    this.#fingerprintKey = fingerprintKey;
  }

  async run(
    scope: string,
    /** The resource the work acts on, so that its answers can be forgotten when it changes. */
    subject: string,
    bodyText: string,
    now: () => Date,
    /** Must answer every contract failure as a Response, so that it can be kept. */
    work: () => Promise<Response>,
  ): Promise<{ response: Response; replayed: boolean }> {
    const requestHash = createHmac('sha256', this.#fingerprintKey).update(bodyText).digest('hex');
    const sameRequest = (earlier: string) => {
      if (earlier !== requestHash) {
        throw new ContractError(422, 'This Idempotency-Key was already used with a different request.', { detailedErrorCode: 10001 });
      }
    };
    const here = this.#inFlight.get(scope);
    if (here) {
      sameRequest(here.requestHash);
      return { response: replay(await here.answer), replayed: true };
    }
    // Registered before anything is awaited, so a duplicate arriving meanwhile waits for this answer.
    const settled = this.#settle(scope, subject, requestHash, sameRequest, now, work);
    const answer = settled.then((result) => result.answer);
    // A duplicate that waits on it sees a failure; nobody else must be told of it twice.
    answer.catch(() => {});
    this.#inFlight.set(scope, { requestHash, answer });
    try {
      const result = await settled;
      const { status, body, headers } = result.answer;
      return result.replayed ? { response: replay(result.answer), replayed: true } : { response: new Response(body, { status, headers }), replayed: false };
    } finally {
      this.#inFlight.delete(scope);
    }
  }

  // One process of the deployment claims the key and does the work; the others replay its answer.
  async #settle(
    scope: string,
    subject: string,
    requestHash: string,
    sameRequest: (earlier: string) => void,
    now: () => Date,
    work: () => Promise<Response>,
  ): Promise<{ answer: Answer; replayed: boolean }> {
    const claim = await this.#claimOnceFree(scope, subject, requestHash, sameRequest, now);
    if (claim.kind === 'final') {
      sameRequest(claim.response.requestHash);
      return { answer: claim.response, replayed: true };
    }
    try {
      const response = await work();
      const body = await response.text();
      if (isFinal(response.status)) await this.#store.saveIdempotent(scope, subject, { requestHash, status: response.status, body }, now());
      else await this.#store.releaseIdempotent(scope);
      return { answer: { status: response.status, body, headers: response.headers }, replayed: false };
    } catch (error) {
      await this.#store.releaseIdempotent(scope);
      throw error;
    }
  }

  // While another process does this key's work, waits for its final answer. If that process
  // gives its claim up (its answer was not final), this request claims the key and does the
  // work itself, as the client's retry would; a 409 if neither happens in time.
  async #claimOnceFree(
    scope: string,
    subject: string,
    requestHash: string,
    sameRequest: (earlier: string) => void,
    now: () => Date,
  ): Promise<Exclude<Claim, { kind: 'running' }>> {
    const deadline = Date.now() + WAIT_FOR_OTHER_MS;
    for (;;) {
      const claim = await this.#store.claimIdempotent(scope, subject, requestHash, now());
      if (claim.kind !== 'running') return claim;
      sameRequest(claim.requestHash);
      if (Date.now() >= deadline) throw new ContractError(409, 'A request with this Idempotency-Key is still in progress; retry it shortly.');
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
}

interface Answer {
  status: number;
  body: string;
  /** Present for a duplicate of a request still in flight; a kept answer has only its status and body. */
  headers?: Headers;
}

// A replay carries the first answer's headers where they are known (Retry-After above all).
function replay(answer: Answer): Response {
  const headers = new Headers(answer.headers ?? { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  headers.set('Idempotent-Replayed', 'true');
  return new Response(answer.body, { status: answer.status, headers });
}
