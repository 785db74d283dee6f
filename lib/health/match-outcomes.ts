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
  const from = period.from.toISOString();
  const to = period.to.toISOString();
  // Two narrow reads instead of joining every delivery to the queue: linked events from a covering index,
  // staff decisions from the (much smaller) failure queue. A failure is queued when its event arrives.
  const [[linked], [queue]] = await Promise.all([
    sql<{ linked: number }>`
      select count(*)::int as linked from public.webhook_events
      where received_at >= ${from}::text::timestamptz and received_at <= ${to}::text::timestamptz and lead_id is not null`,
    sql<Omit<MatchOutcomes, "automatic">>`
      select
        count(*) filter (where resolution in ('applied', 'applied_unverified_override', 'retry_matched'))::int as manual,
        count(*) filter (where status = 'open')::int as open,
        count(*) filter (where status = 'discarded')::int as discarded
      from public.webhook_failures
      where created_at >= ${from}::text::timestamptz and created_at <= ${to}::text::timestamptz`,
  ]);
  return { automatic: linked.linked - queue.manual, ...queue };
}
