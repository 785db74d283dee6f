import type { Sql } from "../db/database";

/** The booking uids a failure's event names, read before its transaction so they can be locked first. */
export async function readFailureEventUids(sql: Sql, failureId: string): Promise<string[]> {
  const rows = await sql<{ booking_uid: string | null; reschedule_uid: string | null }>`
    select e.booking_uid, e.reschedule_uid
    from public.webhook_failures f join public.webhook_events e on e.id = f.webhook_event_id
    where f.id = ${failureId}`;
  return rows.flatMap((row) => [row.booking_uid, row.reschedule_uid]).filter((uid): uid is string => !!uid);
}
