import type { NextConfig } from "next";
import { PHASE_PRODUCTION_SERVER } from "next/constants";
import { missingProductionSecrets, parseServerEnv } from "./lib/env";

export default function nextConfig(phase: string): NextConfig {
  if (phase === PHASE_PRODUCTION_SERVER) {
    // `next start` refuses to serve a webhook that could not verify what it receives.
    const missing = missingProductionSecrets(parseServerEnv());
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
  };
}
