import type { Sql } from "../db/database";
import type { DailyCount } from "./daily-rollup";
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

/** The period's flow by day, from its daily counts (lib/health/daily-rollup.ts), and the last event's time. */
export async function loadDailyFlow(
  sql: Sql,
  period: HealthPeriod,
  counts: DailyCount[],
): Promise<DailyFlow> {
  const [last] = await sql<{ at: Date | null }>`
    select max(last_received_at) as at from public.webhook_events where verification = 'verified'`;
  const days: DayFlow[] = [];
  for (let time = period.from.getTime(); time <= period.to.getTime(); time += 86_400_000) {
    const day = new Date(time).toISOString().slice(0, 10);
    const totals = Object.fromEntries(FLOW_OUTCOMES.map((outcome) => [outcome, 0])) as Record<
      FlowOutcome,
      number
    >;
    let repeats = 0;
    for (const row of counts.filter((r) => r.day === day)) {
      totals[row.outcome as FlowOutcome] += row.events;
      repeats += row.repeats;
    }
    days.push({ day, counts: totals, repeats });
  }
  return { days, lastEventAt: last?.at ?? null };
}
