import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { contract, METHODS } from './openapi-conformance.js';
import { newCompanyId, PARTNER_SECRET, startBackend, useSimulatedChargify, type Reply, type TestBackend } from './support.js';

// A property-based run against the handler (issue 20): requests generated from
// server/openapi.yaml's own schemas, valid and deliberately wrong (types,
// lengths, Unicode, methods, paths, media types, credentials). Whatever comes
// in, the answer must be one the document lists for that operation (or its
// 404/405), in the error shape when it is an error — the harness checks each
// exchange against the document — and never a 500.
//
// A fixed seed and a few hundred runs in `npm test`; for a longer run with
// another seed: CONDUIT_PROPERTY_RUNS=5000 CONDUIT_PROPERTY_SEED=7 node --import tsx --test test/server/handler-properties.test.ts

useSimulatedChargify();

const SEED = Number(process.env.CONDUIT_PROPERTY_SEED ?? 20_261_207);
const RUNS = Number(process.env.CONDUIT_PROPERTY_RUNS ?? 400);

type Schema = Record<string, unknown>;
const document = contract().document;

function resolve(schema: Schema): Schema {
  const ref = schema.$ref;
  return typeof ref === 'string' ? resolve(document.components.schemas[ref.split('/').at(-1)!] as Schema) : schema;
}

/** Values a schema accepts, for the subset of JSON Schema the request bodies use. */
function valid(given: Schema): fc.Arbitrary<unknown> {
  const schema = resolve(given);
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  if (schema.type === 'string') {
    const maxLength = typeof schema.maxLength === 'number' ? schema.maxLength : 250;
    const text = typeof schema.pattern === 'string' ? fc.stringMatching(new RegExp(schema.pattern)) : fc.string({ unit: 'grapheme', maxLength });
    // Lengths are counted in code points, as the handler and JSON Schema count them.
    return text.filter((value) => [...value].length >= ((schema.minLength as number) ?? 0) && [...value].length <= maxLength);
  }
  if (schema.type === 'object') {
    const properties = Object.fromEntries(
      Object.entries((schema.properties ?? {}) as Record<string, Schema>).map(([name, property]) => [name, valid(property)]),
    );
    return fc.record(properties, { requiredKeys: (schema.required as string[] | undefined) ?? [] });
  }
  throw new Error(`no generator for ${JSON.stringify(schema)}`);
}

/** A valid body with one field made wrong: another type, a long or exotic string, or gone. */
function almostValid(schema: Schema): fc.Arbitrary<unknown> {
  const fields = Object.keys((resolve(schema).properties ?? {}) as object);
  const wrongValue = fc.oneof(
    fc.jsonValue(),
    fc.string({ unit: 'binary', maxLength: 400 }),
    fc.constantFrom('\u212Aacme', 'ａcme', 'acme-', '-acme', '😀'.repeat(201), ' ', '', 'x'.repeat(10_000)),
  );
  return fc.tuple(valid(schema), fc.constantFrom(...fields), wrongValue, fc.boolean()).map(([body, field, value, drop]) => {
    const copy = { ...(body as Record<string, unknown>) };
    if (drop) delete copy[field];
    else copy[field] = value;
    return copy;
  });
}

interface Generated {
  method: string;
  path: string;
  contentType: string | null;
  body: string | undefined;
  auth: 'session' | 'other-session' | 'partner' | 'partner-lower-case' | 'garbage' | 'none';
}

