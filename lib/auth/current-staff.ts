import "server-only";
import { cookies, headers } from "next/headers";
import { cache } from "react";
import { getDatabase } from "../db/client";
import { findStaffBySessionTokenHash } from "../db/queries/staff-sessions";
import { findStaffUserForAuthUser } from "../db/queries/staff-users";
import { serverEnv, supabaseSettings } from "../env";
import { isHttpsRequest } from "./request-context";
import { sessionCookieName, sessionTokenHash } from "./session-token";
import type { Staff } from "./staff";
import { supabaseServerClient } from "./supabase-server-client";

/**
 * The signed-in staff member for this request, or null. The identity comes from Supabase's verified
 * claims or from a built-in session; the role always comes from our own staff table.
 */
export const currentStaff = cache(async (): Promise<Staff | null> => {
  const db = await getDatabase();
  const supabase = supabaseSettings(serverEnv());
  if (supabase) {
    const client = await supabaseServerClient(supabase);
    const { data } = await client.auth.getClaims();
    const claims = data?.claims;
    if (!claims?.sub) return null;
    const email = typeof claims.email === "string" ? claims.email : null;
    const row = await findStaffUserForAuthUser(db.sql, claims.sub, email);
    return row ? { id: row.id, email: row.email, role: row.role } : null;
  }
  const token = (await cookies()).get(sessionCookieName(isHttpsRequest(await headers())))?.value;
  if (!token) return null;
  return (await findStaffBySessionTokenHash(db.sql, sessionTokenHash(token))) ?? null;
});
