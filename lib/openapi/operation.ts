// How one route is declared for the API document (lib/openapi/operations.ts): what it takes, who
// may call it and what it answers. The usual errors follow from these facts (build-document.ts),
// so a declaration names only the errors particular to its route.
import type { z } from 'zod';
import type { Role } from '@/lib/generated/prisma/enums';
import type { ErrorAnswerCode } from './error-answers';

type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/**
 * Who may call: anyone, an analyst account of at least `role` (session or API token), any account
 * signed in to the dashboard (its browser session only: API tokens get 403), or a collector.
 */
export type Access = { kind: 'public' } | { kind: 'role'; role: Role } | { kind: 'session' } | { kind: 'host' };

export const anyone: Access = { kind: 'public' };
export const collector: Access = { kind: 'host' };
export const signedInBrowser: Access = { kind: 'session' };
export const accountWithRole = (role: Role): Access => ({ kind: 'role', role });

/** A schema with the component name it is published under (`#/components/schemas/NAME`). */
export interface NamedSchema {
  name: string;
  schema: z.ZodType;
}

export const named = (name: string, schema: z.ZodType): NamedSchema => ({ name, schema });

export interface HeaderDoc {
  description: string;
  /** Sent with every answer of its status. */
  required: boolean;
  /** A JSON Schema written out: headers are plain strings or integers. */
  schema: { type: 'string' | 'integer'; pattern?: string; minimum?: number };
}

interface AnswerBase {
  status: number;
  description: string;
  headers?: Record<string, HeaderDoc>;
}

export interface JsonAnswer extends AnswerBase {
  json: NamedSchema;
}

export interface TextAnswer extends AnswerBase {
  /** `text/plain`, `text/csv`: the media type the route sends (parameters such as charset aside). */
  mediaType: string;
  text: z.ZodType;
}

export type SuccessAnswer = JsonAnswer | TextAnswer;

export function isJsonAnswer(answer: SuccessAnswer): answer is JsonAnswer {
  return 'json' in answer;
}

interface RequestBody {
  schema: NamedSchema;
  /**
   * `json`: read by readJsonBody (application/json only, 64 KiB, else 415/413);
   * `snapshot`: read by server/ingest-endpoint.ts (any media type, SOCKSCOPE_MAX_SNAPSHOT_BYTES, must keep coming).
   */
  reader: 'json' | 'snapshot';
}

/** A zod object whose properties are the parameters (path or query), as the route parses them. */
type ParameterSchema = z.ZodObject;

export interface OperationDeclaration {
  method: HttpMethod;
  /** OpenAPI form: `/api/v1/hosts/{name}` for app/api/v1/hosts/[name]/route.ts. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  access: Access;
  pathParameters?: ParameterSchema;
  query?: ParameterSchema;
  /** Words for parameters whose schema alone does not say enough. */
  parameterNotes?: Record<string, string>;
  body?: RequestBody;
  answers: SuccessAnswer[];
  /** Errors particular to this route (404 for an unknown host, 409, 429…). */
  errors?: ErrorAnswerCode[];
  /** false when the route never touches the database (no 503). */
  usesDatabase?: boolean;
}
