import type { BackendClient } from '../../backend/client.js';
import { ConduitError, toConduitError, type ConduitErrorCode } from '../../backend/errors.js';
import type { ChargifyCredentials, Connection, Handoff, HandoffView, Integration, Region } from '../../backend/types.js';
import { isVerified } from '../../backend/validate.js';
import { ConduitConnectionStartedEvent } from '../../events/connection-started.js';
import { ConduitConnectionEvent, type ConnectionReason } from '../../events/connection.js';
import { ConduitErrorEvent } from '../../events/error.js';
import { ConduitReadyEvent } from '../../events/ready.js';
import { ConduitStepChangeEvent, type ConduitStep } from '../../events/step-change.js';
import { CHARGIFY_KEY } from '../../integrations/chargify.js';
import { backTarget, journey } from './flow.js';
import { clientFor, missingConfiguration, type FlowConfig, type FixedSite, type FlowHost } from './flow-host.js';
import type { FlowAction, LifecycleFlow } from './lifecycle-flow.js';

// The flow's state machine (DESIGN §4): loading → picker → permissions →
// credentials → success, plus error and connected; the backend calls that move
// it, and the aborts that end a run. No DOM: it tells its host to render, and
// hands it the events to dispatch, so it can be driven and tested on its own.

// Integrations this build has a credentials step for.
const SUPPORTED: ReadonlySet<string> = new Set([CHARGIFY_KEY]);

// Failures no retry on the credentials step can fix: the flow stops and offers to start again.
export const FATAL: ReadonlySet<ConduitErrorCode> = new Set(['session_expired', 'not_found', 'invalid_config']);

export class FlowController {
  step: ConduitStep = 'loading';
  integrations: Integration[] = [];
  selectedKey = '';
  connection: Connection | null = null;
  failure: ConduitError | null = null;
  submitting = false;
  /** The credentials step replaces the key of `connection` rather than connecting anew. */
  replacing = false;
  /** The hand-off the user made, while the flow watches for it. */
  handoff: Handoff | null = null;
  /** The link for the colleague: `handoff-url` with `conduit_handoff=<token>`. */
  handoffLink = '';
  /** On a colleague's page: who asked, and the connection to finish. */
  handoffView: HandoffView | null = null;
  /** A lifecycle action (disconnect, hand-off) failed; its screen says so. */
  actionFailure: ConduitError | null = null;
  /** @internal The pending connection the credentials step links, once there is one. */
  pending: Connection | null = null;
  /** @internal The element that shows the flow. */
  readonly host: FlowHost;
  /** @internal What the flow is configured with now. */
  readonly config: () => FlowConfig;
  // Null until the flow has what it needs to call the backend.
  #client: BackendClient | null = null;
  // Aborted on stop and on restart: no request, timer or event outlives its run.
  #run: AbortController | null = null;
  #lifecycle: LifecycleFlow | null = null;
  #warnedMissing = false;

  constructor(host: FlowHost, config: () => FlowConfig) {
    this.host = host;
    this.config = config;
  }

  /** Waiting for its configuration: no client yet, so nothing has been asked. */
  get waiting(): boolean {
    return this.#client === null && this.step === 'loading';
  }

  /** The `integration` the partner preselected, when the catalogue offers it. */
  get preselected(): Integration | undefined {
    const key = this.config().integration;
    return key ? this.integrations.find((integration) => integration.key === key) : undefined;
  }

  get skipsPicker(): boolean {
    return this.preselected !== undefined || this.colleague;
  }

  /** The flow was opened with a hand-off token: a colleague's page. */
  get colleague(): boolean {
    return this.config().handoffToken !== '';
  }

  /** The site the credentials step is fixed to: replacing a key, or finishing a hand-off for a known site. */
  get fixedSite(): FixedSite | null {
    const connection = this.replacing ? this.connection : this.handoffView?.connection;
    const info = connection?.connectionInfo;
    return info?.subdomain && info.region ? { subdomain: info.subdomain, region: info.region } : null;
  }

  /** The credentials step may offer to send itself to a colleague: the host set handoff-url, and a finish can be seen. */
  get canHandOff(): boolean {
    if (!this.config().handoffUrl || this.colleague) return false;
    // Replacing the key of a linked connection: nothing a watcher could see change.
    return !(this.replacing && this.connection?.status === 'Linked');
  }

  get selectedIntegration(): Integration | undefined {
    return this.integrations.find((integration) => integration.key === this.selectedKey);
  }

