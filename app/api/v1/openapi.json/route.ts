import { getOpenApiDocument } from '@/lib/openapi/build-document';
import { handle, json } from '@/lib/http/respond';

/** The OpenAPI 3.1 document of this API: public, it holds no secret; built once per process. */
export const GET = handle(async () => json(getOpenApiDocument(), 200, { 'cache-control': 'public, max-age=300' }));
