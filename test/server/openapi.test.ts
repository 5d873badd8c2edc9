import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ChargifyCredentials, Company, Connection, ConnectionInfo, Handoff, Integration } from '../../src/backend/types.js';
import { Contract, contract, METHODS, type Operation } from './openapi-conformance.js';
import { startBackend, useSimulatedChargify, type TestBackend } from './support.js';

// server/openapi.yaml itself: a valid 3.1 document whose schemas compile, that
// documents exactly the handler's routes and every status each can answer.

useSimulatedChargify();

const document = contract().document;

function operations(): { template: string; method: string; operation: Operation }[] {
  return Object.entries(document.paths).flatMap(([template, item]) =>
    METHODS.flatMap((method) => (item[method] ? [{ template, method: method.toUpperCase(), operation: item[method]! }] : [])),
  );
}

function collectRefs(value: unknown, into: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((item) => collectRefs(item, into));
  else if (typeof value === 'object' && value !== null) {
    for (const [name, inner] of Object.entries(value)) {
      if (name === '$ref' && typeof inner === 'string') into.push(inner);
      else collectRefs(inner, into);
    }
  }
  return into;
}

// What the handler can answer, read from server/handler.ts, connections.ts, sessions.ts and idempotency.ts.
const STATUSES: Record<string, string[]> = {
  'POST /sessions': ['201', '400', '401', '413', '415', '429', '500'],
  'DELETE /companies/{companyId}/sessions': ['204', '401', '429', '500'],
  'GET /health': ['200', '500'],
  'GET /integrations': ['200', '401', '403', '500'],
  'GET /companies/{companyId}': ['200', '401', '403', '404', '500'],
  'GET /companies/{companyId}/connections': ['200', '401', '403', '500'],
  'POST /companies/{companyId}/connections': ['200', '201', '400', '401', '403', '413', '415', '422', '429', '500'],
  'GET /companies/{companyId}/connections/{connectionId}': ['200', '401', '403', '404', '500'],
  'PATCH /companies/{companyId}/connections/{connectionId}': ['200', '400', '401', '403', '404', '413', '415', '422', '500'],
  'PUT /companies/{companyId}/connections/{connectionId}/authorization': [
    '200', '400', '401', '403', '404', '409', '413', '415', '422', '429', '500', '503',
  ],
  'POST /companies/{companyId}/connections/{connectionId}/verify': ['200', '401', '403', '404', '409', '429', '500', '503'],
  'POST /companies/{companyId}/connections/{connectionId}/handoffs': ['201', '401', '403', '404', '409', '500'],
  'DELETE /companies/{companyId}/connections/{connectionId}/handoffs/{handoffId}': ['204', '401', '403', '404', '500'],
  'GET /handoff': ['200', '401', '403', '500'],
};

