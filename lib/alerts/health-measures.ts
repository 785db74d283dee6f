import type { Sql } from "../db/database";

/** The numbers the alert rules look at, read in one statement. */
export interface HealthMeasures {
  openItems: number;
  oldestOpenHours: number | null;
  unverifiedLastHour: number;
  hoursSinceLastEvent: number | null;
}

export async function measureHealth(sql: Sql): Promise<HealthMeasures> {
  const [row] = await sql<HealthMeasures>`
    select
      (select count(*)::int from public.webhook_failures where status = 'open') as "openItems",
      (select extract(epoch from now() - min(created_at)) / 3600 from public.webhook_failures where status = 'open') as "oldestOpenHours",
      (select coalesce(sum(delivery_count), 0)::int from public.webhook_events
        where verification = 'unverified' and last_received_at > now() - interval '1 hour') as "unverifiedLastHour",
      (select extract(epoch from now() - max(last_received_at)) / 3600 from public.webhook_events where verification = 'verified')
        as "hoursSinceLastEvent"`;
  return {
    ...row,
    oldestOpenHours: row.oldestOpenHours === null ? null : Number(row.oldestOpenHours),
    hoursSinceLastEvent: row.hoursSinceLastEvent === null ? null : Number(row.hoursSinceLastEvent),
  };
}
