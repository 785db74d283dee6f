import { getDatabase } from "@/lib/db/client";
import { isDatabaseUnavailable } from "@/lib/db/errors";

const READY_CHECK_MS = 2000;

/**
 * GET /api/health/ready: the app can do its work: its database answers and has the schema this code needs
 * (checked when the database is opened). 200 `{"status":"ready"}`, else 503 with the reason in one word; no
 * secrets, names or counts, since anyone may ask.
 */
export async function GET(): Promise<Response> {
  const headers = { "cache-control": "no-store" };
  try {
    const db = await getDatabase();
    await Promise.race([
      db.sql`select 1`,
      new Promise((_, reject) =>
        setTimeout(
          () => reject(Object.assign(new Error("no answer"), { code: "CONNECT_TIMEOUT" })),
          READY_CHECK_MS,
        ),
      ),
    ]);
    return Response.json({ status: "ready" }, { headers });
  } catch (error) {
    if (!isDatabaseUnavailable(error)) throw error;
    const reason =
      (error as { code?: string }).code === "SCHEMA_OUTDATED" ? "schema_outdated" : "database_unavailable";
    return Response.json(
      { status: "not_ready", reason },
      { status: 503, headers: { ...headers, "retry-after": "5" } },
    );
  }
}
