import { BackendClient } from '../../backend/client.js';
import type { ConduitError } from '../../backend/errors.js';
import type { Region } from '../../backend/types.js';
import { checkBackendUrl } from '../../backend/url.js';
import type { ConduitStep } from '../../events/step-change.js';
import type { LifecycleFlow } from './lifecycle-flow.js';

// What the flow controller is configured with, the client it makes of that, and
// what it needs from the element that shows it.

/** What the flow is configured with, read when it starts. */
export interface FlowConfig {
  backendUrl: string;
  companyId: string;
  sessionToken: string;
  fetchSessionToken: (() => Promise<string>) | undefined;
  /** A preselected integration key, or ''. */
  integration: string;
  requestTimeout: number;
  /** What relative backend URLs resolve against: the page's base URI. */
  baseUri: string;
  /** The partner page that hosts the flow for a colleague, or ''. */
  handoffUrl: string;
  /** Set on a colleague's page instead of the company id and session token, or ''. */
  handoffToken: string;
}

/** The site a replaced key must belong to: shown, not editable. */
export interface FixedSite {
  subdomain: string;
  region: Region;
}

/** What the flow needs from the element that shows it. */
export interface FlowHost {
  /** The state changed: render again. */
  requestUpdate(): void;
  dispatchEvent(event: Event): boolean;
  /** The user-facing message for a failure, in the flow's language (the event carries it). */
  describe(failure: ConduitError, region?: Region): string;
  /** Resolves once the page is visible (at once if it is), or when `signal` aborts. */
  whenVisible(signal: AbortSignal): Promise<void>;
  /** Resolves once the elements that show `step` are defined (some come in a chunk of their own). */
  prepare(step: ConduitStep): Promise<void>;
  /** The lifecycle chunk: the screens after the first connect, and what they do. */
  lifecycle(): Promise<{ LifecycleFlow: typeof LifecycleFlow }>;
}

/** What `config` still lacks before the flow may call the backend: it never calls without them. */
export function missingConfiguration(config: FlowConfig): string[] {
  const missing: string[] = [];
  if (!config.backendUrl) missing.push('backend-url');
  // A colleague's page has the hand-off token instead of a company and a session.
  if (config.handoffToken) return missing;
  if (!config.companyId) missing.push('company-id');
  if (!config.sessionToken && !config.fetchSessionToken) missing.push('session-token');
  return missing;
}

/** The client for a complete `config`: the session's, or the colleague's with the hand-off token as its bearer. Throws on a backend URL that would expose the key. */
export function clientFor(config: FlowConfig): BackendClient {
  const baseUrl = checkBackendUrl(config.backendUrl, config.baseUri);
  return config.handoffToken
    ? new BackendClient({ baseUrl, handoff: true, sessionToken: config.handoffToken, timeoutMs: config.requestTimeout })
    : new BackendClient({
        baseUrl,
        companyId: config.companyId,
        sessionToken: config.sessionToken || undefined,
        fetchSessionToken: config.fetchSessionToken,
        timeoutMs: config.requestTimeout,
      });
}
