import type { StaffRole } from "../../auth/staff";
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
    from public.staff_users where lower(email) = lower(${email})`;
  return row;
}

/**
 * The active staff row of a Supabase user: by the user id once linked, else by the email on the first
 * sign-in, which links the row for good (Supabase confirms emails before it signs anyone in).
 */
export async function findStaffUserForAuthUser(
  sql: Sql,
  authUserId: string,
  email: string | null,
): Promise<StaffUserRow | undefined> {
  const [linked] = await sql<StaffUserRow>`
    select id, email, role, password_hash, auth_user_id, disabled_at
    from public.staff_users where auth_user_id = ${authUserId} and disabled_at is null`;
  if (linked || email === null) return linked;
  const [first] = await sql<StaffUserRow>`
    update public.staff_users set auth_user_id = ${authUserId}
    where auth_user_id is null and disabled_at is null and lower(email) = lower(${email})
    returning id, email, role, password_hash, auth_user_id, disabled_at`;
  return first;
}

/** Creates the account, or updates its role and password when the email exists (and enables it again). */
export async function upsertStaffUser(
  sql: Sql,
  user: { email: string; role: StaffRole; passwordHash: string | null },
): Promise<{ user: StaffUserRow; created: boolean }> {
  const [row] = await sql<StaffUserRow & { created: boolean }>`
    insert into public.staff_users (email, role, password_hash) values (${user.email}, ${user.role}, ${user.passwordHash})
    on conflict (lower(email)) do update
      set role = excluded.role, password_hash = coalesce(excluded.password_hash, staff_users.password_hash),
          disabled_at = null
    returning id, email, role, password_hash, auth_user_id, disabled_at, (xmax = 0) as created`;
  const { created, ...rest } = row;
  return { user: rest as StaffUserRow, created };
}

/** Disables the account and ends its sessions; returns false when there is no such account. */
export async function disableStaffUser(sql: Sql, email: string): Promise<boolean> {
  const rows = await sql<{ id: string }>`
    update public.staff_users set disabled_at = coalesce(disabled_at, now())
    where lower(email) = lower(${email}) returning id`;
  if (rows.length === 0) return false;
  await sql`update public.staff_sessions set revoked_at = now() where staff_user_id = ${rows[0].id} and revoked_at is null`;
  return true;
}

export async function listStaffUsers(sql: Sql): Promise<StaffUserRow[]> {
  return sql<StaffUserRow>`
    select id, email, role, password_hash, auth_user_id, disabled_at from public.staff_users order by lower(email)`;
}

