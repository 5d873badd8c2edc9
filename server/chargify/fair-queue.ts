// Requests to one Chargify site take turns between the companies asking, so a
// company that floods a subdomain delays only itself: each free slot goes to
// the next company in line, not to the next request. The line is bounded, per
// company and in all, so a flood is refused rather than queued for ever.

export interface FairQueueOptions {
  /** Requests in flight per subdomain at once. */
  concurrency: number;
  /** Requests one requester may have waiting for one subdomain. */
  maxWaitingPerRequester: number;
  /** Requests waiting for one subdomain, all requesters together. */
  maxWaiting: number;
}

interface Lane {
  running: number;
  /** Each requester's waiting starts, in turn order: the first entry is served next. */
  waiting: Map<string, (() => void)[]>;
  size: number;
}

export type Queued<T> = { kind: 'ran'; value: T } | { kind: 'refused' };

export class FairQueue {
  readonly #options: FairQueueOptions;
  readonly #lanes = new Map<string, Lane>();

  constructor(options: FairQueueOptions) {
    this.#options = options;
  }

  /** Runs `task` when `requester` gets its turn on `lane`; refused at once when the line is full. */
  async run<T>(laneKey: string, requester: string, task: () => Promise<T>): Promise<Queued<T>> {
    const lane = this.#lanes.get(laneKey) ?? { running: 0, waiting: new Map(), size: 0 };
    this.#lanes.set(laneKey, lane);
    if (lane.running >= this.#options.concurrency) {
      const mine = lane.waiting.get(requester) ?? [];
      if (mine.length >= this.#options.maxWaitingPerRequester || lane.size >= this.#options.maxWaiting) {
        this.#tidy(laneKey, lane);
        return { kind: 'refused' };
      }
      await new Promise<void>((start) => {
        mine.push(start);
        lane.waiting.set(requester, mine);
        lane.size++;
      });
    } else {
      lane.running++;
    }
    try {
      return { kind: 'ran', value: await task() };
    } finally {
      this.#next(laneKey, lane);
    }
  }

  // The slot passes to the requester at the head of the line, who then goes to its back.
  #next(laneKey: string, lane: Lane): void {
    const turn = lane.waiting.entries().next();
    if (turn.done) {
      lane.running--;
      this.#tidy(laneKey, lane);
      return;
    }
    const [requester, starts] = turn.value;
    const start = starts.shift()!;
    lane.size--;
    lane.waiting.delete(requester);
    if (starts.length > 0) lane.waiting.set(requester, starts);
    start();
  }

  // Idle subdomains hold no memory.
  #tidy(laneKey: string, lane: Lane): void {
    if (lane.running === 0 && lane.size === 0) this.#lanes.delete(laneKey);
  }
}
