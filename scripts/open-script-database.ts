import type { Database } from "../lib/db/database";
import { createPostgresDatabase } from "../lib/db/postgres";
import type { ServerEnv } from "../lib/env";

/** The app's database for a command-line script: DATABASE_URL, else the embedded PGlite folder. */
export async function openScriptDatabase(env: ServerEnv): Promise<{ db: Database; where: string }> {
  if (env.DATABASE_URL) {
    const where = new URL(env.DATABASE_URL).host;
    // Scripts run migrations and long jobs: an hour before a silent transaction counts as lost, not seconds.
    const db = createPostgresDatabase(env.DATABASE_URL, {
      maxConnections: 1,
      preparedStatements: env.DATABASE_PREPARED_STATEMENTS,
      transactionDeadlineMs: 3_600_000,
    });
    return { db, where };
  }
  const { createPgliteDatabase } = await import("../lib/db/pglite");
  return { db: await createPgliteDatabase(env.PGLITE_DATA_DIR), where: `PGlite in ${env.PGLITE_DATA_DIR}` };
}
