import "server-only";
import path from "node:path";
import { serverEnv } from "../env";
import type { Database } from "./database";
import { migrate } from "./migrate";
import { createPostgresDatabase } from "./postgres";

/**
 * The process-wide database. With DATABASE_URL it is that server (Supabase or any Postgres; migrations
 * are applied there by `npm run db:migrate` or `supabase db push`). Without it, an embedded PGlite in
 * PGLITE_DATA_DIR that brings its own schema up to date on first use; only one process may own that folder.
 */
const holder = globalThis as typeof globalThis & { bookingHandoffDatabase?: Promise<Database> };

async function openDatabase(): Promise<Database> {
  const env = serverEnv();
  if (env.DATABASE_URL) {
    return createPostgresDatabase(env.DATABASE_URL, {
      maxConnections: env.DATABASE_POOL_MAX,
      preparedStatements: env.DATABASE_PREPARED_STATEMENTS,
      transactionDeadlineMs: env.DATABASE_TRANSACTION_TIMEOUT_MS,
    });
  }
  const { createPgliteDatabase } = await import("./pglite");
  const db = await createPgliteDatabase(path.resolve(env.PGLITE_DATA_DIR));
  await migrate(db);
  return db;
}

export function getDatabase(): Promise<Database> {
  holder.bookingHandoffDatabase ??= openDatabase().catch((error: unknown) => {
    holder.bookingHandoffDatabase = undefined;
    throw error;
  });
  return holder.bookingHandoffDatabase;
}
