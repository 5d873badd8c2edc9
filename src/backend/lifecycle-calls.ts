import type { BackendClient } from './client.js';
import type { Connection, Handoff, HandoffView } from './types.js';
import { parseConnection, parseHandoff, parseHandoffView } from './validate.js';

// The calls of a connection's life after the first connect (DESIGN §6): they live in
// the lifecycle chunk, beside the screens that make them, so the first screen's client
// does not carry them.

export function getConnection(client: BackendClient, connectionId: string, signal?: AbortSignal): Promise<Connection> {
  return client.call('GET', client.connectionPath(connectionId), { signal, parse: parseConnection });
}

export function unlinkConnection(client: BackendClient, connectionId: string, signal?: AbortSignal): Promise<Connection> {
  return client.call('PATCH', client.connectionPath(connectionId), { body: { status: 'Unlinked' }, signal, parse: parseConnection });
}

/** Re-checks the stored key with Chargify: the connection, `Linked` or `Deauthorized`. */
export function verifyConnection(client: BackendClient, connectionId: string, signal?: AbortSignal): Promise<Connection> {
  return client.call('POST', `${client.connectionPath(connectionId)}/verify`, { signal, parse: parseConnection });
}

/** A single-use link for a colleague to finish the connection's credentials step. */
export function createHandoff(client: BackendClient, connectionId: string, signal?: AbortSignal): Promise<Handoff> {
  return client.call('POST', `${client.connectionPath(connectionId)}/handoffs`, { signal, parse: parseHandoff });
}

/** Withdraws a hand-off: its link stops working. */
export async function revokeHandoff(client: BackendClient, connectionId: string, handoffId: string, signal?: AbortSignal): Promise<void> {
  await client.call('DELETE', `${client.connectionPath(connectionId)}/handoffs/${encodeURIComponent(handoffId)}`, {
    signal,
    parse: () => true,
  });
}

/**
 * With a hand-off token as the bearer: who asked, and the connection to finish.
 * From then on the client speaks for that company.
 */
export async function describeHandoff(client: BackendClient, signal?: AbortSignal): Promise<HandoffView> {
  const view = await client.call('GET', '/handoff', { signal, parse: parseHandoffView });
  client.speakFor(view.companyId);
  return view;
}
