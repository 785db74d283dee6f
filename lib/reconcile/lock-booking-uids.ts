import type { Sql } from "../db/database";

/**
 * Serialises work on the same Cal.com bookings for the rest of the transaction. An event that finds no
 * lead and queues itself, and an event that links its booking to a lead, then cannot pass each other
 * unseen: whichever commits second sees the first. Locks are taken in sorted order to avoid deadlocks.
 */
export async function lockBookingUids(sql: Sql, uids: Iterable<string>): Promise<void> {
  for (const uid of [...new Set(uids)].sort()) {
    await sql`select pg_advisory_xact_lock(hashtextextended(${`cal-booking:${uid}`}, 0))`;
  }
}
