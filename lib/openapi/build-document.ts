// The OpenAPI 3.1 document of the HTTP API, built from the route declarations in operations.ts.
// Built once per process and kept (getOpenApiDocument); it holds no secret and no setting.
import packageJson from '@/package.json';
import { errorAnswers, errorAnswerSchema, errorStatusByCode, type ErrorAnswerCode } from './error-answers';
import { componentRef, convertComponents, convertInline, convertParameters, type JsonSchema } from './json-schema';
import {
  isJsonAnswer,
  named,
  type Access,
  type HeaderDoc,
  type NamedSchema,
  type OperationDeclaration,
  type SuccessAnswer,
  type TextAnswer,
} from './operation';
import { apiOperations } from './operations';

type Reference = { $ref: string };

interface MediaType {
  schema: JsonSchema | Reference;
}

interface ResponseObject {
  description: string;
  headers?: Record<string, HeaderDoc | Reference>;
  content: Record<string, MediaType>;
}

interface ParameterObject {
  name: string;
  in: 'path' | 'query';
  required: boolean;
  description?: string;
  schema: JsonSchema;
}

interface OperationObject {
  operationId: string;
  summary: string;
  description: string;
  tags: string[];
  security: Record<string, string[]>[];
  parameters?: ParameterObject[];
  requestBody?: { required: true; description?: string; content: Record<string, MediaType> };
  responses: Record<string, ResponseObject | Reference>;
}

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  jsonSchemaDialect: string;
  tags: { name: string; description: string }[];
  paths: Record<string, Record<string, OperationObject>>;
  components: {
    schemas: Record<string, JsonSchema>;
    responses: Record<string, ResponseObject>;
    headers: Record<string, HeaderDoc>;
    securitySchemes: Record<string, Record<string, string>>;
  };
}

const securitySchemes = {
  session: {
    type: 'apiKey',
    in: 'cookie',
    name: 'sockscope_session',
    description: 'A browser session, from `POST /api/v1/session`. The requirement lists the least role: admin ⊃ analyst ⊃ viewer.',
  },
  csrfToken: {
    type: 'apiKey',
    in: 'header',
    name: 'x-csrf-token',
    description: 'With a session, every state-changing request echoes the `csrfToken` of its sign-in answer.',
  },
  apiToken: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'ssa_…',
    description:
      'An analyst API token (`npm run admin -- api-token USER` on the server; an admin also mints their own with `POST /api/v1/users/{name}/api-tokens`): acts with its account’s role.',
  },
  hostToken: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'ssh_…',
    description: 'A collector token (`npm run admin -- enroll NAME`, `POST /api/v1/hosts`): posts snapshots for its own host only.',
  },
} as const;

const tags = [
  { name: 'Snapshots', description: 'What collectors send, and what the server keeps of it: timelines, diffs, latency.' },
  { name: 'Hosts', description: 'The fleet, enrolment and collector tokens.' },
  { name: 'Alerts', description: 'Alerts as analysts triage them.' },
  { name: 'Rules', description: 'What is expected: listeners, packages, promiscuous interfaces.' },
  { name: 'Search', description: 'Questions asked of the whole fleet.' },
  { name: 'Accounts', description: 'Sign-in, accounts, API tokens and the audit log.' },
  { name: 'Operations', description: 'Health, metrics and this document.' },
];

const retryAfterHeader: HeaderDoc = { description: 'Seconds to wait before retrying.', required: true, schema: { type: 'integer', minimum: 0 } };
const wwwAuthenticateHeader: HeaderDoc = { description: '`Bearer`: the credential this API takes.', required: true, schema: { type: 'string' } };

/** The headers each error answer carries (lib/http/respond.ts). */
function errorHeaders(code: ErrorAnswerCode): Record<string, Reference> | undefined {
  if (code === 'rate_limited' || code === 'unavailable') return { 'Retry-After': { $ref: '#/components/headers/RetryAfter' } };
  if (code === 'unauthorized') return { 'WWW-Authenticate': { $ref: '#/components/headers/WWWAuthenticate' } };
  return undefined;
}

