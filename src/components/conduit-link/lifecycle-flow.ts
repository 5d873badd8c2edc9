import type { BackendClient } from '../../backend/client.js';
import { toConduitError } from '../../backend/errors.js';
import { createHandoff, describeHandoff, getConnection, revokeHandoff, unlinkConnection, verifyConnection } from '../../backend/lifecycle-calls.js';
import type { Connection } from '../../backend/types.js';
import { sleep } from '../../backend/timing.js';
import { isVerified } from '../../backend/validate.js';
import { ConduitDisconnectEvent } from '../../events/disconnect.js';
import { ConduitHandoffEvent } from '../../events/handoff.js';
import type { LifecycleAction } from '../conduit-lifecycle/conduit-lifecycle.js';
import { FATAL, type FlowController } from './flow-controller.js';

// A connection's life after the first connect (DESIGN §4–§6): checked on opening,
// its key replaced, disconnected, handed to a colleague and watched. It works on
// the flow's state and run, but lives in the lifecycle chunk with the screens that
// show it, so a first connect never pays for it.

// Watching a hand-off: first look after 2 s, then twice as long each time, up to 30 s.
const POLL_FIRST_MS = 2000;
const POLL_MAX_MS = 30_000;

/** Everything a lifecycle screen (or the credentials step's hand-off offer) can ask of the flow. */
export type FlowAction = LifecycleAction | 'offer-handoff';

export class LifecycleFlow {
  readonly #flow: FlowController;
  #watch: AbortController | null = null;

  constructor(flow: FlowController) {
    this.#flow = flow;
  }

  act(action: FlowAction): void {
    const flow = this.#flow;
    if (action === 'replace') {
      // The credentials step, fixed to the connection's site.
      flow.replacing = true;
      flow.go('credentials');
    } else if (action === 'disconnect') {
      // The confirmation first.
      flow.actionFailure = null;
      flow.go('disconnect');
    } else if (action === 'confirm-disconnect') void this.#disconnect();
    else if (action === 'offer-handoff') void this.#offerHandoff();
    // The link is on its way: the flow says it is waiting.
    else if (action === 'handoff-sent') {
      if (flow.handoff) flow.go('handoff-waiting');
    } else if (action === 'cancel-handoff') void this.#cancelHandoff();
    // The colleague read who asked: on to the permissions.
    else flow.go('permissions');
  }

  /**
   * Opening on a connection made before: a linked one is checked first, unless it was
   * linked just now (Chargify may have stopped accepting its key since).
   */
  async open(client: BackendClient, connection: Connection, signal: AbortSignal, verify: boolean): Promise<void> {
    let checked = connection;
    if (verify && connection.status === 'Linked') {
      try {
        checked = await verifyConnection(client, connection.id, signal);
      } catch (error) {
        const failure = toConduitError(error);
        if (failure.code === 'aborted' || signal.aborted || FATAL.has(failure.code)) throw failure;
        // Chargify busy or out of reach: the last known status is still the best answer.
      }
    }
    if (signal.aborted) return;
    this.#flow.connection = checked;
    await this.#flow.show(checked.status === 'Deauthorized' ? 'deauthorized' : 'connected', signal);
  }

  /** The colleague's page: who asked, and the connection the link may finish. */
  async loadHandoff(client: BackendClient, signal: AbortSignal): Promise<void> {
    const flow = this.#flow;
    try {
      const view = await describeHandoff(client, signal);
      if (signal.aborted) return;
      flow.handoffView = view;
      flow.selectedKey = view.connection.integrationKey;
      // A connection linked meanwhile ends the hand-off, whatever the server still says.
      const ended = view.connection.status === 'Linked' || view.connection.status === 'Unlinked';
      await flow.show(ended ? 'handoff-invalid' : 'handoff-welcome', signal);
    } catch (error) {
      const failure = toConduitError(error);
      if (failure.code === 'aborted' || signal.aborted) return;
      // 401: the link was used, has expired or was withdrawn.
      if (failure.code === 'session_expired' || failure.code === 'not_found') await flow.show('handoff-invalid', signal);
      else flow.fail(failure);
    }
  }

