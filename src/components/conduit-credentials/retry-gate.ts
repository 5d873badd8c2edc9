import type { ReactiveController, ReactiveControllerHost } from 'lit';

// A backend may ask for hours; after this the user may try again, and a new
// refusal starts a new countdown.
const MAX_HOLD_SECONDS = 300;

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
    if (!retryAfterSeconds) return;
    this.#retryAt = Date.now() + Math.min(retryAfterSeconds, MAX_HOLD_SECONDS) * 1000;
    this.#run();
  }

  #run(): void {
    this.#tick();
    this.#timer ??= setInterval(this.#tick, 1000);
  }

  readonly #tick = (): void => {
    this.secondsLeft = Math.max(0, Math.ceil((this.#retryAt - Date.now()) / 1000));
    if (this.secondsLeft === 0) this.#stop();
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
