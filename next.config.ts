import type { NextConfig } from 'next';

import { API_HEADERS, SECURITY_HEADERS } from './lib/http/security-headers';

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // Separate build folders let several checkouts' test runs build side by side.
  distDir: process.env.SOCKSCOPE_DIST_DIR ?? '.next',
  // `npm test` type-checks the whole project with tsc; the build need not do it again.
  typescript: { ignoreBuildErrors: true },
  // Native and WebAssembly database drivers stay plain Node modules, loaded once per process.
  serverExternalPackages: ['@electric-sql/pglite', 'pglite-prisma-adapter', 'pg', '@prisma/adapter-pg', 'socket.io'],
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
