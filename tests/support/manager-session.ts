import { newSessionToken, sessionTokenHash } from "@/lib/auth/session-token";
import type { Database } from "@/lib/db/database";
import { insertStaffSession } from "@/lib/db/queries/staff-sessions";
import { upsertStaffUser } from "@/lib/db/queries/staff-users";

/**
 * A manager signed in for an hour, straight in the database: for tests and benchmarks of pages, not of the
 * login.
 */
export async function signedInManager(db: Database, email: string) {
  const { user } = await upsertStaffUser(db.sql, { email, role: "manager", passwordHash: null });
  const token = newSessionToken();
  await insertStaffSession(db.sql, {
    tokenHash: sessionTokenHash(token),
    staffUserId: user.id,
    expiresAt: new Date(Date.now() + 3_600_000),
    userAgent: "test",
  });
  return {
    manager: { id: user.id, email: user.email, role: "manager" as const },
    /** The built-in login's cookie over plain HTTP. */
    cookie: `bh_session=${token}`,
  };
}
