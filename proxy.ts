import { type NextRequest, NextResponse } from "next/server";
import { embedSettings } from "./lib/cal/embed-settings";
import { CSP_REPORT_GROUP, CSP_REPORT_PATH, contentSecurityPolicy } from "./lib/csp";
import { refreshSupabaseSession } from "./lib/auth/refresh-supabase-session";
import { isHttpsRequest } from "./lib/auth/request-context";
import { serverEnv, supabaseSettings } from "./lib/env";

/**
 * Sets a fresh nonce-based CSP on every page. Only /book may talk to Cal.com. API routes are left out
 * (the webhook must see its raw body, and its hot path stays lean). With Supabase Auth, /admin requests
 * also refresh the session cookies here, since pages cannot write cookies.
 */
export async function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const env = serverEnv();
  const isBookingPage = request.nextUrl.pathname === "/book" || request.nextUrl.pathname.startsWith("/book/");
  // Not request.nextUrl.protocol: Next derives it from the same X-Forwarded-Proto a client can send.
  const https = isHttpsRequest(request.headers);
  const policy = contentSecurityPolicy({
    nonce,
    embed: isBookingPage ? embedSettings(env) : null,
    development: env.NODE_ENV === "development",
    https,
  });

  // Built from the request each time: a session refresh rewrites the request's cookies before the page runs.
  const respond = () => {
    const requestHeaders = new Headers(request.headers);
    requestHeaders.set("x-nonce", nonce);
    requestHeaders.set("content-security-policy", policy);
    const response = NextResponse.next({ request: { headers: requestHeaders } });
    response.headers.set("content-security-policy", policy);
    response.headers.set("reporting-endpoints", `${CSP_REPORT_GROUP}="${CSP_REPORT_PATH}"`);
    return response;
  };
  const supabase = supabaseSettings(env);
  const isConsole = request.nextUrl.pathname === "/admin" || request.nextUrl.pathname.startsWith("/admin/");
  return supabase && isConsole ? refreshSupabaseSession(supabase, request, respond, https) : respond();
}

// Prefetches too: a page fetched ahead of a click (`Purpose: prefetch`) is a page, and without this its answer
// had no CSP at all, which a shared cache would then serve to everybody.
export const config = {
  matcher: ["/((?!api/|_next/static|_next/image|favicon.ico).*)"],
};
