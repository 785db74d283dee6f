import type { Database, Sql } from "../db/database";
import { causeOf, logger } from "../log/logger";

/** Deliveries this process answered 503 while the database was away, not yet written down. */
export interface RefusedWindow {
  firstAt: Date;
  lastAt: Date;
  count: number;
}

// One per process (Next may load this module more than once).
const state = globalThis as typeof globalThis & { bookingHandoffRefused?: RefusedWindow | null };

/** A delivery was refused because the database could not be reached: widen this process's window. */
export function noteRefusedDelivery(at = new Date()): void {
  const window = state.bookingHandoffRefused;
  state.bookingHandoffRefused = window
    ? { firstAt: window.firstAt, lastAt: at, count: window.count + 1 }
    : { firstAt: at, lastAt: at, count: 1 };
}

export function pendingRefusedWindow(): RefusedWindow | null {
  return state.bookingHandoffRefused ?? null;
}

/**
 * Writes the pending window once the database answers, so the backfill reads those bookings back; deliveries
 * refused meanwhile start a new window. Nothing is lost if the write fails: the window stays pending.
 */
export async function recordRefusedWindow(sql: Sql): Promise<RefusedWindow | null> {
  const window = pendingRefusedWindow();
  if (!window) return null;
  await sql`
    insert into public.refused_delivery_windows (first_refused_at, last_refused_at, refused_count)
    values (${window.firstAt.toISOString()}::timestamptz, ${window.lastAt.toISOString()}::timestamptz, ${window.count})`;
  const current = pendingRefusedWindow();
  state.bookingHandoffRefused =
    current && current.count > window.count
      ? { firstAt: window.lastAt, lastAt: current.lastAt, count: current.count - window.count }
      : null;
  logger().warn(
    {
      event: "webhook.refused_window",
      firstAt: window.firstAt,
      lastAt: window.lastAt,
      refused: window.count,
    },
    "deliveries refused while the database was unreachable; the backfill will read them back",
  );
  return window;
}

const RECORD_EVERY_MS = 5000;

/** While the server runs: writes a pending window within seconds of the database answering again. */
export function startRefusedWindowRecorder(openDatabase: () => Promise<Database>): void {
  const timer = setInterval(() => {
    if (!pendingRefusedWindow()) return;
    void openDatabase()
      .then((db) => recordRefusedWindow(db.sql))
      .catch((error: unknown) =>
        logger().debug(
          { event: "webhook.refused_window_pending", cause: causeOf(error) },
          "database still unreachable",
        ),
      );
  }, RECORD_EVERY_MS);
  timer.unref();
}

/** Windows not yet read back: what the backfill must cover, and what the alert check reports. */
export async function unrecoveredWindows(
  sql: Sql,
): Promise<{ first: Date; last: Date; refused: number; windows: number } | null> {
  const [row] = await sql<{ first: Date | null; last: Date | null; refused: number; windows: number }>`
    select min(first_refused_at) as first, max(last_refused_at) as last, coalesce(sum(refused_count), 0)::int as refused,
      count(*)::int as windows
    from public.refused_delivery_windows where recovered_at is null`;
  return row.first && row.last
    ? { first: new Date(row.first), last: new Date(row.last), refused: row.refused, windows: row.windows }
    : null;
}

/** The backfill read everything up to `readAt`: windows recorded before then are recovered. */
export async function markWindowsRecovered(sql: Sql, readAt: Date, by: string): Promise<number> {
  const rows = await sql`
    update public.refused_delivery_windows set recovered_at = now(), recovered_by = ${by}
    where recovered_at is null and recorded_at <= ${readAt.toISOString()}::timestamptz
    returning id`;
  return rows.length;
}