  /** Where Back leads from here; null where there is none (or while submitting). */
  get backTarget(): ConduitStep | null {
    if (this.submitting) return null;
    if (this.step === 'disconnect') return 'connected';
    if (this.replacing && this.step === 'credentials') return this.connection?.status === 'Deauthorized' ? 'deauthorized' : 'connected';
    return backTarget(this.step, this.skipsPicker);
  }

  /** The step's place in the journey, from 1; null off the journey (loading, error, connected). */
  get position(): { step: number; total: number } | null {
    if (this.replacing) return null;
    const steps = journey(this.skipsPicker);
    const index = steps.indexOf(this.step);
    return index < 0 ? null : { step: index + 1, total: steps.length };
  }

  /** What the flow still needs before it may call the backend: it never calls without them. */
  missingConfiguration(): string[] {
    return missingConfiguration(this.config());
  }

  /** Starts afresh; or, missing configuration, loads quietly until it is there. */
  start(): void {
    this.stop();
    const run = new AbortController();
    this.#run = run;
    this.failure = null;
    this.connection = null;
    this.replacing = false;
    this.handoff = null;
    this.handoffLink = '';
    this.handoffView = null;
    this.actionFailure = null;
    const missing = this.missingConfiguration();
    if (missing.length > 0) {
      this.go('loading');
      this.#warnMissing(missing);
      return;
    }
    const config = this.config();
    try {
      this.#client = clientFor(config);
    } catch (error) {
      this.fail(toConduitError(error));
      return;
    }
    this.go('loading');
    if (config.handoffToken) void this.#loadHandoff(this.#client, run.signal);
    else void this.#load(this.#client, run.signal);
  }

  /** Ends the run: its requests are aborted and nothing more comes of them. */
  stop(): void {
    this.#run?.abort();
    this.#run = null;
    this.#client = null;
    this.pending = null;
  }

