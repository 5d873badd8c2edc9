import { createHash } from 'node:crypto';

// Sliding-window limits on attempts, so that a session, a company or an address
// cannot guess keys (or the partner secret) at machine speed. Counted in the
// store, so every process of a deployment counts together.

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

/** Where attempts are counted: the store, so that every process of a deployment counts together. */
export interface AttemptLog {
  /** Attempts in `bucket` after `since`, and the time of the oldest of them. */
  countAttempts(bucket: string, since: Date): Promise<{ count: number; oldest: Date | null }>;
  recordAttempt(bucket: string, at: Date): Promise<void>;
}

/**
 * The attempts of each key within the last window, counted in the store. Keys are
 * kept only as hashes: a client address or a session's hash is no one's business
 * in the database. Two processes checking at the very same instant may both let
 * an attempt through: the limit can be overshot by one per process, never more.
 */
export class SlidingWindow {
  readonly limit: WindowLimit;
  readonly #log: AttemptLog;
  readonly #name: string;

  constructor(log: AttemptLog, name: string, limit: WindowLimit) {
    this.#log = log;
    this.#name = name;
    this.limit = limit;
  }

  /** Seconds until `key` may try again at `now`; null when it may now. */
  async wait(key: string, now: number): Promise<number | null> {
    const { count, oldest } = await this.#log.countAttempts(this.#bucket(key), new Date(now - this.limit.windowMs));
    if (count < this.limit.max || !oldest) return null;
    return Math.max(1, Math.ceil((oldest.getTime() + this.limit.windowMs - now) / 1000));
  }

  async record(key: string, now: number): Promise<void> {
    await this.#log.recordAttempt(this.#bucket(key), new Date(now));
  }

  #bucket(key: string): string {
    return `${this.#name}:${createHash('sha256').update(key).digest('base64url').slice(0, 22)}`;
  }
}

/**
 * Counts one attempt against every window that applies, or none when any is
 * full: a refused attempt costs nothing, so waiting out the longest wait suffices.
 * Keys that are undefined (no client address known, say) are not limited.
 */
export async function takeAttempt(windows: [SlidingWindow, string | undefined][], now: number): Promise<number | null> {
  const applicable = windows.filter((entry): entry is [SlidingWindow, string] => entry[1] !== undefined);
  const waits = (await Promise.all(applicable.map(([window, key]) => window.wait(key, now)))).filter((wait): wait is number => wait !== null);
  if (waits.length > 0) return Math.max(...waits);
  await Promise.all(applicable.map(([window, key]) => window.record(key, now)));
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
