import type { Sql } from "../db/database";
import type { HealthPeriod } from "./health-period";

export const AGE_BUCKETS = ["under 1 hour", "1–24 hours", "1–7 days", "over 7 days"] as const;

export interface QueueHealth {
  openByReason: { reason: string; count: number }[];
  openByAge: { bucket: (typeof AGE_BUCKETS)[number]; count: number }[];
  oldestOpenAt: Date | null;
  /** Staff decisions (resolved or discarded) in the period: how long items waited for one. */
  decided: number;
  medianHoursToDecision: number | null;
  p90HoursToDecision: number | null;
}

export async function loadQueueHealth(sql: Sql, period: HealthPeriod): Promise<QueueHealth> {
  const [open, ages, timing] = await Promise.all([
    sql<{ reason: string; count: number }>`
      select reason, count(*)::int as count from public.webhook_failures where status = 'open' group by reason order by count desc, reason`,
    sql<{ bucket: number; count: number; oldest: Date | null }>`
      select width_bucket(extract(epoch from now() - created_at), array[3600, 86400, 604800]::float8[]) as bucket,
        count(*)::int as count, min(created_at) as oldest
      from public.webhook_failures where status = 'open' group by 1`,
    sql<{ decided: number; median: number | null; p90: number | null }>`
      select count(*)::int as decided,
        percentile_cont(0.5) within group (order by extract(epoch from resolved_at - created_at)) / 3600 as median,
        percentile_cont(0.9) within group (order by extract(epoch from resolved_at - created_at)) / 3600 as p90
      from public.webhook_failures
      where resolved_at >= ${period.from.toISOString()}::text::timestamptz and resolved_at <= ${period.to.toISOString()}::text::timestamptz
        and resolution is distinct from 'auto_matched'`,
  ]);
  const oldest = ages.map((row) => row.oldest).filter((date): date is Date => date !== null);
  return {
    openByReason: open,
    openByAge: AGE_BUCKETS.map((bucket, index) => ({
      bucket,
      count: ages.find((row) => row.bucket === index)?.count ?? 0,
    })),
    oldestOpenAt:
      oldest.length > 0 ? new Date(Math.min(...oldest.map((date) => new Date(date).getTime()))) : null,
    decided: timing[0].decided,
    medianHoursToDecision: timing[0].median === null ? null : Number(timing[0].median),
    p90HoursToDecision: timing[0].p90 === null ? null : Number(timing[0].p90),
  };
}
