// Chargify serves a few requests per site at once (DESIGN §7). One process keeps
// to that with its FairQueue; a deployment of several processes must also share
// the turns between them, or N processes would send N times as many. A store
// that several processes share provides the turns (Postgres: advisory locks);
// without one, the process's own queue is the whole story.

/** Gives a taken turn back; safe to call once. */
export type ReleaseTurn = () => Promise<void>;

export interface SiteTurns {
  /**
   * Waits for one of `concurrency` turns at `subdomain`, shared by every process of
   * the deployment; null when `deadline` (ms since the epoch) passes first.
   */
  take(subdomain: string, concurrency: number, deadline: number): Promise<ReleaseTurn | null>;
  close(): Promise<void>;
}
