"use server";

import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { SIGN_IN_PATH } from "@/lib/auth/guards";
import { isHttpsRequest, isSameOrigin } from "@/lib/auth/request-context";
import { sessionCookieName, sessionTokenHash } from "@/lib/auth/session-token";
import { supabaseServerClient } from "@/lib/auth/supabase-server-client";
import { getDatabase } from "@/lib/db/client";
import { revokeStaffSession } from "@/lib/db/queries/staff-sessions";
import { serverEnv, supabaseSettings } from "@/lib/env";

/** Ends the session on the server (not only the cookie), then goes to the sign-in page. */
export async function signOut(): Promise<void> {
  const requestHeaders = await headers();
  if (!isSameOrigin(requestHeaders)) return;
  const supabase = supabaseSettings(serverEnv());
  if (supabase) {
    await (await supabaseServerClient(supabase)).auth.signOut();
  } else {
    const store = await cookies();
    const name = sessionCookieName(isHttpsRequest(requestHeaders));
    const token = store.get(name)?.value;
    if (token) await revokeStaffSession((await getDatabase()).sql, sessionTokenHash(token));
    store.delete(name);
  }
  redirect(SIGN_IN_PATH);
}
