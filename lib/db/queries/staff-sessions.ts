import type { Staff } from "../../auth/staff";
import type { Sql } from "../database";

export async function insertStaffSession(
  sql: Sql,
  session: { tokenHash: string; staffUserId: string; expiresAt: Date; userAgent: string | null },
): Promise<void> {
  await sql`
    insert into public.staff_sessions (token_hash, staff_user_id, expires_at, user_agent)
    values (${session.tokenHash}, ${session.staffUserId}, ${session.expiresAt.toISOString()}::timestamptz,
            ${session.userAgent})`;
}

/**
 * The staff member behind a live session: not expired, not signed out, account not disabled, and begun after
 * the account's credentials last changed.
 */
export async function findStaffBySessionTokenHash(sql: Sql, tokenHash: string): Promise<Staff | undefined> {
  const [row] = await sql<Staff>`
    select u.id, u.email, u.role
    from public.staff_sessions s
    join public.staff_users u on u.id = s.staff_user_id
    where s.token_hash = ${tokenHash} and s.revoked_at is null and s.expires_at > now() and u.disabled_at is null
      and s.created_at >= u.credentials_changed_at`;
  return row;
}

export async function revokeStaffSession(sql: Sql, tokenHash: string): Promise<void> {
  await sql`update public.staff_sessions set revoked_at = now() where token_hash = ${tokenHash} and revoked_at is null`;
}
