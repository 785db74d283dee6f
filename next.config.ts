import type { NextConfig } from "next";

const SECURITY_HEADERS = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), browsing-topics=()" },
];

// Start-up checks live in instrumentation.ts: a standalone build and Vercel do not read this file at run time.
export default function nextConfig(): NextConfig {
  return {
    // Also a self-contained server in .next/standalone (the Dockerfile's, and any Node host's without npm).
    output: "standalone",
    poweredByHeader: false,
    // PGlite loads its WebAssembly and data files from its own package folder at run time.
    serverExternalPackages: ["@electric-sql/pglite"],
    // Cal.com does not follow redirects: /api/webhooks/cal/ must be served, not redirected.
    skipTrailingSlashRedirect: true,
    // forbidden() answers a staff member on a managers-only page with a real 403.
    experimental: { authInterrupts: true },
    async headers() {
      const production = process.env.NODE_ENV === "production";
      const hsts = { key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains" };
      return [{ source: "/:path*", headers: production ? [...SECURITY_HEADERS, hsts] : SECURITY_HEADERS }];
    },
  };
}
