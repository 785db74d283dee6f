import type { EmbedSettings } from "./cal/embed-settings";

export const CSP_REPORT_PATH = "/api/csp-report";
export const CSP_REPORT_GROUP = "csp";

export interface PolicyInput {
  nonce: string;
  /** The Cal.com embed's origins, on /book only; every other page gets none. */
  embed: EmbedSettings | null;
  development: boolean;
  https: boolean;
}

/**
 * The nonce-based Content-Security-Policy. Scripts run only with the request's nonce (and what those
 * scripts load, through 'strict-dynamic'). On /book the embed injects inline styles, and a style nonce
 * would make browsers ignore 'unsafe-inline', so that page alone allows inline styles without one.
 */
export function contentSecurityPolicy({ nonce, embed, development, https }: PolicyInput): string {
  const calScripts = embed ? [new URL(embed.embedJsUrl).origin] : [];
  const directives: Record<string, string[]> = {
    "default-src": ["'self'"],
    "script-src": [
      "'self'",
      `'nonce-${nonce}'`,
      "'strict-dynamic'",
      ...calScripts,
      ...(development ? ["'unsafe-eval'"] : []),
    ],
    "style-src": embed ? ["'self'", "'unsafe-inline'"] : ["'self'", `'nonce-${nonce}'`],
    "img-src": ["'self'", "data:", "blob:"],
    // The embed's stylesheet names a font on cal.com, but no browser run has fetched it: added only when
    // /api/csp-report shows a real violation.
    "font-src": ["'self'"],
    "connect-src": ["'self'", ...(development ? ["ws:"] : [])],
    "frame-src": embed ? embed.frameOrigins : ["'none'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    "report-uri": [CSP_REPORT_PATH],
    "report-to": [CSP_REPORT_GROUP],
  };
  const policy = Object.entries(directives).map(([name, sources]) => `${name} ${sources.join(" ")}`);
  if (https) policy.push("upgrade-insecure-requests");
  return policy.join("; ");
}
