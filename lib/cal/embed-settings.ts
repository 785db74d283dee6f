import type { ServerEnv } from "../env";

/**
 * Where the Cal.com embed comes from. One source for the <Cal> props and for the CSP of /book, so the
 * policy always allows exactly the origin the embed loads.
 */
export interface EmbedSettings {
  calLink: string;
  calOrigin: string;
  embedJsUrl: string;
  /** Origins the iframe can be served from: embed.js rewrites https://cal.com links to app.cal.com. */
  frameOrigins: string[];
}

export function embedSettings(
  env: Pick<ServerEnv, "NEXT_PUBLIC_CAL_LINK" | "NEXT_PUBLIC_CAL_ORIGIN">,
): EmbedSettings | null {
  if (!env.NEXT_PUBLIC_CAL_LINK) return null;
  const calOrigin = env.NEXT_PUBLIC_CAL_ORIGIN;
  const hosted = calOrigin === "https://app.cal.com" || calOrigin === "https://cal.com";
  return {
    calLink: env.NEXT_PUBLIC_CAL_LINK,
    calOrigin: hosted ? "https://app.cal.com" : calOrigin,
    embedJsUrl: `${hosted ? "https://app.cal.com" : calOrigin}/embed/embed.js`,
    frameOrigins: hosted ? ["https://app.cal.com"] : [calOrigin],
  };
}
