import type { NextConfig } from 'next';

import { API_HEADERS, SECURITY_HEADERS } from './lib/http/security-headers';

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // Separate build folders let several checkouts' test runs build side by side. Read here as it is:
  // Next loads this file itself, in `next build` too; lib/config.ts checks the same variable at start.
  distDir: process.env.SOCKSCOPE_DIST_DIR ?? '.next',
  // `npm test` type-checks the whole project with tsc; the build need not do it again.
  typescript: { ignoreBuildErrors: true },
  // Native and WebAssembly database drivers, the logger and the metrics library stay plain Node
  // modules, loaded once per process.
  serverExternalPackages: ['@electric-sql/pglite', 'pglite-prisma-adapter', 'pg', '@prisma/adapter-pg', 'socket.io', 'pino', 'pino-pretty', 'prom-client'],
  async headers() {
    return [
      { source: '/:path*', headers: [...SECURITY_HEADERS] },
      { source: '/api/:path*', headers: [...API_HEADERS] },
      { source: '/healthz', headers: [...API_HEADERS] },
      { source: '/metrics', headers: [...API_HEADERS] },
    ];
  },
};

export default nextConfig;