describe('OpenAPI document', () => {
  it('is OpenAPI 3.1 and every $ref in it resolves', () => {
    assert.match(document.openapi, /^3\.1\.\d+$/);
    const refs = collectRefs(document);
    assert.ok(refs.length > 20, 'the document is built from components');
    for (const ref of new Set(refs)) {
      const target = ref
        .slice(2)
        .split('/')
        .reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], document);
      assert.ok(target, `${ref} resolves`);
    }
  });

  it('has component schemas that compile under strict JSON Schema 2020-12, including every response schema', () => {
    const checker = new Contract();
    for (const name of Object.keys(document.components.schemas)) {
      assert.doesNotThrow(() => checker.validator(`#/components/schemas/${name}`, { $ref: `#/components/schemas/${name}` }), name);
    }
    for (const { template, method, operation } of operations()) {
      for (const [status, response] of Object.entries(operation.responses)) {
        if (status === '204') continue;
        const schema = (checker.deref(response).content as Record<string, { schema: Record<string, unknown> }> | undefined)?.[
          'application/json'
        ]?.schema;
        assert.ok(schema, `${method} ${template} ${status} has a JSON body`);
        assert.doesNotThrow(() => checker.validator(`${method} ${template} ${status}`, schema), `${method} ${template} ${status}`);
      }
    }
  });

  it('documents every status each operation can answer, and no other', () => {
    const documented = Object.fromEntries(
      operations().map(({ template, method, operation }) => [`${method} ${template}`, Object.keys(operation.responses).sort()]),
    );
    assert.deepEqual(documented, Object.fromEntries(Object.entries(STATUSES).map(([name, statuses]) => [name, [...statuses].sort()])));
  });

  it('puts every error in Codat’s shape, with X-Correlation-Id on every response and Retry-After on 429 and 503', () => {
    const checker = contract();
    for (const { template, method, operation } of operations()) {
      for (const [status, reference] of Object.entries(operation.responses)) {
        const response = checker.deref(reference);
        const headers = response.headers as Record<string, Record<string, unknown>>;
        assert.equal(checker.deref(headers['X-Correlation-Id']!).required, true, `${method} ${template} ${status}`);
        const retryAfter = headers['Retry-After'] ? checker.deref(headers['Retry-After']) : undefined;
        assert.equal(retryAfter?.required === true, status === '429' || status === '503', `${method} ${template} ${status} Retry-After`);
        if (Number(status) >= 400) {
          const schema = (response.content as Record<string, { schema: Record<string, unknown> }>)['application/json']!.schema;
          const error = {
            statusCode: Number(status),
            service: 'conduit-reference-backend',
            error: 'x',
            correlationId: 'c',
            validation: null,
            canBeRetried: 'False',
            detailedErrorCode: null,
          };
          // Anything that is not an Error must be refused, whatever the status adds.
          assert.equal(checker.isValid(`${method} ${template} ${status}`, schema, { ...error, apiKey: 'k' }), false);
          assert.equal(checker.isValid(`${method} ${template} ${status}`, schema, { message: 'x' }), false);
        }
      }
    }
  });

  it('documents the detailedErrorCode table, 10001 to 10011', () => {
    const error = document.components.schemas.Error as { properties: { detailedErrorCode: { enum: unknown[] } } };
    assert.deepEqual(error.properties.detailedErrorCode.enum, [10001, 10002, 10003, 10004, 10005, 10006, 10007, 10008, 10009, 10010, 10011, null]);
    const description = (document as unknown as { info: { description: string } }).info.description;
    const rows: [number, string][] = [
      [10001, 'invalid_input'],
      [10002, 'invalid_credentials'],
      [10003, 'site_not_found'],
      [10004, 'access_refused'],
      [10005, 'account_blocked'],
      [10006, 'site_mismatch'],
      [10007, 'rate_limited'],
      [10008, 'upstream_unavailable'],
      [10009, 'conflict'],
      [10010, 'upstream_unavailable'],
      [10011, 'too_many_attempts'],
    ];
    for (const [code, widgetCode] of rows) assert.match(description, new RegExp(`\\| ${code} \\|[^\\n]*\`${widgetCode}\``), `row ${code}`);
    assert.ok(!description.includes('insufficient_permissions'), 'no verdict Chargify cannot give');
  });

  it('refuses a connection that carries a key, and a hint on anything but 10003', () => {
    const checker = contract();
    const connection = {
      id: '7d9f6f0e-8a44-4d5e-9d1c-7a0f1b2c3d4e',
      integrationKey: 'chargify',
      platformName: 'Chargify',
      sourceType: 'Commerce',
      status: 'Linked',
      created: '2031-05-04T10:00:00.000Z',
      connectionInfo: { subdomain: 'acme', region: 'US', siteId: 1, siteName: 'Acme', currency: 'USD', test: false },
    };
    assert.doesNotThrow(() => checker.validateComponent('Connection', connection));
    assert.throws(() => checker.validateComponent('Connection', { ...connection, connectionInfo: { ...connection.connectionInfo, apiKey: 'k' } }));
    assert.throws(() => checker.validateComponent('Connection', { ...connection, apiKey: 'k' }));
    assert.throws(() => checker.validateComponent('Connection', { ...connection, status: 'Connected' }));
    const error = {
      statusCode: 400,
      service: 'conduit-reference-backend',
      error: 'x',
      correlationId: 'c',
      validation: null,
      canBeRetried: 'False',
      detailedErrorCode: 10003,
      hint: { region: 'EU' },
    };
    assert.doesNotThrow(() => checker.validateComponent('Error', error));
    assert.throws(() => checker.validateComponent('Error', { ...error, detailedErrorCode: 10002 }));
    assert.throws(() => checker.validateComponent('Error', { ...error, hint: { region: 'APAC' } }));
  });

  it('names the security of each operation: none for /health, the partner secret for sessions, a hand-off token where it opens something, the session token elsewhere', () => {
    assert.deepEqual(document.security, [{ sessionToken: [] }]);
    assert.equal(document.components.securitySchemes.sessionToken!.scheme, 'bearer');
    assert.equal(document.components.securitySchemes.partnerSecret!.scheme, 'bearer');
    for (const { template, method, operation } of operations()) {
      const partner = template === '/sessions' || template === '/companies/{companyId}/sessions';
      const handoffToo = operation.operationId === 'getConnection' || operation.operationId === 'authorizeConnection';
      const expected =
        template === '/health'
          ? []
          : partner
            ? [{ partnerSecret: [] }]
            : template === '/handoff'
              ? [{ handoffToken: [] }]
              : handoffToo
                ? [{ sessionToken: [] }, { handoffToken: [] }]
                : undefined;
      assert.deepEqual(operation.security, expected, `${method} ${template}`);
    }
  });

  it('says one thing of X-Correlation-Id: any value is taken, only a sane one is echoed, as the handler does', () => {
    const parameter = document.components.parameters.CorrelationId as { schema: Record<string, unknown>; description: string };
    assert.equal(parameter.schema.pattern, undefined, 'a request with any value is valid: the handler replaces, never refuses');
    assert.match(parameter.description, /8–64 letters, digits and dashes is echoed/);
    const header = document.components.headers['X-Correlation-Id'] as { schema: { pattern: string } };
    assert.equal(header.schema.pattern, '^[A-Za-z0-9-]{8,64}$');
  });

  it('takes X-Correlation-Id on every operation and Idempotency-Key on every mutating widget call', () => {
    const checker = contract();
    for (const { template, method, operation } of operations()) {
      const names = (operation.parameters ?? []).map((parameter) => checker.deref(parameter).name);
      assert.ok(names.includes('X-Correlation-Id'), `${method} ${template}`);
      const mutating = method !== 'GET' && method !== 'DELETE' && template.startsWith('/companies');
      assert.equal(names.includes('Idempotency-Key'), mutating, `${method} ${template} Idempotency-Key`);
    }
  });
});

