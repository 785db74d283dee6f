import { resolveConnectionSettings } from "../lib/db/connection-pooler";
import type { Database } from "../lib/db/database";
import { migrate } from "../lib/db/migrate";
import { applyOwnerSettings } from "../lib/db/owner-settings";
import { createPostgresDatabase } from "../lib/db/postgres";
import { APP_ROLE } from "../lib/db/roles";
import { type ServerEnv, pgliteDataDir } from "../lib/env";

/**
 * A command-line script's database. As the app (the default): DATABASE_URL, the server's own restricted
 * login, or the embedded PGlite folder brought up to date first. As the owner (`npm run db:migrate` only):
 * DATABASE_MIGRATION_URL, else DATABASE_URL, or the PGlite folder's superuser.
 */
export async function openScriptDatabase(
  env: ServerEnv,
  as: "app" | "owner" = "app",
): Promise<{ db: Database; where: string }> {
  const url = as === "owner" ? (env.DATABASE_MIGRATION_URL ?? env.DATABASE_URL) : env.DATABASE_URL;
  if (url) {
    const parsed = new URL(url);
    // Scripts run migrations and long jobs: an hour before a silent transaction counts as lost, not seconds.
    const connection = await resolveConnectionSettings(url, {
      pooler: env.DATABASE_POOLER,
      preparedStatements: env.DATABASE_PREPARED_STATEMENTS,
    });
    const db = createPostgresDatabase(url, {
      ...connection,
      maxConnections: 1,
      transactionDeadlineMs: 3_600_000,
    });
    return { db, where: `${parsed.host} as ${decodeURIComponent(parsed.username) || "the default user"}` };
  }
  const { createPgliteDatabase } = await import("../lib/db/pglite");
  const asApp = {
    asOwner: async (owner: Database) => {
      await migrate(owner);
      await applyOwnerSettings(owner, { auditRetentionDays: env.RETENTION_AUDIT_DAYS });
    },
    role: APP_ROLE,
  };
  const db = await createPgliteDatabase(pgliteDataDir(env), as === "app" ? asApp : {});
  return { db, where: `PGlite in ${pgliteDataDir(env)}` };
}