  // Disconnect confirmed: unlinks, says so, and offers to connect again.
  async #disconnect(): Promise<void> {
    const flow = this.#flow;
    const connection = flow.connection;
    if (!connection) return;
    await this.#action(async (client, signal) => {
      await unlinkConnection(client, connection.id, signal);
      flow.connection = null;
      flow.replacing = false;
      flow.host.dispatchEvent(new ConduitDisconnectEvent(connection.id));
      const preselected = flow.preselected;
      flow.selectedKey = preselected?.key ?? '';
      flow.go(preselected ? 'permissions' : 'picker');
    });
  }

  // "Send this step to a colleague": a hand-off for the pending connection (made now
  // if there is none), its link, and the flow starts watching for the finish.
  async #offerHandoff(): Promise<void> {
    const flow = this.#flow;
    const { handoffUrl, baseUri } = flow.config();
    if (!handoffUrl) return;
    await this.#action(async (client, signal) => {
      const target = (flow.replacing ? flow.connection : null) ?? (await flow.pendingConnection(client, signal));
      const handoff = await createHandoff(client, target.id, signal);
      flow.handoff = handoff;
      flow.handoffLink = handoffLink(handoffUrl, handoff.token, baseUri);
      flow.host.dispatchEvent(new ConduitHandoffEvent(handoff.expiresAt));
      await flow.show('handoff', signal);
      this.#watchHandoff(client, target.id, signal);
    });
  }

  // Cancel: the link is withdrawn and the user is back on the credentials step.
  async #cancelHandoff(): Promise<void> {
    const flow = this.#flow;
    const handoff = flow.handoff;
    const target = flow.replacing ? flow.connection : flow.pending;
    if (!handoff || !target) return;
    await this.#action(async (client, signal) => {
      await revokeHandoff(client, target.id, handoff.id, signal);
      this.#watch?.abort();
      this.#watch = null;
      flow.handoff = null;
      flow.handoffLink = '';
      flow.go('credentials');
    });
  }

  // One action at a time, within the flow's run; a failure its screen shows, or the flow's error.
  async #action(work: (client: BackendClient, signal: AbortSignal) => Promise<void>): Promise<void> {
    const flow = this.#flow;
    const run = flow.current();
    if (!run || flow.submitting) return;
    flow.actionFailure = null;
    flow.setSubmitting(true);
    try {
      await work(run.client, run.signal);
    } catch (error) {
      const failure = toConduitError(error);
      if (failure.code === 'aborted' || run.signal.aborted) return;
      if (FATAL.has(failure.code)) {
        flow.fail(failure);
        return;
      }
      flow.report(failure);
      flow.actionFailure = failure;
    } finally {
      flow.setSubmitting(false);
    }
  }

  // Polls the connection until it is linked: backoff, paused while the page is hidden,
  // ended with the run (removal, close, restart) or by Cancel.
  #watchHandoff(client: BackendClient, connectionId: string, runSignal: AbortSignal): void {
    this.#watch?.abort();
    const watch = new AbortController();
    this.#watch = watch;
    const signal = AbortSignal.any([runSignal, watch.signal]);
    const flow = this.#flow;
    void (async () => {
      let delay = POLL_FIRST_MS;
      while (!signal.aborted) {
        try {
          await sleep(delay, signal);
          await flow.host.whenVisible(signal);
          if (signal.aborted) return;
          const connection = await getConnection(client, connectionId, signal);
          if (signal.aborted) return;
          if (connection.status === 'Linked' && isVerified(connection.connectionInfo)) {
            this.#watch = null;
            flow.handoff = null;
            flow.linked(connection, 'handoff');
            return;
          }
        } catch (error) {
          const failure = toConduitError(error);
          if (signal.aborted || failure.code === 'aborted') return;
          if (FATAL.has(failure.code)) {
            flow.fail(failure);
            return;
          }
          // Anything else may pass: keep watching, a little less often.
        }
        delay = Math.min(delay * 2, POLL_MAX_MS);
      }
    })();
  }
}

/** `handoffUrl` with `conduit_handoff=<token>` added to whatever query it already has. */
export function handoffLink(handoffUrl: string, token: string, baseUri: string): string {
  const url = new URL(handoffUrl, baseUri);
  url.searchParams.set('conduit_handoff', token);
  return url.href;
}
