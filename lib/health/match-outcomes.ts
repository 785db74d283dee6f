import type { Sql } from "../db/database";
import type { HealthPeriod } from "./health-period";

export interface MatchOutcomes {
  automatic: number;
  manual: number;
  open: number;
  discarded: number;
}

/**
 * What became of the lead events received in the period: tied to their lead by the webhook (directly, or
 * automatically once their booking was linked), tied by staff, still open, or discarded. Events that
 * could never concern a lead (pings, other triggers) are not counted.
 */
export async function loadMatchOutcomes(sql: Sql, period: HealthPeriod): Promise<MatchOutcomes> {
  const [row] = await sql<MatchOutcomes>`
    select
      count(*) filter (where e.lead_id is not null and (f.id is null or f.resolution = 'auto_matched'))::int as automatic,
      count(*) filter (where f.resolution in ('applied', 'applied_unverified_override', 'retry_matched'))::int as manual,
      count(*) filter (where f.status = 'open')::int as open,
      count(*) filter (where f.status = 'discarded')::int as discarded
    from public.webhook_events e
    left join public.webhook_failures f on f.webhook_event_id = e.id
    where e.received_at >= ${period.from.toISOString()}::text::timestamptz and e.received_at <= ${period.to.toISOString()}::text::timestamptz
      and (e.lead_id is not null or f.id is not null)`;
  return row;
}
