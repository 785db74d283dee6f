import type { Sql } from "../db/database";
import type { DailyCount } from "./daily-rollup";
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
export async function loadMatchOutcomes(
  sql: Sql,
  period: HealthPeriod,
  counts: DailyCount[],
): Promise<MatchOutcomes> {
  const from = period.from.toISOString();
  const to = period.to.toISOString();
  // Linked events from the daily counts, staff decisions from the (much smaller) failure queue instead of
  // joining every delivery to it. A failure is queued when its event arrives.
  const linked = counts.reduce((sum, row) => sum + row.linked, 0);
  const [queue] = await sql<Omit<MatchOutcomes, "automatic">>`
      select
        count(*) filter (where resolution in ('applied', 'applied_unverified_override', 'retry_matched'))::int as manual,
        count(*) filter (where status = 'open')::int as open,
        count(*) filter (where status = 'discarded')::int as discarded
      from public.webhook_failures
      where created_at >= ${from}::text::timestamptz and created_at <= ${to}::text::timestamptz`;
  return { automatic: linked - queue.manual, ...queue };
}
