import type { NextConfig } from "next";
import { PHASE_PRODUCTION_SERVER } from "next/constants";
import { missingProductionSettings, parseServerEnv } from "./lib/env";

const SECURITY_HEADERS = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), browsing-topics=()" },
];

export default function nextConfig(phase: string): NextConfig {
  if (phase === PHASE_PRODUCTION_SERVER) {
    // `next start` refuses to run a webhook it could not verify, or a /book page with an empty frame.
    const missing = missingProductionSettings(parseServerEnv());
    if (missing.length > 0) {
      throw new Error(
        `Booking Handoff cannot start in production without ${missing.join(" and ")}. ` +
          "Set them in the environment (see the README's configuration table), or run `npm run setup` to " +
          "generate local ones in .env.local.",
      );
    }
  }
  return {
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
