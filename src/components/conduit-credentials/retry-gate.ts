import type { ReactiveController, ReactiveControllerHost } from 'lit';

// A backend may ask for hours; after this the user may try again, and a new
// refusal starts a new countdown.
const MAX_HOLD_SECONDS = 300;

/** A wait to say: begun (with the seconds then left) or over. */
export type WaitNotice = { kind: 'wait'; seconds: number } | { kind: 'ready' };

/**
 * Holds the user's retries back while they cannot succeed: while the browser
 * is offline, and until a backend's long `Retry-After` (five minutes at most)
 * has passed. It never
 * retries by itself: sending the key again is always the user's decision.
 */
export class RetryGate implements ReactiveController {
  offline = false;
  /** The browser came back online since the last failure was shown. */
  reconnected = false;
  /** Whole seconds until a retry is allowed; 0 when it is. */
  secondsLeft = 0;
  /**
   * What the live region should say about the wait: 'wait' (with the seconds left
   * when it was said, so the text changes only when it is said again), 'ready' once
   * it is over, or null. Never the ticking countdown: read out every second, it
   * would drown everything else.
   */
  notice: WaitNotice | null = null;
  readonly #host: ReactiveControllerHost;
  #retryAt = 0;
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(host: ReactiveControllerHost) {
    this.#host = host;
    host.addController(this);
  }

  get blocked(): boolean {
    return this.offline || this.secondsLeft > 0;
  }

  hostConnected(): void {
    this.offline = navigator.onLine === false;
    window.addEventListener('online', this.#handleNetwork);
    window.addEventListener('offline', this.#handleNetwork);
    // Moved elsewhere in the page: a countdown under way carries on.
    if (this.secondsLeft > 0) this.#run();
  }

  hostDisconnected(): void {
    window.removeEventListener('online', this.#handleNetwork);
    window.removeEventListener('offline', this.#handleNetwork);
    this.#stop();
  }

  /** A new failure is on screen: what happened before it no longer counts. */
  failed(retryAfterSeconds: number | null): void {
    this.reconnected = false;
    this.notice = null;
    if (!retryAfterSeconds) return;
    this.#retryAt = Date.now() + Math.min(retryAfterSeconds, MAX_HOLD_SECONDS) * 1000;
    this.#run();
    this.remind();
  }

  /** The user pressed while held back: say how long is left, once. */
  remind(): void {
    if (this.secondsLeft > 0) this.notice = { kind: 'wait', seconds: this.secondsLeft };
    this.#host.requestUpdate();
  }

  /** A new attempt is under way: nothing to say about the last wait. */
  clearNotice(): void {
    this.notice = null;
  }

  #run(): void {
    this.#tick();
    this.#timer ??= setInterval(this.#tick, 1000);
  }

  readonly #tick = (): void => {
    const waiting = this.secondsLeft > 0;
    this.secondsLeft = Math.max(0, Math.ceil((this.#retryAt - Date.now()) / 1000));
    if (this.secondsLeft > 0) return this.#host.requestUpdate();
    this.#stop();
    if (waiting) this.notice = { kind: 'ready' };
    this.#host.requestUpdate();
  };

  readonly #handleNetwork = (event: Event): void => {
    this.offline = navigator.onLine === false;
    this.reconnected = event.type === 'online';
    this.#host.requestUpdate();
  };

  #stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
