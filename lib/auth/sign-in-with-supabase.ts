import "server-only";
import type { Database } from "../db/database";
import { linkStaffUserToAuthUser } from "../db/queries/staff-users";
import type { SupabaseSettings } from "../env";
import { type LoginAttempt, releaseLoginAttempt, reserveLoginAttempt } from "./login-lockout";
import { isStaffEmail, normalizeStaffEmail } from "./staff-email";
import { supabaseServerClient } from "./supabase-server-client";

export type SupabaseSignInResult =
  { kind: "signed_in" } | { kind: "invalid" } | { kind: "locked" } | { kind: "no_access" };

/**
 * Supabase checks the password and sets its session cookies; our staff table decides whether this user
 * may use the console at all. The first sign-in links the staff row with the user's email, and only when
 * Supabase has confirmed that email. A user without an active staff row is signed straight out again.
 */
export async function signInWithSupabase(
  db: Database,
  settings: SupabaseSettings,
  input: LoginAttempt & { password: string },
): Promise<SupabaseSignInResult> {
  const reserved = await reserveLoginAttempt(db.sql, input);
  if (!reserved) return { kind: "locked" };
  // Supabase is asked only about the form the lockout counts: its own case folding never gets a spelling
  // that reaches an account under a bucket of its own.
  if (!isStaffEmail(input.email)) return { kind: "invalid" };
  const supabase = await supabaseServerClient(settings);
  const { data, error } = await supabase.auth.signInWithPassword({
    email: normalizeStaffEmail(input.email),
    password: input.password,
  });
  if (error || !data.user) return { kind: "invalid" };
  await releaseLoginAttempt(db.sql, reserved);
  const confirmedEmail = data.user.email && data.user.email_confirmed_at ? data.user.email : null;
  const staff = confirmedEmail
    ? await linkStaffUserToAuthUser(db.sql, data.user.id, confirmedEmail)
    : undefined;
  if (!staff) {
    await supabase.auth.signOut();
    return { kind: "no_access" };
  }
  return { kind: "signed_in" };
}
