import { createHmac } from 'node:crypto';
import type { Store } from './store/store.js';
import { ContractError } from './http.js';

// The same Idempotency-Key on a POST, PUT or PATCH returns the first answer
// and does the work once. Only final answers are kept: after a 429, a 5xx or
// a session problem the retry must really run again.

function isFinal(status: number): boolean {
  return status < 500 && status !== 429 && status !== 401 && status !== 403;
}

export class Idempotency {
  // Duplicates that arrive while the first is still running wait for its answer.
  private readonly inFlight = new Map<string, { requestHash: string; answer: Promise<Answer> }>();

  constructor(
    private readonly store: Store,
    // Request bodies hold API keys: they are fingerprinted with a keyed hash, never stored.
    private readonly fingerprintKey: Buffer,
  ) {}

  async run(
    scope: string,
    /** The resource the work acts on, so that its answers can be forgotten when it changes. */
    subject: string,
    bodyText: string,
    now: () => Date,
    /** Must answer every contract failure as a Response, so that it can be kept. */
    work: () => Promise<Response>,
  ): Promise<{ response: Response; replayed: boolean }> {
    const requestHash = createHmac('sha256', this.fingerprintKey).update(bodyText).digest('hex');
    const earlier = (await this.store.getIdempotent(scope, now())) ?? this.inFlight.get(scope);
    if (earlier) {
      if (earlier.requestHash !== requestHash) {
        throw new ContractError(422, 'This Idempotency-Key was already used with a different request.', { detailedErrorCode: 10001 });
      }
      return { response: replay('answer' in earlier ? await earlier.answer : earlier), replayed: true };
    }

    const answer = (async (): Promise<Answer> => {
      const response = await work();
      const body = await response.text();
      if (isFinal(response.status)) await this.store.saveIdempotent(scope, subject, { requestHash, status: response.status, body }, now());
      return { status: response.status, body, headers: response.headers };
    })();
    this.inFlight.set(scope, { requestHash, answer });
    try {
      const { status, body, headers } = await answer;
      return { response: new Response(body, { status, headers }), replayed: false };
    } finally {
      this.inFlight.delete(scope);
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