const errorCodes = Object.keys(errorStatusByCode) as ErrorAnswerCode[];

/** The errors a route can give: those it names, and those that follow from what it takes and who may call it. */
function errorCodesOf(operation: OperationDeclaration): ErrorAnswerCode[] {
  const codes = new Set<ErrorAnswerCode>(operation.errors ?? []);
  // Path parameters can be malformed too (a broken percent-escape is refused before the route).
  if (operation.pathParameters || operation.query || operation.body) codes.add('bad_request');
  if (operation.access.kind !== 'public') codes.add('unauthorized');
  // A host token can be another host's; a session-only route refuses API tokens.
  if (operation.access.kind === 'host' || operation.access.kind === 'session') codes.add('forbidden');
  // A viewer may read everything; writes need a role above it, or the CSRF token of a session.
  if (operation.access.kind === 'role' && (operation.access.role !== 'viewer' || operation.method !== 'GET')) codes.add('forbidden');
  if (operation.body) codes.add('payload_too_large');
  if (operation.body?.reader === 'json') codes.add('unsupported_media_type');
  if (operation.usesDatabase !== false) codes.add('unavailable');
  codes.add('internal');
  return errorCodes.filter((code) => codes.has(code));
}

function securityOf(operation: OperationDeclaration): Record<string, string[]>[] {
  const { access } = operation;
  if (access.kind === 'public') return [];
  if (access.kind === 'host') return [{ hostToken: [] }];
  if (access.kind === 'session') return [operation.method === 'GET' ? { session: ['viewer'] } : { session: ['viewer'], csrfToken: [] }];
  const session: Record<string, string[]> = operation.method === 'GET' ? { session: [access.role] } : { session: [access.role], csrfToken: [] };
  return [session, { apiToken: [access.role] }];
}

function describeAccess(access: Access): string {
  if (access.kind === 'public') return 'Anyone may call it.';
  if (access.kind === 'host') return 'Collectors, with their host token.';
  if (access.kind === 'session') return 'Any account signed in to the dashboard, by its browser session only: an API token gets 403.';
  return `Accounts with the ${access.role} role or above, by session or API token.`;
}

function parametersOf(operation: OperationDeclaration): ParameterObject[] {
  const notes = operation.parameterNotes ?? {};
  const parameters: ParameterObject[] = [];
  for (const [location, schema] of [
    ['path', operation.pathParameters],
    ['query', operation.query],
  ] as const) {
    if (!schema) continue;
    for (const parameter of convertParameters(schema)) {
      const note = notes[parameter.name];
      parameters.push({
        name: parameter.name,
        in: location,
        required: location === 'path' || parameter.required,
        ...(note ? { description: note } : {}),
        schema: parameter.schema,
      });
    }
  }
  return parameters;
}

function successResponse(answer: SuccessAnswer, textSchemas: Map<SuccessAnswer, JsonSchema>): ResponseObject {
  const content: Record<string, MediaType> = isJsonAnswer(answer)
    ? { 'application/json': { schema: { $ref: componentRef(answer.json.name) } } }
    : { [answer.mediaType]: { schema: textSchemas.get(answer) ?? {} } };
  return { description: answer.description, ...(answer.headers ? { headers: answer.headers } : {}), content };
}

function operationObject(operation: OperationDeclaration, textSchemas: Map<SuccessAnswer, JsonSchema>): OperationObject {
  const responses: Record<string, ResponseObject | Reference> = {};
  for (const answer of operation.answers) responses[String(answer.status)] = successResponse(answer, textSchemas);
  for (const code of errorCodesOf(operation)) responses[String(errorStatusByCode[code])] = { $ref: `#/components/responses/${errorAnswers[code].component}` };
  const parameters = parametersOf(operation);
  const body = operation.body;
  return {
    operationId: operation.operationId,
    summary: operation.summary,
    description: [operation.description, describeAccess(operation.access)].filter(Boolean).join('\n\n'),
    tags: [operation.tag],
    security: securityOf(operation),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(body
      ? {
          requestBody: {
            required: true,
            ...(body.reader === 'snapshot'
              ? { description: 'Up to SOCKSCOPE_MAX_SNAPSHOT_BYTES (16 MiB by default), sent at once.' }
              : { description: 'JSON, at most 64 KiB.' }),
            content: { 'application/json': { schema: { $ref: componentRef(body.schema.name) } } },
          },
        }
      : {}),
    responses: Object.fromEntries(Object.entries(responses).sort(([a], [b]) => Number(a) - Number(b))),
  };
}

