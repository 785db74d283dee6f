import type { Sql } from "../db/database";
import type { HealthPeriod } from "./health-period";

/**
 * How each stored event ended, with unverified deliveries apart: they never reached an outcome of their own.
 */
export const FLOW_OUTCOMES = ["applied", "stale", "duplicate", "queued", "ignored", "unverified"] as const;
export type FlowOutcome = (typeof FLOW_OUTCOMES)[number];

export interface DayFlow {
  day: string;
  counts: Record<FlowOutcome, number>;
  /** Deliveries beyond the first of an event: Cal.com's retries and repeats. */
  repeats: number;
}

export interface DailyFlow {
  days: DayFlow[];
  lastEventAt: Date | null;
}

export async function loadDailyFlow(sql: Sql, period: HealthPeriod): Promise<DailyFlow> {
  const [rows, [last]] = await Promise.all([
    sql<{ day: string; outcome: FlowOutcome; events: number; repeats: number }>`
      select to_char(day, 'YYYY-MM-DD') as day, outcome, sum(events)::int as events, sum(repeats)::int as repeats
      from (
        select date_trunc('day', received_at at time zone 'UTC') as day,
          case when verification = 'unverified' then 'unverified' else coalesce(outcome, 'queued') end as outcome,
          count(*) as events, sum(delivery_count - 1) as repeats
        from public.webhook_events
        where received_at >= ${period.from.toISOString()}::text::timestamptz and received_at <= ${period.to.toISOString()}::text::timestamptz
        group by 1, 2
      ) per_day
      group by 1, 2`,
    sql<{
      at: Date | null;
    }>`select max(last_received_at) as at from public.webhook_events where verification = 'verified'`,
  ]);
  const days: DayFlow[] = [];
  for (let time = period.from.getTime(); time <= period.to.getTime(); time += 86_400_000) {
    const day = new Date(time).toISOString().slice(0, 10);
    const counts = Object.fromEntries(FLOW_OUTCOMES.map((outcome) => [outcome, 0])) as Record<
      FlowOutcome,
      number
    >;
    let repeats = 0;
    for (const row of rows.filter((r) => r.day === day)) {
      counts[row.outcome] += row.events;
      repeats += row.repeats;
    }
    days.push({ day, counts, repeats });
  }
  return { days, lastEventAt: last?.at ?? null };
}
