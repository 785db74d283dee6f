/** Applies supabase/migrations to DATABASE_URL, or to the embedded PGlite folder when it is unset. */
import { loadEnvConfig } from "@next/env";
import { migrate } from "../lib/db/migrate";
import { serverEnv } from "../lib/env";
import { openScriptDatabase } from "./open-script-database";

loadEnvConfig(process.cwd());

async function main() {
  const { db, where } = await openScriptDatabase(serverEnv());
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
