/** Applies supabase/migrations to DATABASE_URL, or to the embedded PGlite folder when it is unset. */
import { loadEnvConfig } from "@next/env";
import type { Database } from "../lib/db/database";
import { migrate } from "../lib/db/migrate";
import { createPostgresDatabase } from "../lib/db/postgres";
import { serverEnv } from "../lib/env";

loadEnvConfig(process.cwd());
const env = serverEnv();

async function open(): Promise<{ db: Database; where: string }> {
  if (env.DATABASE_URL) {
    const where = new URL(env.DATABASE_URL).host;
    return { db: createPostgresDatabase(env.DATABASE_URL, { maxConnections: 1, preparedStatements: env.DATABASE_PREPARED_STATEMENTS }), where };
  }
  const { createPgliteDatabase } = await import("../lib/db/pglite");
  return { db: await createPgliteDatabase(env.PGLITE_DATA_DIR), where: `PGlite in ${env.PGLITE_DATA_DIR}` };
}

async function main() {
  const { db, where } = await open();
  try {
    const applied = await migrate(db);
    console.log(applied.length > 0 ? `Applied to ${where}:\n  ${applied.join("\n  ")}` : `${where} is up to date.`);
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(`Migration failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
