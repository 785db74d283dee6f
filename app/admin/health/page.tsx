import type { Metadata } from "next";
import Link from "next/link";
import { DailyFlowChart } from "@/components/admin/daily-flow-chart";
import { formatTime, humanize } from "@/components/admin/format";
import { requireStaffPage } from "@/lib/auth/guards";
import { getDatabase } from "@/lib/db/client";
import { loadDailyFlow } from "@/lib/health/daily-flow";
import { readDailyCounts, refreshDailyRollup } from "@/lib/health/daily-rollup";
import { PERIOD_DAYS, healthPeriod } from "@/lib/health/health-period";
import { loadMatchOutcomes } from "@/lib/health/match-outcomes";
import { loadQueueHealth } from "@/lib/health/queue-health";
import type { PageSearchProps } from "@/lib/http/search-params";

export const metadata: Metadata = { title: "Handoff health · Booking Handoff" };

const hours = (value: number | null) =>
  value === null ? "—" : value < 1 ? `${Math.round(value * 60)} min` : `${value.toFixed(1)} h`;
const percent = (part: number, whole: number) => (whole === 0 ? "—" : `${Math.round((part / whole) * 100)}%`);

export default async function HealthPage({ searchParams }: PageSearchProps) {
  const period = healthPeriod(await searchParams);
  await requireStaffPage("staff", `/admin/health?days=${period.days}`);
  const db = await getDatabase();
  const sql = db.sql;
  await refreshDailyRollup(db, period);
  const [counts, queue] = await Promise.all([readDailyCounts(sql, period), loadQueueHealth(sql, period)]);
  const [outcomes, flow] = await Promise.all([
    loadMatchOutcomes(sql, period, counts),
    loadDailyFlow(sql, period, counts),
  ]);
  const tied = outcomes.automatic + outcomes.manual + outcomes.open + outcomes.discarded;
  const unverified = flow.days.reduce((sum, day) => sum + day.counts.unverified, 0);
  // Each figure opens the queue items it counts (received in the period, by the queue's own filters).
  const since = new Date(period.from).toISOString().slice(0, 10);
  const queueOf = (filters: Record<string, string>) =>
    `/admin?${new URLSearchParams({ from: since, ...filters })}`;

  return (
    <main className="wide" aria-labelledby="health-title">
      <h1 id="health-title">Handoff health</h1>
      <p className="lede">
        The last {period.days} days, {formatTime(period.from)} to now; days and times in UTC.{" "}
        {PERIOD_DAYS.map((days) => (
          <Link
            key={days}
            href={`/admin/health?days=${days}`}
            aria-current={days === period.days ? "true" : undefined}
            className="period-link"
          >
            {days} days
          </Link>
        ))}
      </p>
      <h2>Booking events that concern a lead</h2>
      <ul className="stats" aria-label="What became of them">
        <li>
          <strong>{percent(outcomes.automatic, tied)}</strong> tied automatically ({outcomes.automatic})
        </li>
        <li>
          <Link href={queueOf({ status: "resolved" })}>
            <strong>{outcomes.manual}</strong> tied by staff
          </Link>
        </li>
        <li>
          <Link href={queueOf({ status: "open" })}>
            <strong>{outcomes.open}</strong> still open
          </Link>
        </li>
        <li>
          <Link href={queueOf({ status: "discarded" })}>
            <strong>{outcomes.discarded}</strong> discarded
          </Link>
        </li>
      </ul>
      <h2>The queue now</h2>
      <ul className="stats" aria-label="Open items">
        {queue.openByAge.map((age) => (
          <li key={age.bucket}>
            <Link href="/admin?dir=asc">
              <strong>{age.count}</strong> open {age.bucket}
            </Link>
          </li>
        ))}
        <li>
          <strong>{hours(queue.medianHoursToDecision)}</strong> median wait for a decision (p90{" "}
          {hours(queue.p90HoursToDecision)}, {queue.decided} decided)
        </li>
      </ul>
      <p>
        Open by reason:{" "}
        {queue.openByReason.length === 0
          ? "none."
          : queue.openByReason.map((row, index) => (
              <span key={row.reason}>
                {index > 0 ? ", " : ""}
                <Link href={`/admin?reason=${row.reason}`}>
                  {humanize(row.reason)} {row.count}
                </Link>
              </span>
            ))}
        . Oldest open item: <Link href="/admin?dir=asc">{formatTime(queue.oldestOpenAt)}</Link>.
      </p>
      <h2>Deliveries</h2>
      <p>
        Last event from Cal.com: <strong>{formatTime(flow.lastEventAt)}</strong>. Unverified deliveries in the
        period: <Link href={queueOf({ status: "all", reason: "unverified" })}>{unverified}</Link> (kept up to
        the hourly cap).
      </p>
      <DailyFlowChart flow={flow} />
    </main>
  );
}
