/**
 * npm run bench:growth — does a delivery cost the same on a year of data as on empty tables? The same webhook
 * workload as bench:webhook (a fixed 200 events/s, then full speed), over HTTP against the production server,
 * once on empty tables and once on tables seeded with GROWTH_LEADS leads (1M), GROWTH_DELIVERIES tied
 * deliveries with their booking uids (2M) and GROWTH_OPEN_FAILURES open queue items (100k). Prints both side
 * by side against the goals (full-speed rate ≥ 0.9 of empty, p99 within 1.5×) and each run's ledger; exits 1
 * if a ledger does not balance.
 */
import type { Database } from "../lib/db/database";
import { createPostgresDatabase } from "../lib/db/postgres";
import { startNextServer } from "../tests/support/next-server";
import { databaseUrl, ownerDatabaseUrl, recreateMigratedDatabase } from "../tests/support/postgres-template";
import { type RunResult, httpSender, runClosedLoop, runFixedRate } from "./run-deliveries";
import { type GrowthSizes, seedGrowth } from "./seed-growth";
import { insertBenchLeads, makeBenchLeads } from "./seed-leads";
import { ms, summarize } from "./stats";
import { checkLedger, ledgerCounts } from "./webhook-ledger";
import { webhookBenchServerEnv } from "./webhook-server-env";
import { buildWorkload } from "./webhook-workload";

const WEBHOOK_SECRET = "whsec_bench_growth_0123456789abcdef0123";
const SUBMISSION_SECRET = "submission-bench-growth-secret-0123456789abcdef";
const SUBMISSION_KEYS = { secrets: [SUBMISSION_SECRET], ttlDays: 30 };
const RATE = 200;
const SIZES: GrowthSizes = {
  leads: Number(process.env.GROWTH_LEADS ?? 1_000_000),
  deliveries: Number(process.env.GROWTH_DELIVERIES ?? 2_000_000),
  openFailures: Number(process.env.GROWTH_OPEN_FAILURES ?? 100_000),
};

// The same leads and bodies for both databases: only the data around them differs.
const warmLeads = makeBenchLeads(300, 0, SUBMISSION_KEYS);
const rateLeads = makeBenchLeads(1700, 300, SUBMISSION_KEYS);
const fullLeads = makeBenchLeads(3000, 2000, SUBMISSION_KEYS);
const work = {
  warm: buildWorkload(warmLeads, WEBHOOK_SECRET),
  rate: buildWorkload(rateLeads, WEBHOOK_SECRET),
  full: buildWorkload(fullLeads, WEBHOOK_SECRET),
};

interface Measured {
  label: string;
  seedSeconds: number;
  fixed: RunResult;
  full: RunResult;
  problems: string[];
}

async function measure(
  label: string,
  name: string,
  grow: (owner: Database) => Promise<void>,
): Promise<Measured> {
  await recreateMigratedDatabase(name);
  const owner = createPostgresDatabase(ownerDatabaseUrl(name), { maxConnections: 1 });
  const db = createPostgresDatabase(databaseUrl(name), { maxConnections: 2 });
  const seeding = performance.now();
  await grow(owner);
  const seedSeconds = (performance.now() - seeding) / 1000;
  await insertBenchLeads(db, [...warmLeads, ...rateLeads, ...fullLeads]);
  await owner.sql`analyze public.leads`;
  const baseline = await ledgerCounts(db);
  const server = await startNextServer(
    webhookBenchServerEnv(databaseUrl(name), { webhook: WEBHOOK_SECRET, submission: SUBMISSION_SECRET }),
  );
  try {
    const send = httpSender(server.url);
    const warm = await runClosedLoop(work.warm.deliveries, 8, send);
    const fixed = await runFixedRate(work.rate.deliveries, RATE, send);
    const full = await runClosedLoop(work.full.deliveries, 16, send);
    const outcomes = new Map<string, number>();
    for (const run of [warm, fixed, full])
      for (const [k, v] of run.outcomes) outcomes.set(k, (outcomes.get(k) ?? 0) + v);
    const sent = warm.latencies.length + fixed.latencies.length + full.latencies.length;
    const events = new Map([...work.warm.eventsByLead, ...work.rate.eventsByLead, ...work.full.eventsByLead]);
    const { problems } = await checkLedger(
      db,
      sent,
      outcomes,
      [...warmLeads, ...rateLeads, ...fullLeads],
      events,
      baseline,
    );
    return { label, seedSeconds, fixed, full, problems };
  } finally {
    await server.stop();
    await db.close();
    await owner.close();
  }
}

const rateOf = (run: RunResult) => (run.latencies.length / run.elapsedMs) * 1000;

async function main() {
  console.log(
    `Booking Handoff growth benchmark: the webhook on empty tables, then on ${SIZES.leads.toLocaleString("en")} leads, ` +
      `${SIZES.deliveries.toLocaleString("en")} tied deliveries and ${SIZES.openFailures.toLocaleString("en")} open queue items\n`,
  );
  const empty = await measure("empty tables", "booking_handoff_bench_growth_empty", async () => {});
  const grown = await measure("grown tables", "booking_handoff_bench_growth_grown", (owner) =>
    seedGrowth(owner, SIZES),
  );
  console.log(`seeding the grown tables took ${grown.seedSeconds.toFixed(0)} s\n`);
  console.log(`${"".padEnd(14)}  at ${RATE}/s: p50      p99    full speed    p50      p99    ledger`);
  for (const run of [empty, grown]) {
    const fixed = summarize(run.fixed.latencies);
    const full = summarize(run.full.latencies);
    console.log(
      `${run.label.padEnd(14)}  ${ms(fixed.p50).padStart(9)} ${ms(fixed.p99).padStart(8)}  ${rateOf(run.full).toFixed(0).padStart(6)} events/s ` +
        `${ms(full.p50).padStart(8)} ${ms(full.p99).padStart(8)}    ${run.problems.length === 0 ? "balanced" : "DOES NOT BALANCE"}`,
    );
    for (const problem of run.problems) console.log(`  ✗ ${problem}`);
  }
  const rateRatio = rateOf(grown.full) / rateOf(empty.full);
  const p99Ratio = summarize(grown.full.latencies).p99 / summarize(empty.full.latencies).p99;
  console.log(
    `\nfull-speed rate, grown / empty: ${rateRatio.toFixed(2)} (goal ≥ 0.9): ${rateRatio >= 0.9 ? "met" : "SHORT"}`,
  );
  console.log(
    `full-speed p99, grown / empty: ${p99Ratio.toFixed(2)} (goal ≤ 1.5): ${p99Ratio <= 1.5 ? "met" : "SHORT"}`,
  );
  if (empty.problems.length > 0 || grown.problems.length > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