/** Plain-text answers are small string schemas, written inline (they are not components). */
function convertTextSchemas(operations: readonly OperationDeclaration[]): Map<SuccessAnswer, JsonSchema> {
  const texts = operations.flatMap((operation) => operation.answers).filter((answer): answer is TextAnswer => !isJsonAnswer(answer));
  return new Map(texts.map((answer) => [answer, convertInline(answer.text, 'output')]));
}

/** Request and answer components come from two conversions; a schema in both must read the same. */
function mergeComponents(requests: Record<string, JsonSchema>, answers: Record<string, JsonSchema>): Record<string, JsonSchema> {
  for (const [name, schema] of Object.entries(requests)) {
    const other = answers[name];
    if (other && JSON.stringify(other) !== JSON.stringify(schema))
      throw new Error(`${name} reads differently as a request and as an answer; give them two names.`);
  }
  return Object.fromEntries(Object.entries({ ...answers, ...requests }).sort(([a], [b]) => a.localeCompare(b)));
}

export function buildOpenApiDocument(operations: readonly OperationDeclaration[] = apiOperations): OpenApiDocument {
  const requestSchemas: NamedSchema[] = operations.flatMap((operation) => (operation.body ? [operation.body.schema] : []));
  const answerSchemas: NamedSchema[] = [
    ...operations.flatMap((operation) => operation.answers.filter(isJsonAnswer).map((answer) => answer.json)),
    ...errorCodes.map((code) => named(errorAnswers[code].component, errorAnswerSchema(code))),
  ];
  const textSchemas = convertTextSchemas(operations);
  const schemas = mergeComponents(convertComponents(requestSchemas, 'input'), convertComponents(answerSchemas, 'output'));
  const responses = Object.fromEntries(
    errorCodes.map((code) => {
      const headers = errorHeaders(code);
      const response: ResponseObject = {
        description: errorAnswers[code].description,
        ...(headers ? { headers } : {}),
        content: { 'application/json': { schema: { $ref: componentRef(errorAnswers[code].component) } } },
      };
      return [errorAnswers[code].component, response];
    }),
  );
  const paths: OpenApiDocument['paths'] = {};
  for (const operation of operations) {
    const item = (paths[operation.path] ??= {});
    const method = operation.method.toLowerCase();
    if (item[method]) throw new Error(`${operation.method} ${operation.path} is declared twice.`);
    item[method] = operationObject(operation, textSchemas);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Sockscope HTTP API',
      version: packageJson.version,
      description:
        'Which programs listen on which ports, on every host; which interfaces sniff; what changed. Collectors post snapshots with their host token; ' +
        'analysts read with a session cookie (plus `x-csrf-token` on writes) or an API token. Every error answers `{ "error": { "code", "message", "fields"? } }`. ' +
        '64-bit ids (snapshots, audit entries) travel as decimal strings. How to read this document: docs/api.md.',
    },
    jsonSchemaDialect: 'https://spec.openapis.org/oas/3.1/dialect/base',
    tags,
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))),
    components: {
      schemas,
      responses,
      headers: { RetryAfter: retryAfterHeader, WWWAuthenticate: wwwAuthenticateHeader },
      securitySchemes,
    },
  };
}

let cachedDocument: OpenApiDocument | null = null;

/** The document, built on first use: the declarations do not change while the process runs. */
export function getOpenApiDocument(): OpenApiDocument {
  cachedDocument ??= buildOpenApiDocument();
  return cachedDocument;
}
