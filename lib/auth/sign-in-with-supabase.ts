import "server-only";
import type { Database } from "../db/database";
import { findStaffUserForAuthUser } from "../db/queries/staff-users";
import type { SupabaseSettings } from "../env";
import { type LoginAttempt, isLockedOut, recordFailedLogin } from "./login-lockout";
import { supabaseServerClient } from "./supabase-server-client";

export type SupabaseSignInResult = { kind: "signed_in" } | { kind: "invalid" } | { kind: "locked" } | { kind: "no_access" };

/**
 * Supabase checks the password and sets its session cookies; our staff table decides whether this user
 * may use the console at all. A Supabase user without a staff row is signed straight out again.
 */
export async function signInWithSupabase(
  db: Database,
  settings: SupabaseSettings,
  input: LoginAttempt & { password: string },
): Promise<SupabaseSignInResult> {
  if (await isLockedOut(db.sql, input)) return { kind: "locked" };
  const supabase = await supabaseServerClient(settings);
  const { data, error } = await supabase.auth.signInWithPassword({ email: input.email.trim(), password: input.password });
  if (error || !data.user) {
    await recordFailedLogin(db.sql, input);
    return { kind: "invalid" };
  }
  const staff = await findStaffUserForAuthUser(db.sql, data.user.id, data.user.email ?? null);
  if (!staff) {
    await supabase.auth.signOut();
    return { kind: "no_access" };
  }
  return { kind: "signed_in" };
}
