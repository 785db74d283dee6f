import type { Sql } from "./database";

/**
 * The newest migration this code was written for (the newest file in supabase/migrations; a unit test keeps
 * the two equal). Built into the server, so a host that does not ship the migrations can still check.
 */
export const EXPECTED_SCHEMA_VERSION = "20261207020000";

/** The database's schema is older than the code: every use answers 503 until `npm run db:migrate` has run. */
export class SchemaOutdatedError extends Error {
  // A "database unavailable" code: callers answer 503 and nothing is half-written.
  readonly code = "SCHEMA_OUTDATED";
  constructor(readonly found: string | null) {
    super(
      `the database's schema is older than this code (it has ${found ?? "no migrations this app knows"}, ` +
        `the code needs ${EXPECTED_SCHEMA_VERSION}): run \`npm run db:migrate\``,
    );
  }
}

/**
 * By its code, not `instanceof`: the error can come from another bundle's copy of this module (instrumentation
 * opens the process's database too).
 */
export function isSchemaOutdated(error: unknown): error is SchemaOutdatedError {
  return (error as { code?: unknown } | null)?.code === "SCHEMA_OUTDATED";
}

/** Resolves when the database has every migration the code needs; rejects with SchemaOutdatedError if not. */
export async function checkSchemaVersion(sql: Sql): Promise<void> {
  let found: string | null;
  try {
    [{ version: found }] = await sql<{
      version: string | null;
    }>`select public.applied_schema_version() as version`;
  } catch (error) {
    // Older than the function itself (undefined_function).
    if ((error as { code?: string }).code !== "42883") throw error;
    found = null;
  }
  if (found === null || found < EXPECTED_SCHEMA_VERSION) throw new SchemaOutdatedError(found);
}
