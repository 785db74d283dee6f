/**
 * Applies supabase/migrations as the schema's owner: DATABASE_MIGRATION_URL (else DATABASE_URL), or the
 * embedded PGlite folder when neither is set. Then copies the owner-only settings (RETENTION_AUDIT_DAYS) into
 * the database.
 */
import { loadEnvConfig } from "@next/env";
import { migrate } from "../lib/db/migrate";
import { applyOwnerSettings } from "../lib/db/owner-settings";
import { serverEnv } from "../lib/env";
import { openScriptDatabase } from "./open-script-database";

loadEnvConfig(process.cwd());

async function main() {
  const env = serverEnv();
  const { db, where } = await openScriptDatabase(env, "owner");
  try {
    const applied = await migrate(db);
    await applyOwnerSettings(db, { auditRetentionDays: env.RETENTION_AUDIT_DAYS });
    console.log(
      applied.length > 0 ? `Applied to ${where}:\n  ${applied.join("\n  ")}` : `${where} is up to date.`,
    );
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(`Migration failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
