// Reading the API's OpenAPI document as a client would: its operations, the answer documented for
// a status, and a JSON Schema 2020-12 validator (Ajv) for its schemas, with every
// `#/components/schemas/…` reference resolved.
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

export type JsonSchema = Record<string, unknown>;
type Reference = { $ref: string };

export interface DocumentedResponse {
  description: string;
  headers?: Record<string, unknown>;
  content?: Record<string, { schema: JsonSchema }>;
}

export interface DocumentedOperation {
  operationId: string;
  security: Record<string, string[]>[];
  parameters?: { name: string; in: 'path' | 'query'; required: boolean; schema: JsonSchema }[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, DocumentedResponse | Reference>;
}

export interface ApiDocument {
  openapi: string;
  paths: Record<string, Record<string, DocumentedOperation>>;
  components: { schemas: Record<string, JsonSchema>; responses: Record<string, DocumentedResponse>; headers: Record<string, unknown> };
}

/** `METHOD /path/{param}` for every documented operation. */
export function documentedOperations(document: ApiDocument): { key: string; method: string; path: string; operation: DocumentedOperation }[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => ({ key: `${method.toUpperCase()} ${path}`, method: method.toUpperCase(), path, operation })),
  );
}

/** app/api/v1/hosts/[name]/route.ts's route in OpenAPI form: /api/v1/hosts/{name}. */
export const openApiPath = (route: string) => route.replace(/\[(\w+)\]/g, '{$1}');

const isReference = (value: unknown): value is Reference => typeof value === 'object' && value !== null && typeof (value as Reference).$ref === 'string';

/** The response documented for a status, with a `#/components/responses/…` reference followed. */
export function documentedResponse(document: ApiDocument, operation: DocumentedOperation, status: number): DocumentedResponse | undefined {
  const response = operation.responses[String(status)];
  if (!isReference(response)) return response;
  const name = response.$ref.replace('#/components/responses/', '');
  return document.components.responses[name];
}

// The components live under one schema of their own, so refs between them resolve as they are
// written once `#/components/schemas/` reads `#/$defs/`.
const COMPONENTS_ID = 'https://sockscope.test/openapi-components';

function pointComponentRefs(value: unknown, base: string): unknown {
  if (Array.isArray(value)) return value.map((item) => pointComponentRefs(item, base));
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      key,
      key === '$ref' && typeof inner === 'string' ? inner.replace('#/components/schemas/', `${base}#/$defs/`) : pointComponentRefs(inner, base),
    ]),
  );
}

export interface SchemaValidator {
  /** The validation errors of `value` against `schema` (a schema from the document), empty when valid. */
  errorsOf: (schema: JsonSchema, value: unknown) => string[];
}

export function createSchemaValidator(document: ApiDocument): SchemaValidator {
  // strict: a keyword Ajv does not know (a typo, a zod extension) fails rather than being ignored.
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: COMPONENTS_ID, $defs: pointComponentRefs(document.components.schemas, '') });
  const compiled = new Map<string, ValidateFunction>();
  return {
    errorsOf(schema, value) {
      const key = JSON.stringify(schema);
      let validate = compiled.get(key);
      if (!validate) {
        validate = ajv.compile(pointComponentRefs(schema, COMPONENTS_ID) as JsonSchema);
        compiled.set(key, validate);
      }
      if (validate(value)) return [];
      return (validate.errors ?? []).slice(0, 10).map((error) => `${error.instancePath || '(root)'} ${error.message ?? ''} ${JSON.stringify(error.params)}`);
    },
  };
}
