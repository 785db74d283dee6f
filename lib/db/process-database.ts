import path from "node:path";
import { serverEnv } from "../env";
import { resolveConnectionSettings } from "./connection-pooler";
import type { Database } from "./database";
import { migrate } from "./migrate";
import { applyOwnerSettings } from "./owner-settings";
import { createPostgresDatabase } from "./postgres";
import { APP_ROLE } from "./roles";

/**
 * The process-wide database. With DATABASE_URL it is that server (Supabase or any Postgres), reached as the
 * app's restricted login; migrations run there as the owner (`npm run db:migrate` with
 * DATABASE_MIGRATION_URL, or `supabase db push`). Without it, an embedded PGlite in PGLITE_DATA_DIR that
 * brings its own schema up to date as its owner on first use and then runs as the app's role; only one
 * process may own that folder.
 */
const holder = globalThis as typeof globalThis & { bookingHandoffDatabase?: Promise<Database> };

async function openDatabase(): Promise<Database> {
  const env = serverEnv();
  if (env.DATABASE_URL) {
    const connection = await resolveConnectionSettings(env.DATABASE_URL, {
      pooler: env.DATABASE_POOLER,
      preparedStatements: env.DATABASE_PREPARED_STATEMENTS,
    });
    return createPostgresDatabase(env.DATABASE_URL, {
      ...connection,
      maxConnections: env.DATABASE_POOL_MAX,
      transactionDeadlineMs: env.DATABASE_TRANSACTION_TIMEOUT_MS,
    });
  }
  const { createPgliteDatabase } = await import("./pglite");
  return createPgliteDatabase(path.resolve(env.PGLITE_DATA_DIR), {
    asOwner: async (db) => {
      await migrate(db);
      await applyOwnerSettings(db, { auditRetentionDays: env.RETENTION_AUDIT_DAYS });
    },
    role: APP_ROLE,
  });
}

export function getDatabase(): Promise<Database> {
  holder.bookingHandoffDatabase ??= openDatabase().catch((error: unknown) => {
    holder.bookingHandoffDatabase = undefined;
    throw error;
  });
  return holder.bookingHandoffDatabase;
}
