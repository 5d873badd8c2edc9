// Sliding-window limits on attempts, so that a session, a company or an address
// cannot guess keys (or the partner secret) at machine speed. Counted in this
// process's memory; every process of a deployment counts its own share.

export interface WindowLimit {
  /** Attempts allowed within any window of `windowMs`. */
  max: number;
  windowMs: number;
}

export interface Limits {
  /** `PUT …/authorization` per session token. */
  attemptsPerSession: WindowLimit;
  /** `PUT …/authorization` per company, across its sessions. */
  attemptsPerCompany: WindowLimit;
  /** `PUT …/authorization` per client address, across companies. */
  attemptsPerAddress: WindowLimit;
  /** A wrong partner secret on `POST /sessions` or `DELETE …/sessions`, per client address. */
  wrongSecretsPerAddress: WindowLimit;
  /** Connections a company may open within `windowMs` (resuming its pending one is free). */
  pendingPerCompany: WindowLimit;
}

const MINUTE = 60_000;

export const DEFAULT_LIMITS: Limits = {
  attemptsPerSession: { max: 10, windowMs: 10 * MINUTE },
  attemptsPerCompany: { max: 20, windowMs: 60 * MINUTE },
  attemptsPerAddress: { max: 60, windowMs: 60 * MINUTE },
  wrongSecretsPerAddress: { max: 10, windowMs: 10 * MINUTE },
  pendingPerCompany: { max: 5, windowMs: 60 * MINUTE },
};

// Enough for every company of a busy deployment; past it the idlest are forgotten first.
const MAX_KEYS = 100_000;

/** The attempts of each key within the last window, oldest first. */
export class SlidingWindow {
  readonly limit: WindowLimit;
  #hits = new Map<string, number[]>();

  constructor(limit: WindowLimit) {
    this.limit = limit;
  }

  /** Seconds until `key` may try again at `now`; null when it may now. */
  wait(key: string, now: number): number | null {
    const recent = this.#recent(key, now);
    if (recent.length < this.limit.max) return null;
    return Math.max(1, Math.ceil((recent[0]! + this.limit.windowMs - now) / 1000));
  }

  record(key: string, now: number): void {
    const recent = this.#recent(key, now);
    recent.push(now);
    // Re-inserted, so the map's order is least recently used first.
    this.#hits.delete(key);
    this.#hits.set(key, recent);
    if (this.#hits.size > MAX_KEYS) this.#hits.delete(this.#hits.keys().next().value!);
  }

  #recent(key: string, now: number): number[] {
    const hits = this.#hits.get(key) ?? [];
    const since = now - this.limit.windowMs;
    const first = hits.findIndex((at) => at > since);
    return first === -1 ? [] : first === 0 ? hits : hits.slice(first);
  }
}

/**
 * Counts one attempt against every window that applies, or none when any is
 * full: a refused attempt costs nothing, so waiting out the longest wait suffices.
 * Keys that are undefined (no client address known, say) are not limited.
 */
export function takeAttempt(windows: [SlidingWindow, string | undefined][], now: number): number | null {
  const applicable = windows.filter((entry): entry is [SlidingWindow, string] => entry[1] !== undefined);
  const waits = applicable.map(([window, key]) => window.wait(key, now)).filter((wait): wait is number => wait !== null);
  if (waits.length > 0) return Math.max(...waits);
  for (const [window, key] of applicable) window.record(key, now);
  return null;
}

export function resolveLimits(overrides: Partial<Limits> = {}): Limits {
  return { ...DEFAULT_LIMITS, ...overrides };
}

/** "10 per 10 min", for the start-up log. */
export function describeLimit({ max, windowMs }: WindowLimit): string {
  const minutes = windowMs / MINUTE;
  return minutes >= 60 && minutes % 60 === 0 ? `${max} per ${minutes / 60} h` : `${max} per ${minutes} min`;
}
