import type { Database } from "./database";

/**
 * Settings only the owner may change, copied from the environment after migrating: the audit trail's
 * retention, which the purge function reads itself so the app's role cannot shorten it.
 */
export async function applyOwnerSettings(
  db: Database,
  settings: { auditRetentionDays: number },
): Promise<void> {
  await db.sql`update public.retention_settings set audit_days = ${settings.auditRetentionDays}`;
}
