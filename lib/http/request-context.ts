// What every route handler needs: the database and the (cached) configuration.
import { readConfig, type ServerConfig } from '@/lib/config';
import { getPrisma } from '@/lib/db/client';

let cachedConfig: ServerConfig | null = null;

export function serverConfig(): ServerConfig {
  cachedConfig ??= readConfig();
  return cachedConfig;
}

export { getPrisma };

/** Next.js 16 hands dynamic route params over as a promise. */
export type RouteParams<Keys extends string> = { params: Promise<Record<Keys, string>> };
