import type { Sql } from "../db/database";

/**
 * Serialises work on the same Cal.com bookings for the rest of the transaction. An event that finds no
 * lead and queues itself, and an event that links its booking to a lead, then cannot pass each other
 * unseen: whichever commits second sees the first. Locks are taken in sorted order to avoid deadlocks.
 */
export async function lockBookingUids(sql: Sql, uids: Iterable<string>): Promise<void> {
  const keys = [...new Set(uids)].sort().map((uid) => `cal-booking:${uid}`);
  if (keys.length === 0) return;
  // One round trip; `with ordinality` keeps the sorted order in which the locks are taken.
  await sql`
    select pg_advisory_xact_lock(hashtextextended(key, 0))
    from unnest(${keys}::text[]) with ordinality as k(key, position)
    order by position`;
}
