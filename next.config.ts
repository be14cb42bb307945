import type { NextConfig } from 'next';

import { API_CONTENT_SECURITY_POLICY } from './lib/http/content-security-policy';

// Every answer. Pages get their Content-Security-Policy (with a per-request nonce) from proxy.ts.
const securityHeaders = [
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'Referrer-Policy', value: 'same-origin' },
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=()' },
  { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
];
const apiHeaders = [{ key: 'Content-Security-Policy', value: API_CONTENT_SECURITY_POLICY }];

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
      { source: '/:path*', headers: securityHeaders },
      { source: '/api/:path*', headers: apiHeaders },
      { source: '/healthz', headers: apiHeaders },
      { source: '/metrics', headers: apiHeaders },
    ];
  },
};

export default nextConfig;
