import "server-only";
import { createServerClient } from "@supabase/ssr";
import { cookies, headers } from "next/headers";
import type { SupabaseSettings } from "../env";
import { isHttpsRequest } from "./request-context";
import { supabaseCookieOptions, withSessionLifetime } from "./supabase-cookie-options";

/**
 * A Supabase client bound to this request's cookies. Pages cannot write cookies, so a refresh there is
 * dropped; proxy.ts refreshes the session before pages run, and actions write it.
 */
export async function supabaseServerClient(settings: SupabaseSettings) {
  const store = await cookies();
  return createServerClient(settings.url, settings.key, {
    cookieOptions: supabaseCookieOptions(isHttpsRequest(await headers())),
    cookies: {
      getAll: () => store.getAll(),
      setAll: (toSet) => {
        try {
          for (const { name, value, options } of toSet) store.set(name, value, withSessionLifetime(options));
        } catch {
          // Called from a Server Component render, where cookies are read-only.
        }
      },
    },
  });
}
