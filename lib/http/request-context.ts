// What route handlers share besides the database (lib/db/client.ts) and the configuration (lib/config.ts).

/** Next.js 16 hands dynamic route params over as a promise. */
export type RouteParams<Keys extends string> = { params: Promise<Record<Keys, string>> };
