import path from "node:path";
import { pgliteDataDir, serverEnv } from "../env";
import { causeOf, logger } from "../log/logger";
import { DatabaseSettingsError, resolveConnectionSettings } from "./connection-pooler";
import type { Database } from "./database";
import { migrate } from "./migrate";
import { applyOwnerSettings } from "./owner-settings";
import { createPostgresDatabase } from "./postgres";
import { APP_ROLE } from "./roles";
import { checkSchemaVersion, isSchemaOutdated } from "./schema-version";

/**
 * The process-wide database. With DATABASE_URL it is that server (Supabase or any Postgres), reached as the
 * app's restricted login; migrations run there as the owner (`npm run db:migrate` with
 * DATABASE_MIGRATION_URL, or `supabase db push`). Without it, an embedded PGlite in PGLITE_DATA_DIR that
 * brings its own schema up to date as its owner on first use and then runs as the app's role; only one
 * process may own that folder. A server whose schema is older than the code is not used (SchemaOutdatedError,
 * answered 503), and asked again every few seconds, so it serves as soon as the schema is migrated.
 */
const holder = globalThis as typeof globalThis & { bookingHandoffDatabase?: Promise<Database> };

async function openDatabase(): Promise<Database> {
  const env = serverEnv();
  if (env.DATABASE_URL) {
    const connection = await resolveConnectionSettings(env.DATABASE_URL, {
      pooler: env.DATABASE_POOLER,
      preparedStatements: env.DATABASE_PREPARED_STATEMENTS,
    });
    const db = createPostgresDatabase(env.DATABASE_URL, {
      ...connection,
      maxConnections: env.DATABASE_POOL_MAX,
      transactionDeadlineMs: env.DATABASE_TRANSACTION_TIMEOUT_MS,
    });
    try {
      await checkSchemaVersion(db.sql);
    } catch (error) {
      await db.close().catch(() => {});
      throw error;
    }
    return db;
  }
  const { createPgliteDatabase } = await import("./pglite");
  return createPgliteDatabase(path.resolve(pgliteDataDir(env)), {
    asOwner: async (db) => {
      await migrate(db);
      await applyOwnerSettings(db, { auditRetentionDays: env.RETENTION_AUDIT_DAYS });
    },
    role: APP_ROLE,
  });
}

/**
 * An unmigrated schema or a refused setting is asked about again after this long (callers meanwhile get the
 * same error); an unreachable database at once, on the next call.
 */
const REOPEN_AFTER_MS = 5000;

export function getDatabase(): Promise<Database> {
  holder.bookingHandoffDatabase ??= openDatabase().catch((error: unknown) => {
    const forget = () => (holder.bookingHandoffDatabase = undefined);
    if (isSchemaOutdated(error) || error instanceof DatabaseSettingsError) {
      logger().error({ event: "database.not_usable", cause: causeOf(error) }, error.message);
      setTimeout(forget, REOPEN_AFTER_MS).unref();
    } else forget();
    throw error;
  });
  return holder.bookingHandoffDatabase;
}
