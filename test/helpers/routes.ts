// The HTTP routes the app declares, read from app/**/route.ts, and those server.ts serves itself
// (server/routes.ts): tests that must cover every route enumerate them here, so a route added later
// fails those tests until it is covered.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { serverRoutes } from '@/server/routes';

export interface DeclaredRoute {
  method: string;
  /** As the file system names it: app/api/v1/hosts/[name]/route.ts → /api/v1/hosts/[name]. */
  route: string;
  /** The handler reads a request body (JSON or a snapshot). */
  readsBody: boolean;
  /** The handler reads the query string. */
  readsQuery: boolean;
}

export function declaredRoutes(appDir = 'app'): DeclaredRoute[] {
  const found: DeclaredRoute[] = [];
  const walk = (directory: string) => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      const full = path.join(directory, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === 'route.ts') {
        const segments = path
          .relative(appDir, path.dirname(full))
          .split(path.sep)
          .filter((part) => !/^\(.*\)$/.test(part));
        const route = `/${segments.join('/')}`;
        const source = readFileSync(full, 'utf8');
        const readsQuery = /searchParams/.test(source);
        const readsBody = /readJsonBody\(|readBodyWithLimit\(|request\.(json|text|formData|arrayBuffer)\(/.test(source);
        for (const match of source.matchAll(/export\s+(?:const|async\s+function|function)\s+(GET|POST|PUT|PATCH|DELETE)\b/g)) {
          found.push({
            method: match[1]!,
            route,
            readsBody: readsBody && match[1] !== 'GET' && match[1] !== 'DELETE',
            readsQuery: readsQuery && match[1] === 'GET',
          });
        }
      }
    }
  };
  walk(appDir);
  // Served by server.ts itself, outside Next.js.
  for (const route of serverRoutes) found.push({ method: route.method, route: route.path, readsBody: route.readsBody, readsQuery: false });
  return found.sort((a, b) => `${a.route} ${a.method}`.localeCompare(`${b.route} ${b.method}`));
}

/** `/api/v1/hosts/[name]/snapshots/[id]` with the given values for its parameters. */
export function fillRoute(route: string, values: Record<string, string>): string {
  return route.replace(/\[(\w+)\]/g, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for [${name}] in ${route}`);
    return value;
  });
}

export const routeParameters = (route: string): string[] => [...route.matchAll(/\[(\w+)\]/g)].map((match) => match[1]!);
