import type { StaffRole } from "../../auth/staff";
import { normalizeStaffEmail, staffEmailForAccount } from "../../auth/staff-email";
import type { Sql } from "../database";

export interface StaffUserRow extends Record<string, unknown> {
  id: string;
  email: string;
  role: StaffRole;
  password_hash: string | null;
  auth_user_id: string | null;
  disabled_at: Date | null;
}

export async function findStaffUserByEmail(sql: Sql, email: string): Promise<StaffUserRow | undefined> {
  const [row] = await sql<StaffUserRow>`
    select id, email, role, password_hash, auth_user_id, disabled_at
    from public.staff_users where email = ${normalizeStaffEmail(email)}`;
  return row;
}

/**
 * The active staff row linked to a Supabase user whose session began at `authenticatedAt`; none once the
 * account's credentials changed after that (Supabase stamps the sign-in time in whole seconds).
 */
export async function findStaffUserByAuthUser(
  sql: Sql,
  authUserId: string,
  authenticatedAt: Date,
): Promise<StaffUserRow | undefined> {
  const [row] = await sql<StaffUserRow>`
    select id, email, role, password_hash, auth_user_id, disabled_at
    from public.staff_users
    where auth_user_id = ${authUserId} and disabled_at is null
      and date_trunc('second', credentials_changed_at) <= ${authenticatedAt.toISOString()}::timestamptz`;
  return row;
}

/**
 * Links a Supabase user to the active staff row with its email (in its one form), for good; called only by the sign-in action,
 * and only for a user whose email Supabase has confirmed (so nobody can sign up under a manager's address
 * and inherit the row). A row already linked to another user stays as it is.
 */
export async function linkStaffUserToAuthUser(
  sql: Sql,
  authUserId: string,
  email: string,
): Promise<StaffUserRow | undefined> {
  const [row] = await sql<StaffUserRow>`
    update public.staff_users set auth_user_id = ${authUserId}
    where disabled_at is null and email = ${normalizeStaffEmail(email)} and (auth_user_id is null or auth_user_id = ${authUserId})
    returning id, email, role, password_hash, auth_user_id, disabled_at`;
  return row;
}

/**
 * Creates the account, or sets its role and password when the email exists (and enables it again). Changing
 * an existing account's credentials ends every session it has.
 */
export async function upsertStaffUser(
  sql: Sql,
  user: { email: string; role: StaffRole; passwordHash: string | null },
): Promise<{ user: StaffUserRow; created: boolean }> {
  const [row] = await sql<StaffUserRow & { created: boolean }>`
    insert into public.staff_users (email, role, password_hash)
    values (${staffEmailForAccount(user.email)}, ${user.role}, ${user.passwordHash})
    on conflict (email) do update
      set role = excluded.role, password_hash = coalesce(excluded.password_hash, staff_users.password_hash),
          disabled_at = null, credentials_changed_at = now()
    returning id, email, role, password_hash, auth_user_id, disabled_at, (xmax = 0) as created`;
  const { created, ...rest } = row;
  if (!created) await endSessionsOf(sql, row.id);
  return { user: rest as StaffUserRow, created };
}

async function endSessionsOf(sql: Sql, staffUserId: string): Promise<void> {
  await sql`update public.staff_sessions set revoked_at = now() where staff_user_id = ${staffUserId} and revoked_at is null`;
}

/** Disables the account and ends its sessions; returns false when there is no such account. */
export async function disableStaffUser(sql: Sql, email: string): Promise<boolean> {
  const rows = await sql<{ id: string }>`
    update public.staff_users set disabled_at = coalesce(disabled_at, now()), credentials_changed_at = now()
    where email = ${normalizeStaffEmail(email)} returning id`;
  if (rows.length === 0) return false;
  await endSessionsOf(sql, rows[0].id);
  return true;
}

export async function listStaffUsers(sql: Sql): Promise<StaffUserRow[]> {
  return sql<StaffUserRow>`
    select id, email, role, password_hash, auth_user_id, disabled_at from public.staff_users order by email`;
}
