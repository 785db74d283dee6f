import type { CookieOptions, CookieOptionsWithName } from "@supabase/ssr";
import { SESSION_LIFETIME_MS } from "./session-token";

const SESSION_LIFETIME_SECONDS = SESSION_LIFETIME_MS / 1000;

/**
 * Supabase's session cookies as strict as our own: out of reach of page scripts (the console never uses
 * Supabase from the browser), Secure over HTTPS, same-site.
 */
export function supabaseCookieOptions(https: boolean): CookieOptionsWithName {
  return { path: "/", httpOnly: true, secure: https, sameSite: "lax", maxAge: SESSION_LIFETIME_SECONDS };
}

/**
 * The options a cookie is written with, kept a working day (proxy.ts renews it while the console is in use):
 * @supabase/ssr writes every session cookie for 400 days whatever `cookieOptions` says. Removals stay
 * removals.
 */
export function withSessionLifetime(options: CookieOptions): CookieOptions {
  return options.maxAge === 0 ? options : { ...options, maxAge: SESSION_LIFETIME_SECONDS };
}
