import { createServerClient } from "@supabase/ssr";
import type { NextRequest, NextResponse } from "next/server";
import type { SupabaseSettings } from "../env";

/**
 * Runs in proxy.ts for /admin: asks Supabase for the claims, which refreshes an expiring session, and
 * copies the new cookies (and Supabase's no-store headers) onto both the request pages see and the response.
 */
export async function refreshSupabaseSession(
  settings: SupabaseSettings,
  request: NextRequest,
  respond: () => NextResponse,
): Promise<NextResponse> {
  let response = respond();
  const supabase = createServerClient(settings.url, settings.key, {
    cookies: {
      getAll: () => request.cookies.getAll(),
      setAll: (toSet, headers) => {
        for (const { name, value } of toSet) request.cookies.set(name, value);
        response = respond();
        for (const { name, value, options } of toSet) response.cookies.set(name, value, options);
        for (const [key, value] of Object.entries(headers)) response.headers.set(key, value);
      },
    },
  });
  await supabase.auth.getClaims();
  return response;
}
