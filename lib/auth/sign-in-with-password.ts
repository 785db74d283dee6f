import type { Database } from "../db/database";
import { insertStaffSession } from "../db/queries/staff-sessions";
import { findStaffUserByEmail } from "../db/queries/staff-users";
import { type LoginAttempt, releaseLoginAttempt, reserveLoginAttempt } from "./login-lockout";
import { verifyPassword } from "./password-hash";
import { SESSION_LIFETIME_MS, newSessionToken, sessionTokenHash } from "./session-token";

export type SignInResult =
  { kind: "signed_in"; token: string; expiresAt: Date } | { kind: "invalid" } | { kind: "locked" };

/** The built-in login: the answer never says whether the email exists, and a wrong email costs a hash too. */
export async function signInWithPassword(
  db: Database,
  input: LoginAttempt & { password: string; userAgent: string | null },
): Promise<SignInResult> {
  const reserved = await reserveLoginAttempt(db.sql, input);
  if (!reserved) return { kind: "locked" };
  const user = await findStaffUserByEmail(db.sql, input.email);
  const passwordMatches = await verifyPassword(input.password, user?.password_hash ?? null);
  if (!user || !passwordMatches || user.disabled_at !== null) return { kind: "invalid" };
  await releaseLoginAttempt(db.sql, reserved);
  const token = newSessionToken();
  const expiresAt = new Date(Date.now() + SESSION_LIFETIME_MS);
  await insertStaffSession(db.sql, {
    tokenHash: sessionTokenHash(token),
    staffUserId: user.id,
    expiresAt,
    userAgent: input.userAgent,
  });
  return { kind: "signed_in", token, expiresAt };
}
