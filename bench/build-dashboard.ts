// The same check `npm start` makes: build the dashboard into SOCKSCOPE_DIST_DIR if missing or stale.
export async function buildDashboardIfStale(): Promise<void> {
  // A plain string, so that TypeScript does not look for the .mjs file's types.
  const buildModule: string = '../scripts/lib/build.mjs';
  const { buildIfStale } = (await import(buildModule)) as { buildIfStale: () => void };
  buildIfStale();
}
