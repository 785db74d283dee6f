import { createServerClient } from "@supabase/ssr";
import type { NextRequest, NextResponse } from "next/server";
import type { SupabaseSettings } from "../env";
import { supabaseCookieOptions, withSessionLifetime } from "./supabase-cookie-options";

/**
 * Runs in proxy.ts for /admin: asks Supabase for the claims, which refreshes an expiring session, and
 * copies the new cookies (and Supabase's no-store headers) onto both the request pages see and the response.
 */
export async function refreshSupabaseSession(
  settings: SupabaseSettings,
  request: NextRequest,
  respond: () => NextResponse,
  https: boolean,
): Promise<NextResponse> {
  let response = respond();
  // Nothing may run between creating the client and getClaims(): a request in between could sign the user
  // out.
  const supabase = createServerClient(settings.url, settings.key, {
    cookieOptions: supabaseCookieOptions(https),
    cookies: {
      getAll: () => request.cookies.getAll(),
      setAll: (toSet, headers) => {
        for (const { name, value } of toSet) request.cookies.set(name, value);
        response = respond();
        for (const { name, value, options } of toSet)
          response.cookies.set(name, value, withSessionLifetime(options));
        for (const [key, value] of Object.entries(headers)) response.headers.set(key, value);
      },
    },
  });
  await supabase.auth.getClaims();
  return response;
}
