// The contract's paths and methods (DESIGN §6), as one table: a request is
// routed before anything else is looked at, so an unknown path is a 404 and a
// known path with another method a 405 naming what it allows, whatever the
// token, the body or its size.

export type OperationId =
  | 'health'
  | 'createSession'
  | 'revokeSessions'
  | 'listIntegrations'
  | 'getCompany'
  | 'listConnections'
  | 'createConnection'
  | 'getConnection'
  | 'unlinkConnection'
  | 'authorizeConnection'
  | 'verifyConnection'
  | 'createHandoff'
  | 'revokeHandoff'
  | 'describeHandoff';

interface Route {
  /** Literal segments, or `:name` for a parameter. */
  path: readonly string[];
  methods: Readonly<Partial<Record<string, OperationId>>>;
}

const ROUTES: readonly Route[] = [
  { path: ['health'], methods: { GET: 'health' } },
  { path: ['sessions'], methods: { POST: 'createSession' } },
  { path: ['integrations'], methods: { GET: 'listIntegrations' } },
  { path: ['companies', ':companyId'], methods: { GET: 'getCompany' } },
  { path: ['companies', ':companyId', 'sessions'], methods: { DELETE: 'revokeSessions' } },
  { path: ['companies', ':companyId', 'connections'], methods: { GET: 'listConnections', POST: 'createConnection' } },
  { path: ['companies', ':companyId', 'connections', ':connectionId'], methods: { GET: 'getConnection', PATCH: 'unlinkConnection' } },
  { path: ['companies', ':companyId', 'connections', ':connectionId', 'authorization'], methods: { PUT: 'authorizeConnection' } },
  { path: ['companies', ':companyId', 'connections', ':connectionId', 'verify'], methods: { POST: 'verifyConnection' } },
  { path: ['companies', ':companyId', 'connections', ':connectionId', 'handoffs'], methods: { POST: 'createHandoff' } },
  { path: ['companies', ':companyId', 'connections', ':connectionId', 'handoffs', ':handoffId'], methods: { DELETE: 'revokeHandoff' } },
  { path: ['handoff'], methods: { GET: 'describeHandoff' } },
];

/** The operations that take a JSON body; the others ignore one, so need no Content-Type. */
export const BODY_OPERATIONS: ReadonlySet<OperationId> = new Set(['createSession', 'createConnection', 'unlinkConnection', 'authorizeConnection']);

/** What a hand-off token opens: its connection's status and credentials step, and what it is for. */
export const HANDOFF_OPERATIONS: ReadonlySet<OperationId> = new Set(['getConnection', 'authorizeConnection', 'describeHandoff']);

/** The operations only the partner's server calls, with its secret; never for browsers. */
export const PARTNER_OPERATIONS: ReadonlySet<OperationId> = new Set(['createSession', 'revokeSessions']);

export interface PathMatch {
  route: Route;
  params: { companyId?: string; connectionId?: string; handoffId?: string };
}

/**
 * The route of `pathname` under `basePath`. One spelling per resource: an empty
 * segment (`//integrations`, a trailing slash) or an undecodable one matches
 * nothing, so path rules in a proxy in front cannot be sidestepped.
 */
export function matchPath(pathname: string, basePath: string): PathMatch | null {
  if (basePath && !pathname.startsWith(`${basePath}/`)) return null;
  const raw = pathname.slice(basePath.length).split('/').slice(1);
  let segments: string[];
  try {
    segments = raw.map(decodeURIComponent);
  } catch {
    return null;
  }
  if (segments.some((segment) => segment === '')) return null;
  for (const route of ROUTES) {
    if (route.path.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const matches = route.path.every((part, index) => {
      if (part.startsWith(':')) params[part.slice(1)] = segments[index]!;
      return part.startsWith(':') || part === segments[index];
    });
    if (matches) return { route, params };
  }
  return null;
}

/** The operation `method` names on the route; `HEAD` is answered as `GET` wherever `GET` is. */
export function operationFor(route: Route, method: string): OperationId | undefined {
  return route.methods[method === 'HEAD' ? 'GET' : method];
}

/** The `Allow` header of a route (RFC 9110 §10.2.1). */
export function allowedMethods(route: Route): string {
  const methods = Object.keys(route.methods);
  if (methods.includes('GET')) methods.push('HEAD');
  return [...methods, 'OPTIONS'].join(', ');
}
