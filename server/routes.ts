// The HTTP routes server.ts serves itself, outside Next.js (app/api holds the rest): listed here so
// that tests covering every route (and the API document) find them too.
export const SNAPSHOTS_PATH = '/api/v1/snapshots';

export interface ServerRoute {
  method: 'POST';
  path: string;
  readsBody: boolean;
}

export const serverRoutes: readonly ServerRoute[] = [{ method: 'POST', path: SNAPSHOTS_PATH, readsBody: true }];