  /** A new token (or way to get one) is used from the next request on. */
  updateCredentials(): void {
    if (!this.#client || this.colleague) return;
    const config = this.config();
    this.#client.sessionToken = config.sessionToken || undefined;
    this.#client.fetchSessionToken = config.fetchSessionToken;
  }

  select(integrationKey: string): void {
    this.selectedKey = integrationKey;
    this.go('permissions');
  }

  back(): void {
    const target = this.backTarget;
    if (target) this.go(target);
  }

  go(step: ConduitStep): void {
    const previous = this.step;
    if (previous === step) return;
    this.step = step;
    this.host.requestUpdate();
    this.host.dispatchEvent(new ConduitStepChangeEvent(step, previous));
  }

  fail(failure: ConduitError): void {
    this.failure = failure;
    this.report(failure);
    this.go('error');
  }

  // `region`: the one the user sent, so the message is the one the credentials step shows.
  report(failure: ConduitError, region?: Region): void {
    // The partner's set-up is wrong: say how to fix it where their developer will look.
    if (failure.setupProblem) console.error(`<conduit-link>: ${failure.message}`);
    this.host.dispatchEvent(
      new ConduitErrorEvent(failure.code, this.host.describe(failure, region), failure.userRecoverable, failure.correlationId, failure.status),
    );
  }

  /**
   * The credentials step's submission: creates (or resumes) the pending connection
   * and authorizes it. Rejects with the failure the step shows, unless the flow moved
   * on by itself (a fatal failure, or a connection linked meanwhile).
   */
  async submitCredentials(credentials: ChargifyCredentials): Promise<void> {
    const client = this.#client;
    const signal = this.#run?.signal;
    if (!client || !signal) return;
    this.setSubmitting(true);
    try {
      // Replacing a key, or finishing a colleague's hand-off: the connection is known.
      const known = this.replacing ? this.connection : this.handoffView?.connection;
      const target = known ?? (await this.pendingConnection(client, signal));
      const linked = await client.authorize(target.id, credentials, signal);
      this.linked(linked, this.replacing ? 'key-replaced' : this.colleague ? 'handoff' : 'connected');
    } catch (error) {
      const failure = toConduitError(error);
      if (failure.code === 'aborted' || signal.aborted) throw failure;
      // The colleague's link stopped working (used, expired, withdrawn) while they typed.
      if (this.colleague && failure.code === 'session_expired') {
        this.report(failure);
        this.go('handoff-invalid');
        return;
      }
      if (FATAL.has(failure.code)) {
        this.fail(failure);
        return;
      }
      this.report(failure, credentials.region);
      if (failure.code === 'conflict' && !this.colleague && !this.replacing) {
        // Someone linked it meanwhile: show that connection instead of an error.
        this.go('loading');
        // Linked just now by someone else: nothing to check yet.
        void this.#load(client, signal, false);
        return;
      }
      throw failure;
    } finally {
      this.setSubmitting(false);
    }
  }

  async #load(client: BackendClient, signal: AbortSignal, verify = true): Promise<void> {
    try {
      const [catalogue, connections] = await Promise.all([client.listIntegrations(signal), client.listConnections(signal)]);
      this.integrations = catalogue.filter((integration) => integration.enabled && SUPPORTED.has(integration.key));
      const supported = connections.filter((connection) => SUPPORTED.has(connection.integrationKey));
      this.pending = supported.find((connection) => connection.status === 'PendingAuth') ?? null;
      this.host.dispatchEvent(new ConduitReadyEvent(this.integrations.map((integration) => integration.key)));

      const preselected = this.preselected;
      const wanted = this.config().integration;
      if (wanted && !preselected) console.warn(`<conduit-link>: integration "${wanted}" is not available; showing the picker.`);
      const established = supported.find((connection) => connection.status === 'Linked') ?? supported.find((connection) => connection.status === 'Deauthorized');
      if (established) {
        this.selectedKey = established.integrationKey;
        await (await this.#lifecycleFlow()).open(client, established, signal, verify);
      } else if (preselected) {
        this.selectedKey = preselected.key;
        this.go('permissions');
      } else {
        this.go('picker');
      }
    } catch (error) {
      const failure = toConduitError(error);
      if (failure.code !== 'aborted' && !signal.aborted) this.fail(failure);
    }
  }

  // The colleague's page: who asked, and the connection the link may finish.
  async #loadHandoff(client: BackendClient, signal: AbortSignal): Promise<void> {
    try {
      await (await this.#lifecycleFlow()).loadHandoff(client, signal);
    } catch (error) {
      if (!signal.aborted) this.fail(toConduitError(error));
    }
  }

  /** @internal The account is linked: says so, and shows success. */
  linked(linked: Connection, reason: ConnectionReason): void {
    const { id, integrationKey, platformName, sourceType, connectionInfo } = linked;
    if (linked.status !== 'Linked') throw new ConduitError('bad_response', `Connection is ${linked.status}, not Linked.`);
    // The event promises the verified site; a linked answer without it is not one.
    if (!isVerified(connectionInfo)) throw new ConduitError('bad_response', 'The linked connection does not name the verified site.');
    this.pending = null;
    this.replacing = false;
    this.connection = linked;
    this.host.dispatchEvent(new ConduitConnectionEvent(id, integrationKey, platformName, sourceType, { ...connectionInfo }, reason));
    this.go('success');
  }

  /** A lifecycle screen's action, or the credentials step's offer to hand off: done once their chunk is here. */
  async act(action: FlowAction): Promise<void> {
    try {
      (await this.#lifecycleFlow()).act(action);
    } catch {
      // The chunk did not come: the element warned, and the user can press again.
    }
  }

  /** @internal The pending connection to link: the one there is, or one made now (and said so). */
  async pendingConnection(client: BackendClient, signal: AbortSignal): Promise<Connection> {
    if (this.pending) return this.pending;
    const created = await client.createConnection(this.selectedKey, signal);
    this.pending = created;
    this.host.dispatchEvent(new ConduitConnectionStartedEvent(created.id, this.selectedKey));
    return created;
  }

  /** @internal The run under way: its client and signal; null between runs. */
  current(): { client: BackendClient; signal: AbortSignal } | null {
    return this.#client && this.#run ? { client: this.#client, signal: this.#run.signal } : null;
  }

  async #lifecycleFlow(): Promise<LifecycleFlow> {
    const { LifecycleFlow } = await this.host.lifecycle();
    return (this.#lifecycle ??= new LifecycleFlow(this));
  }

  /**
   * @internal A step whose screen is in a chunk of its own is shown once that chunk
   * is here, so the step change, the focus and the announcement find its heading.
   */
  async show(step: ConduitStep, signal: AbortSignal): Promise<void> {
    try {
      await this.host.prepare(step);
    } catch {
      // Shown anyway: the element warned, and the screen comes when its chunk does.
    }
    if (!signal.aborted) this.go(step);
  }

  /** @internal A request is under way (or no longer): the step's buttons say so. */
  setSubmitting(submitting: boolean): void {
    this.submitting = submitting;
    this.host.requestUpdate();
  }

  // Said once: a partner's page that never sets them should learn why nothing loads. The
  // token is not named: it arrives after the element by design (a host fetches it).
  #warnMissing(missing: readonly string[]): void {
    const setup = missing.filter((name) => name !== 'session-token');
    if (setup.length === 0 || this.#warnedMissing) return;
    this.#warnedMissing = true;
    console.warn(`<conduit-link>: waiting for ${setup.join(' and ')}; the flow starts when they are set.`);
  }
}
