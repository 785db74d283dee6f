import type { Database, Sql } from "../db/database";
import { transactionWithRetry } from "../db/transaction-with-retry";
import type { HealthPeriod } from "./health-period";

/** One day's events of one outcome class: how many, their repeat deliveries, and how many are tied to a lead. */
export interface DailyCount {
  day: string;
  outcome: string;
  events: number;
  repeats: number;
  linked: number;
}

const firstDay = (period: HealthPeriod) => period.from.toISOString().slice(0, 10);

/**
 * Rolls up every closed UTC day of the period that was never rolled up, or that a later write marked stale
 * (migration 20261205020000), from webhook_events' covering index. Runs before each read of the page; it
 * costs nothing when every day is current.
 */
export async function refreshDailyRollup(db: Database, period: HealthPeriod): Promise<void> {
  await transactionWithRetry(db, async (tx) => {
    const due = await tx<{ day: string }>`
      select to_char(d, 'YYYY-MM-DD') as day
      from generate_series(${firstDay(period)}::date, (now() at time zone 'UTC')::date - 1, interval '1 day') as d
      where not exists (select 1 from public.health_rolled_days r where r.day = d::date)
         or exists (select 1 from public.health_stale_days s where s.day = d::date)
      order by d`;
    if (due.length === 0) return;
    const days = due.map((row) => row.day);
    // The stale marks go first: a write that marks a day again after this point waits for this transaction, and
    // its mark then stays for the next read.
    await tx`delete from public.health_stale_days where day = any(${days}::date[])`;
    await tx`delete from public.health_daily_flow where day = any(${days}::date[])`;
    await tx`
      insert into public.health_daily_flow (day, outcome, events, repeats, linked)
      select (received_at at time zone 'UTC')::date,
        case when verification = 'unverified' then 'unverified' else coalesce(outcome, 'queued') end,
        count(*), sum(delivery_count - 1), count(lead_id)
      from public.webhook_events
      where received_at >= ${days[0]}::date::timestamp at time zone 'UTC'
        and received_at < (${days.at(-1)}::date + 1)::timestamp at time zone 'UTC'
        and (received_at at time zone 'UTC')::date = any(${days}::date[])
      group by 1, 2
      on conflict (day, outcome) do update
        set events = excluded.events, repeats = excluded.repeats, linked = excluded.linked`;
    await tx`
      insert into public.health_rolled_days (day) select unnest(${days}::date[])
      on conflict (day) do update set rolled_at = now()`;
  });
}

/** The period's counts by day and outcome: closed days from the rollup, today read live. */
export async function readDailyCounts(sql: Sql, period: HealthPeriod): Promise<DailyCount[]> {
  return sql<DailyCount>`
    select to_char(day, 'YYYY-MM-DD') as day, outcome, events::int, repeats::int, linked::int
    from public.health_daily_flow
    where day >= ${firstDay(period)}::date and day < (now() at time zone 'UTC')::date
    union all
    select to_char((received_at at time zone 'UTC')::date, 'YYYY-MM-DD'),
      case when verification = 'unverified' then 'unverified' else coalesce(outcome, 'queued') end,
      count(*)::int, sum(delivery_count - 1)::int, count(lead_id)::int
    from public.webhook_events
    where received_at >= greatest(${period.from.toISOString()}::text::timestamptz,
        date_trunc('day', now() at time zone 'UTC') at time zone 'UTC')
      and received_at <= ${period.to.toISOString()}::text::timestamptz
    group by 1, 2`;
}
