import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { OpenAPIBackend, type Operation as BackendOperation } from 'openapi-backend';
import { parse } from 'yaml';

// server/openapi.yaml as an oracle: every exchange the tests make with the
// handler is checked against the operation and status it documents, so the
// document cannot drift from what the handler really answers. Routing, and the
// validation of request and response bodies, are openapi-backend's; what it has
// no notion of (which headers the contract allows, a HEAD without a body, the
// 404/405 of paths without an operation) is checked here.

export const DOCUMENT_PATH = new URL('../../server/openapi.yaml', import.meta.url);

/** The methods OpenAPI can document on a path. */
export const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** The headers of the contract (DESIGN §6) that a response may carry. */
const CONTRACT_HEADERS = ['X-Correlation-Id', 'Retry-After', 'Idempotent-Replayed'];

// Component schemas are registered under this id; `#/components/schemas/X` refs are rewritten to it.
const SCHEMAS_ID = 'https://conduit-link.test/openapi/schemas';

type Json = Record<string, unknown>;

export interface ResponseObject {
  description: string;
  headers?: Record<string, Json>;
  content?: Record<string, { schema: Json }>;
}

export interface Operation {
  operationId: string;
  security?: Json[];
  parameters?: Json[];
  requestBody?: { required?: boolean; content: Record<string, { schema: Json }> };
  responses: Record<string, Json>;
}

export interface OpenApiDocument {
  openapi: string;
  security?: Json[];
  paths: Record<string, Partial<Record<(typeof METHODS)[number], Operation>> & { parameters?: Json[] }>;
  components: {
    schemas: Record<string, Json>;
    responses: Record<string, Json>;
    headers: Record<string, Json>;
    parameters: Record<string, Json>;
    securitySchemes: Record<string, Json>;
  };
}

/** One request and the handler's answer to it, as a test saw them. */
export interface Exchange {
  method: string;
  pathname: string;
  requestBody: string;
  status: number;
  headers: Headers;
  body: string;
}

export interface FoundOperation {
  template: string;
  method: (typeof METHODS)[number];
  operation: Operation;
}

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Bodies in failure messages, cut so that a 200 KiB one does not bury the message. */
function short(text: string): string {
  return text.length > 300 ? `${text.slice(0, 300)}… (${text.length} characters)` : text;
}

function isDecodable(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

/** Replaces `#/components/schemas/X` with an absolute ref Ajv can resolve, deeply. */
function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (!isRecord(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([name, inner]) => [
      name,
      name === '$ref' && typeof inner === 'string' && inner.startsWith('#/components/schemas/')
        ? `${SCHEMAS_ID}#/$defs/${inner.slice('#/components/schemas/'.length)}`
        : rewriteRefs(inner),
    ]),
  );
}

export class Contract {
  readonly document: OpenApiDocument;
  private readonly ajv: Ajv2020;
  private readonly validators = new Map<string, ValidateFunction>();
  #backend: OpenAPIBackend | undefined;

  constructor(text = readFileSync(DOCUMENT_PATH, 'utf8')) {
    this.document = parse(text) as OpenApiDocument;
    this.ajv = this.#dialect();
    this.ajv.addSchema({ $id: SCHEMAS_ID, $defs: rewriteRefs(this.document.components.schemas) as Json });
  }

