// zod 4 → JSON Schema 2020-12 (OpenAPI 3.1's dialect) with z.toJSONSchema. Request bodies and
// parameters are described as a client sends them (io: 'input': defaults make a field optional,
// coerced numbers are numbers); answers as the server sends them (io: 'output').
import { z } from 'zod';
import { containerSchema, interfaceSchema, packageSchema, processSchema, socketSchema, tracerouteSchema } from '@/lib/schemas/snapshot';
import { fieldIssueSchema } from './error-answers';
import type { NamedSchema } from './operation';

export type JsonSchema = z.core.JSONSchema.BaseSchema;
type Direction = 'input' | 'output';

export const componentRef = (name: string) => `#/components/schemas/${name}`;

/** The snapshot contract's rows, published once and referred to wherever they appear. */
const sharedComponents: readonly NamedSchema[] = [
  { name: 'SocketRow', schema: socketSchema },
  { name: 'ProcessRow', schema: processSchema },
  { name: 'InterfaceRow', schema: interfaceSchema },
  { name: 'PackageRow', schema: packageSchema },
  { name: 'TracerouteRun', schema: tracerouteSchema },
  { name: 'Container', schema: containerSchema },
  { name: 'FieldIssue', schema: fieldIssueSchema },
];

// 64-bit ids (snapshots, audit entries) are parsed with z.coerce.bigint(), which JSON Schema
// cannot name; on the wire they are decimal digits. Anything else unrepresentable is a mistake.
const describeUnrepresentable = (context: { zodSchema: z.core.$ZodTypes }): JsonSchema | 'throw' =>
  context.zodSchema._zod.def.type === 'bigint' ? { type: 'string', pattern: '^[0-9]+$', description: 'A 64-bit integer, as decimal digits.' } : 'throw';

/**
 * Converts the named schemas (and the shared rows) into `components.schemas` entries: every
 * named schema, wherever it is nested in another, becomes a `$ref` to its component.
 */
export function convertComponents(schemas: readonly NamedSchema[], io: Direction): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  const nameOf = new Map<z.ZodType, string>();
  const takenNames = new Set<string>();
  for (const { name, schema } of [...sharedComponents, ...schemas]) {
    const known = nameOf.get(schema);
    if (known === name) continue;
    if (known !== undefined) throw new Error(`One schema is published as both ${known} and ${name}.`);
    if (takenNames.has(name)) throw new Error(`Two different schemas are published as ${name}.`);
    registry.add(schema, { id: name });
    nameOf.set(schema, name);
    takenNames.add(name);
  }
  const converted = z.toJSONSchema(registry, { io, uri: componentRef, unrepresentable: describeUnrepresentable });
  const components: Record<string, JsonSchema> = {};
  for (const [name, schema] of Object.entries(converted.schemas)) {
    // Definitions outside the components would be unreachable by our refs.
    if (name === '__shared') throw new Error('A schema was extracted outside the components (a cycle?).');
    const { $schema: _dialect, $id: _id, ...body } = schema;
    components[name] = body;
  }
  return components;
}

/** One schema written out whole, for the few that are not components (plain-text answers). */
export function convertInline(schema: z.ZodType, io: Direction): JsonSchema {
  const { $schema: _dialect, ...body } = z.toJSONSchema(schema, { io, unrepresentable: describeUnrepresentable });
  if (body.$defs) throw new Error('An inline schema must not need shared definitions.');
  return body;
}

export interface ParameterDoc {
  name: string;
  required: boolean;
  schema: JsonSchema;
}

/** The properties of a zod object (path or query parameters as the route parses them), one by one. */
export function convertParameters(schema: z.ZodObject): ParameterDoc[] {
  const converted = z.toJSONSchema(schema, { io: 'input', unrepresentable: describeUnrepresentable });
  if (converted.$defs) throw new Error('Parameters must not need shared definitions.');
  const required = new Set(converted.required ?? []);
  return Object.entries(converted.properties ?? {}).map(([name, property]) => ({
    name,
    required: required.has(name),
    schema: typeof property === 'boolean' ? {} : property,
  }));
}
