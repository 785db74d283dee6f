import "server-only";
import { cookies, headers } from "next/headers";
import { cache } from "react";
import { getDatabase } from "../db/client";
import { findStaffBySessionTokenHash } from "../db/queries/staff-sessions";
import { findStaffUserByAuthUser } from "../db/queries/staff-users";
import { serverEnv, supabaseSettings } from "../env";
import { isHttpsRequest } from "./request-context";
import { sessionCookieName, sessionTokenHash } from "./session-token";
import type { Staff } from "./staff";
import { supabaseServerClient } from "./supabase-server-client";

/**
 * When the session began: the first sign-in method's time (refreshes keep it), else when the token was
 * issued.
 */
function signedInAt(claims: { amr?: unknown; iat?: unknown }): Date {
  const methods = Array.isArray(claims.amr) ? (claims.amr as { timestamp?: unknown }[]) : [];
  const times = methods
    .map((method) => method.timestamp)
    .filter((time): time is number => typeof time === "number");
  const seconds = times.length > 0 ? Math.min(...times) : typeof claims.iat === "number" ? claims.iat : 0;
  return new Date(seconds * 1000);
}

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
    const row = await findStaffUserByAuthUser(db.sql, claims.sub, signedInAt(claims));
    return row ? { id: row.id, email: row.email, role: row.role } : null;
  }
  const token = (await cookies()).get(sessionCookieName(isHttpsRequest(await headers())))?.value;
  if (!token) return null;
  return (await findStaffBySessionTokenHash(db.sql, sessionTokenHash(token))) ?? null;
});