// The widget's types (src/backend/types.ts) are written by hand, not generated: openapi-typescript
// 7.13 drives TypeScript 5's compiler API (a peer dependency of `typescript@^5`), and this project
// builds with TypeScript 7, which has none. So each type is held to the document here instead:
// a value with every field the type has (`Required`, and TypeScript refuses any field it lacks)
// must be accepted by the document's schema, and must name exactly the schema's properties.
describe('the widget’s types and the document', () => {
  const info: Required<ConnectionInfo> = { subdomain: 'acme', region: 'EU', siteId: 1, siteName: 'Acme', currency: 'EUR', test: true };
  const samples: [string, object][] = [
    ['Integration', { key: 'chargify', name: 'Chargify', logoUrl: '', enabled: true, sourceType: 'Commerce', isBeta: false } satisfies Required<Integration>],
    ['Company', { id: 'acme-inc', name: 'Acme' } satisfies Required<Company>],
    ['ConnectionInfo', info],
    [
      'Connection',
      {
        id: '3f0c1c52-5f0e-4c1b-9d8e-2f5b8a6c7d10',
        integrationKey: 'chargify',
        platformName: 'Chargify',
        sourceType: 'Commerce',
        status: 'Linked',
        created: '2031-05-04T10:00:00.000Z',
        connectionInfo: info,
        lastVerifiedAt: '2031-05-04T10:00:00.000Z',
        deauthorizedReason: 'account_blocked',
      } satisfies Required<Connection>,
    ],
    ['Handoff', { id: '3f0c1c52-5f0e-4c1b-9d8e-2f5b8a6c7d10', token: 'x'.repeat(43), expiresAt: '2031-05-05T10:00:00.000Z' } satisfies Required<Handoff>],
    ['ChargifyCredentials', { apiKey: 'chg_key', subdomain: 'acme', region: 'US' } satisfies Required<ChargifyCredentials>],
  ];
  for (const [name, sample] of samples) {
    it(`${name}: the type's fields are the schema's properties, and a value of the type is valid`, () => {
      const schema = document.components.schemas[name] as { properties: Record<string, unknown> };
      assert.deepEqual(Object.keys(sample).sort(), Object.keys(schema.properties).sort());
      contract().validateComponent(name, sample);
    });
  }
});

describe('OpenAPI document against the handler’s routes', () => {
  let backend: TestBackend;
  let token: string;
  let connectionId: string;
  let handoffId: string;

  before(async () => {
    backend = await startBackend();
    token = await backend.session('probe-co');
    connectionId = (await backend.pending(token, 'probe-co')).id;
    handoffId = (await backend.call('POST', `/companies/probe-co/connections/${connectionId}/handoffs`, { token })).body.id;
  });
  after(() => backend.close());

  const concrete = (template: string) => template.replace('{companyId}', 'probe-co').replace('{connectionId}', connectionId).replace('{handoffId}', handoffId);
  const PROBED = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'];

  // A route exists when a well-authenticated call to an existing resource is not told 404 or 405.
  async function routed(method: string, path: string): Promise<boolean> {
    const reply = await backend.call(method, path, { token, ...(method === 'GET' || method === 'HEAD' ? {} : { json: {} }) });
    return reply.status !== 404 && reply.status !== 405;
  }

  it('has an operation for every route the handler answers on a documented path, and a route for every operation', async () => {
    for (const template of Object.keys(document.paths)) {
      for (const method of PROBED) {
        const documented = contract().find(method, concrete(template)) !== undefined;
        assert.equal(await routed(method, concrete(template)), documented, `${method} ${template}`);
      }
    }
  });

  it('answers 404 or 405 on paths the document does not have', async () => {
    const paths = [
      '/',
      '/companies',
      '/sessions/extra',
      '/health/extra',
      '/integrations/chargify',
      '/companies/probe-co/settings',
      `/companies/probe-co/connections/${connectionId}/extra`,
      `/companies/probe-co/connections/${connectionId}/authorization/extra`,
    ];
    for (const path of paths) {
      for (const method of PROBED) {
        assert.equal(contract().find(method, path), undefined);
        assert.equal(await routed(method, path), false, `${method} ${path}`);
      }
    }
  });
});
