import type { Sql } from "../db/database";

/** The numbers the alert rules look at, read in one statement. */
export interface HealthMeasures {
  openItems: number;
  oldestOpenHours: number | null;
  unverifiedLastHour: number;
  hoursSinceLastEvent: number | null;
  /** Deliveries answered 503 while the database was away and not yet read back by the backfill. */
  refusedUnrecovered: number;
  oldestRefusedHours: number | null;
}

export async function measureHealth(sql: Sql): Promise<HealthMeasures> {
  const [row] = await sql<HealthMeasures>`
    select
      (select count(*)::int from public.webhook_failures where status = 'open') as "openItems",
      (select extract(epoch from now() - min(created_at)) / 3600 from public.webhook_failures where status = 'open') as "oldestOpenHours",
      (select coalesce(sum(delivery_count), 0)::int from public.webhook_events
        where verification = 'unverified' and last_received_at > now() - interval '1 hour') as "unverifiedLastHour",
      (select extract(epoch from now() - max(last_received_at)) / 3600 from public.webhook_events where verification = 'verified')
        as "hoursSinceLastEvent",
      (select coalesce(sum(refused_count), 0)::int from public.refused_delivery_windows where recovered_at is null) as "refusedUnrecovered",
      (select extract(epoch from now() - min(first_refused_at)) / 3600 from public.refused_delivery_windows where recovered_at is null)
        as "oldestRefusedHours"`;
  return {
    ...row,
    oldestOpenHours: row.oldestOpenHours === null ? null : Number(row.oldestOpenHours),
    hoursSinceLastEvent: row.hoursSinceLastEvent === null ? null : Number(row.hoursSinceLastEvent),
    oldestRefusedHours: row.oldestRefusedHours === null ? null : Number(row.oldestRefusedHours),
  };
}