describe('requests generated from the document', () => {
  let backend: TestBackend;
  const tokens: Record<string, string> = {};
  let companyId: string;
  let connectionId: string;

  before(async () => {
    backend = await startBackend();
    companyId = newCompanyId('prop');
    tokens.session = await backend.session(companyId);
    tokens['other-session'] = await backend.session(newCompanyId('prop-other'));
    connectionId = (await backend.pending(tokens.session, companyId)).id;
  });
  after(() => backend.close());

  function operations() {
    return Object.entries(document.paths).flatMap(([template, item]) =>
      METHODS.flatMap((method) => (item[method] ? [{ template, method: method.toUpperCase(), operation: item[method]! }] : [])),
    );
  }

  function requests(): fc.Arbitrary<Generated> {
    const segment = fc.oneof(fc.constantFrom('', '%', '%2F', '..', 'x'.repeat(300)), fc.string({ unit: 'grapheme', maxLength: 20 }).map(encodeURIComponent));
    // Revoking sessions gets a company of its own, or the run would end its own tokens early on.
    const concrete = (template: string) =>
      template.replace('{companyId}', template.endsWith('/sessions') ? 'prop-revoked' : companyId).replace('{connectionId}', connectionId);
    const paths = (template: string) =>
      fc.oneof(
        { weight: 6, arbitrary: fc.constant(concrete(template)) },
        { weight: 2, arbitrary: fc.tuple(segment, segment).map(([a, b]) => template.replace('{companyId}', a).replace('{connectionId}', b)) },
        { weight: 1, arbitrary: fc.constant(`/${template}`) },
        { weight: 1, arbitrary: segment.map((extra) => `${concrete(template)}/${extra}`) },
      );
    const contentTypes = fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom('application/json', 'application/json; charset=utf-8') },
      { weight: 1, arbitrary: fc.constantFrom(null, 'text/plain', 'application/x-www-form-urlencoded', 'application/json-patch+json') },
    );
    const otherAuths = fc.constantFrom<Generated['auth']>('other-session', 'garbage', 'none');
    // Mostly the credentials the operation takes, so that the run gets past them to the bodies.
    const auths = (partnerOnly: boolean) =>
      fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom<Generated['auth']>(...(partnerOnly ? (['partner', 'partner-lower-case'] as const) : (['session'] as const))) },
        { weight: 1, arbitrary: fc.constantFrom<Generated['auth']>(partnerOnly ? 'session' : 'partner') },
        { weight: 1, arbitrary: otherAuths },
      );
    const methods = fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE');
    return fc.oneof(
      ...operations().map(({ template, method, operation }) => {
        const schema = operation.requestBody?.content['application/json']?.schema as Schema | undefined;
        const bodies = schema
          ? fc.oneof(
              { weight: 4, arbitrary: valid(schema).map((body) => JSON.stringify(body)) },
              { weight: 4, arbitrary: almostValid(schema).map((body) => JSON.stringify(body)) },
              { weight: 1, arbitrary: fc.jsonValue().map((body) => JSON.stringify(body)) },
              { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
            )
          : fc.constant(undefined);
        return fc.record({
          method: fc.oneof({ weight: 5, arbitrary: fc.constant(method) }, { weight: 1, arbitrary: methods }),
          path: paths(template),
          contentType: contentTypes,
          body: bodies,
          auth: auths(operation.security?.some((scheme) => 'partnerSecret' in scheme) === true),
        });
      }),
    );
  }

  function headersFor(generated: Generated): Record<string, string> {
    const headers: Record<string, string> = {};
    if (generated.contentType !== null && generated.body !== undefined) headers['Content-Type'] = generated.contentType;
    const bearer = {
      session: `Bearer ${tokens.session}`,
      'other-session': `Bearer ${tokens['other-session']}`,
      partner: `Bearer ${PARTNER_SECRET}`,
      'partner-lower-case': `bearer ${PARTNER_SECRET}`,
      garbage: 'Bearer not-a-token',
      none: undefined,
    }[generated.auth];
    if (bearer) headers.Authorization = bearer;
    return headers;
  }

  it(`answers ${RUNS} generated requests as the document says (seed ${SEED})`, async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(requests(), async (generated) => {
        const hasBody = generated.method !== 'GET' && generated.method !== 'HEAD' && generated.method !== 'DELETE';
        // The harness checks the exchange against the document (operation, status, headers, body shape).
        const reply: Reply = await backend.call(generated.method, generated.path, {
          headers: headersFor(generated),
          ...(hasBody && generated.body !== undefined ? { raw: generated.body } : {}),
        });
        statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
        assert.notEqual(reply.status, 500, `a 500 for ${generated.method} ${generated.path}: ${reply.text}`);
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    const summary = [...statuses].sort(([a], [b]) => a - b).map(([status, count]) => `${status}×${count}`).join(' ');
    console.log(`property-based run: ${RUNS} requests, seed ${SEED}: ${summary}`);
    assert.ok(statuses.size >= 8, 'the run reached many different answers');
  });
});