  // Strict, so a misspelt keyword in the document is an error rather than a schema that accepts anything;
  // required properties may be declared in another branch of an allOf, which is how the operations narrow components.
  #dialect(): Ajv2020 {
    const ajv = new Ajv2020({ strict: true, strictTypes: false, strictRequired: false, allowUnionTypes: true, allErrors: true });
    ajv.addFormat('date-time', {
      type: 'string',
      validate: (value: string) =>
        /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value) && !Number.isNaN(Date.parse(value)),
    });
    ajv.addFormat('uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
    return ajv;
  }

  /** Follows a `$ref` to a component (response, header, parameter), or returns the object itself. */
  deref(value: Json): Json {
    const ref = value.$ref;
    if (typeof ref !== 'string') return value;
    const match = /^#\/components\/(\w+)\/([\w.-]+)$/.exec(ref);
    assert.ok(match, `unsupported $ref ${ref}`);
    const group = (this.document.components as unknown as Record<string, Record<string, Json> | undefined>)[match[1]!];
    const target = group?.[match[2]!];
    assert.ok(target, `${ref} does not resolve`);
    return this.deref(target);
  }

  /** The compiled validator for a schema found at `where` (used as the cache key and in messages). */
  validator(where: string, schema: Json): ValidateFunction {
    let validate = this.validators.get(where);
    if (!validate) {
      validate = this.ajv.compile(rewriteRefs(schema) as Json);
      this.validators.set(where, validate);
    }
    return validate;
  }

  /** Validates a value against a component schema, e.g. `Error`. */
  validateComponent(name: string, value: unknown): void {
    const schema = this.document.components.schemas[name];
    assert.ok(schema, `no component schema ${name}`);
    this.assertValid(`#/components/schemas/${name}`, { $ref: `#/components/schemas/${name}` }, value);
  }

  assertValid(where: string, schema: Json, value: unknown): void {
    const validate = this.validator(where, schema);
    if (!validate(value)) {
      assert.fail(`${where} does not accept ${short(JSON.stringify(value))}:\n${this.ajv.errorsText(validate.errors, { separator: '\n' })}`);
    }
  }

  isValid(where: string, schema: Json, value: unknown): boolean {
    return this.validator(where, schema)(value) === true;
  }

  /** The documented operation for a request, if any, as openapi-backend's router matches it; HEAD is GET's. */
  find(method: string, pathname: string): FoundOperation | undefined {
    const asked = method === 'HEAD' ? 'GET' : method;
    // A segment that is not valid percent-encoding names no resource (the document's edges say so).
    if (!isDecodable(pathname)) return undefined;
    const match = this.#api().router.matchOperation({ method: asked.toLowerCase(), path: pathname, headers: {} });
    if (!match) return undefined;
    const key = match.method as (typeof METHODS)[number];
    return { template: match.path, method: key, operation: this.document.paths[match.path]![key]! };
  }

  /** Fails unless the exchange is one the document describes: operation, status, headers and body. */
  check(exchange: Exchange): void {
    const { method, pathname, status, headers, body } = exchange;
    const found = this.find(method, pathname);
    let where: string;
    let response: ResponseObject;
    if (found) {
      where = `${method} ${found.template} → ${status}`;
      const documented = found.operation.responses[String(status)];
      assert.ok(documented, `${where} is not documented (the document lists ${Object.keys(found.operation.responses).join(', ')})`);
      response = this.deref(documented) as unknown as ResponseObject;
    } else {
      // Not an operation: the handler may only say so, as the document's NotFound or MethodNotAllowed.
      where = `${method} ${pathname} (no operation) → ${status}`;
      const name = { 404: 'NotFound', 405: 'MethodNotAllowed' }[status];
      assert.ok(name, `${where}: the document has no such operation, yet the handler answered ${status}`);
      response = this.deref(this.document.components.responses[name]!) as unknown as ResponseObject;
    }

    for (const name of [...CONTRACT_HEADERS, ...(status === 405 ? ['Allow'] : [])]) {
      const declared = response.headers?.[name] ? this.deref(response.headers[name]!) : undefined;
      const value = headers.get(name);
      if (value === null) {
        assert.ok(!declared?.required, `${where}: the required header ${name} is missing`);
      } else {
        assert.ok(declared, `${where}: ${name} is sent but not documented`);
        this.assertValid(`${where} header ${name}`, declared.schema as Json, value);
      }
    }

    const media = response.content?.['application/json'];
    // HEAD answers as GET does, without the body (RFC 9110 §9.3.2).
    if (method === 'HEAD') {
      assert.equal(body, '', `${where}: a HEAD answer has no body`);
      return;
    }
    if (!body) {
      assert.ok(!media, `${where}: the document promises a JSON body, the handler sent none`);
      return;
    }
    assert.ok(media, `${where}: the handler sent a body the document does not describe: ${short(body)}`);
    assert.match(headers.get('Content-Type') ?? '', /^application\/json\b/, `${where}: Content-Type`);
    const answer = JSON.parse(body) as unknown;
    if (found) {
      const checked = this.#api().validator.validateResponse(answer, this.#operation(found), status);
      assert.ok(checked.valid, `${where} does not accept ${short(body)}:\n${JSON.stringify(checked.errors, null, 1)}`);
      this.checkRequestBody(found, where, exchange);
    } else {
      this.assertValid(where, media.schema, answer);
    }
  }

  // The documented request schema must accept what the handler accepted and refuse what it refused as malformed.
  private checkRequestBody(found: FoundOperation, where: string, exchange: Exchange): void {
    if (!found.operation.requestBody) return;
    let sent: unknown;
    try {
      sent = JSON.parse(exchange.requestBody);
    } catch {
      sent = undefined;
    }
    const operation = this.#operation(found);
    // The body alone: parameters (the path's company id, say) are not what a 400 for a field is about.
    const verdict = this.#api().validator.validateRequest(
      { method: found.method, path: exchange.pathname, headers: { 'content-type': 'application/json' }, body: sent },
      operation,
    );
    const accepted = sent !== undefined && (verdict.errors ?? []).every((error) => !error.instancePath.startsWith('/requestBody'));
    const schemaWhere = `${found.method.toUpperCase()} ${found.template} request body`;
    if (exchange.status >= 200 && exchange.status < 300) {
      assert.ok(accepted, `${where}: the handler accepted ${short(exchange.requestBody)}, which ${schemaWhere} refuses`);
    }
    const answer = JSON.parse(exchange.body) as { detailedErrorCode?: unknown; validation?: { errors?: { itemId?: unknown }[] } | null };
    // A refused header (Idempotency-Key) says nothing of the body.
    const aboutHeaders = answer.validation?.errors?.every((item) => item.itemId === 'Idempotency-Key') === true;
    if (exchange.status === 400 && answer.detailedErrorCode === 10001 && !aboutHeaders) {
      assert.ok(!accepted, `${where}: the handler refused ${short(exchange.requestBody)} as malformed, which ${schemaWhere} accepts`);
    }
  }

  #operation(found: FoundOperation): BackendOperation {
    return this.#api().getOperation(found.operation.operationId)!;
  }

  /**
   * openapi-backend routes and validates against the dereferenced document. Its Ajv is swapped for
   * Ajv's 2020-12 dialect, which OpenAPI 3.1 schemas are written in: the default (draft-07)
   * silently ignores `dependentSchemas`, and so would accept a `hint` on any error.
   */
  #api(): OpenAPIBackend {
    if (!this.#backend) {
      this.#backend = new OpenAPIBackend({
        // A copy: openapi-backend dereferences in place.
        definition: structuredClone(this.document) as unknown as ConstructorParameters<typeof OpenAPIBackend>[0]['definition'],
        // One spelling per resource, as the handler routes: a trailing slash is another path.
        ignoreTrailingSlashes: false,
        // Quick: no check of the document against the 3.0 meta-schema it carries (Redocly lints it as 3.1), and set up at once.
        quick: true,
        customizeAjv: () => this.#dialect() as unknown as ReturnType<NonNullable<ConstructorParameters<typeof OpenAPIBackend>[0]['customizeAjv']>>,
      });
      void this.#backend.init();
    }
    return this.#backend;
  }
}

let shared: Contract | undefined;

/** The document, parsed once per test process. */
export function contract(): Contract {
  shared ??= new Contract();
  return shared;
}
