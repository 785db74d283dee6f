/**
 * npm run bench:webhook — the webhook under load, through HTTP against `next start` on the PostgreSQL server,
 * and the same work through the database driver alone, with a ledger that must balance.
 *
 *   npm run bench:webhook -- --instances 2   also runs the HTTP part against two `next start` processes on one
 *                                            database, side by side with one; deliveries are split between
 *                                            them, and a repeated body always goes to another instance than
 *                                            its last delivery did
 *   npm run bench:webhook -- --pooler        also runs the HTTP part through PgBouncer in transaction mode (the
 *                                            stand-in for Supabase's transaction pooler), beside the direct run
 *   BENCH_LEADS (default 3000), BENCH_RATE (200 events/s), BENCH_RATE_SECONDS (15), BENCH_CONCURRENCY (16)
 */
import { parseArgs } from "node:util";
import { DEFAULT_POOL_SIZE } from "../lib/db/pool-size";
import { createPostgresDatabase } from "../lib/db/postgres";
import { receiveCalDelivery } from "../lib/webhook/receive-cal-delivery";
import { type RunningServer, startNextServer } from "../tests/support/next-server";
import { startPgBouncer } from "../tests/support/pgbouncer";
import { APP_LOGIN, databaseUrl, recreateMigratedDatabase } from "../tests/support/postgres-template";
import { type RunResult, type Send, httpSender, runClosedLoop, runFixedRate } from "./run-deliveries";
import { insertBenchLeads, makeBenchLeads } from "./seed-leads";
import { ms, rssMb, samplePeak, summarize } from "./stats";
import { checkLedger, formatOutcomes } from "./webhook-ledger";
import { type BenchLead, type Delivery, buildWorkload } from "./webhook-workload";

const WEBHOOK_SECRET = "whsec_bench_0123456789abcdef0123456789abcdef";
const SUBMISSION_SECRET = "submission-bench-secret-0123456789abcdef012345";
const SUBMISSION_KEYS = { secrets: [SUBMISSION_SECRET], ttlDays: 30 };
const LEADS = Number(process.env.BENCH_LEADS ?? 3000);
const RATE = Number(process.env.BENCH_RATE ?? 200);
const RATE_SECONDS = Number(process.env.BENCH_RATE_SECONDS ?? 15);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);

type Workload = ReturnType<typeof buildWorkload>;
type Ledger = Awaited<ReturnType<typeof checkLedger>>;

interface Phases {
  warm: { leads: BenchLead[]; work: Workload };
  rate: { leads: BenchLead[]; work: Workload };
  full: { leads: BenchLead[]; work: Workload };
}

function report(label: string, run: RunResult) {
  const latency = summarize(run.latencies);
  const rate = (run.latencies.length / run.elapsedMs) * 1000;
  console.log(
    `${label.padEnd(42)} ${run.latencies.length} events in ${(run.elapsedMs / 1000).toFixed(1)} s = ${rate.toFixed(0)} events/s; ` +
      `p50 ${ms(latency.p50)}, p95 ${ms(latency.p95)}, p99 ${ms(latency.p99)}\n${"".padEnd(43)}${formatOutcomes(run.outcomes)}`,
  );
  return rate;
}

/** Splits deliveries over the instances in turn; a body seen before goes to the next instance after its last one. */
function splitSender(servers: RunningServer[]): Send {
  const senders = servers.map((server) => httpSender(server.url));
  const lastInstance = new Map<string, number>();
  let turn = 0;
  return (delivery: Delivery) => {
    const previous = lastInstance.get(delivery.body);
    const instance = previous === undefined ? turn++ % senders.length : (previous + 1) % senders.length;
    lastInstance.set(delivery.body, instance);
    return senders[instance](delivery);
  };
}

function printLedger(label: string, ledger: Ledger) {
  console.log(
    `ledger (${label}): ${ledger.problems.length === 0 ? "balanced" : "DOES NOT BALANCE"} — sent = stored = ${ledger.stored.deliveries}; applied ${ledger.stored.applied}, audited ${ledger.stored.audits}, stage changes ${ledger.stored.stages}`,
  );
  for (const problem of ledger.problems) console.log(`  ✗ ${problem}`);
}

/** The HTTP part on a fresh database behind `instances` servers: warm-up, a fixed rate, then full speed. */
async function runHttp(instances: number, phases: Phases, pooler?: "transaction") {
  const name = `booking_handoff_bench_http_${instances}${pooler ? "_pooled" : ""}`;
  await recreateMigratedDatabase(name);
  const db = createPostgresDatabase(databaseUrl(name), { maxConnections: 2 });
  await insertBenchLeads(db, [...phases.warm.leads, ...phases.rate.leads, ...phases.full.leads]);
  // PgBouncer in transaction mode stands in for Supabase's transaction pooler (port 6543); the app finds it.
  const bouncer = pooler
    ? await startPgBouncer({
        mode: pooler,
        server: databaseUrl(name),
        users: [APP_LOGIN],
        poolSize: DEFAULT_POOL_SIZE * instances,
      })
    : null;
  const servers = await Promise.all(
    Array.from({ length: instances }, () =>
      startNextServer({
        DATABASE_URL: bouncer ? bouncer.through(databaseUrl(name)) : databaseUrl(name),
        CAL_WEBHOOK_SECRET: WEBHOOK_SECRET,
        SUBMISSION_TOKEN_SECRET: SUBMISSION_SECRET,
        NEXT_PUBLIC_CAL_LINK: "bench/intro-call",
        WEBHOOK_UNVERIFIED_LIMIT_PER_HOUR: "1000000",
      }),
    ),
  );
  const stopSampling = servers.map((server) => samplePeak(() => rssMb(server.pid)));
  const send = splitSender(servers);
  const label =
    (instances === 1 ? "HTTP" : `HTTP, ${instances} instances`) +
    (pooler ? ", through PgBouncer (transaction)" : "");
  try {
    // Warm-up on leads of its own: the route's code paths are compiled and warm before anything is
    // measured. Its deliveries count in the ledger, not in the figures.
    const warmup = await runClosedLoop(phases.warm.work.deliveries, 8, send);
    const fixed = await runFixedRate(phases.rate.work.deliveries, RATE, send);
    const fixedRate = report(`${label} at a fixed ${RATE} events/s`, fixed);
    const full = await runClosedLoop(phases.full.work.deliveries, CONCURRENCY, send);
    const fullRate = report(`${label} at full speed`, full);
    const peaks = await Promise.all(stopSampling.map((stop) => stop()));

    const outcomes = new Map<string, number>();
    for (const run of [warmup, fixed, full])
      for (const [k, v] of run.outcomes) outcomes.set(k, (outcomes.get(k) ?? 0) + v);
    const events = new Map([
      ...phases.warm.work.eventsByLead,
      ...phases.rate.work.eventsByLead,
      ...phases.full.work.eventsByLead,
    ]);
    const ledger = await checkLedger(
      db,
      warmup.latencies.length + fixed.latencies.length + full.latencies.length,
      outcomes,
      [...phases.warm.leads, ...phases.rate.leads, ...phases.full.leads],
      events,
    );
    return { label, fixed, fixedRate, fullRate, peaks, ledger, outcomes };
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
    await bouncer?.stop();
    await db.close();
  }
}

async function runDriverOnly(phases: Phases) {
  await recreateMigratedDatabase("booking_handoff_bench_driver");
  // The server's own pool size, so that HTTP / driver-only compares the same database work.
  const db = createPostgresDatabase(databaseUrl("booking_handoff_bench_driver"), {
    maxConnections: DEFAULT_POOL_SIZE,
  });
  try {
    await insertBenchLeads(db, phases.full.leads);
    const config = {
      webhookSecrets: [WEBHOOK_SECRET],
      submissionKeys: SUBMISSION_KEYS,
      unverified: { perHour: 1_000_000, bytesPerHour: 1024 * 1024 * 1024 },
    };
    const driver = await runClosedLoop(phases.full.work.deliveries, CONCURRENCY, async (delivery) =>
      receiveCalDelivery(db, config, {
        body: Buffer.from(delivery.body),
        signatureHeader: delivery.signature,
        webhookVersion: "2021-10-20",
      }).then(({ result }) => (result === "unverified" ? "rejected" : result)),
    );
    const rate = report("driver only (no HTTP, no Next)", driver);
    const ledger = await checkLedger(
      db,
      driver.latencies.length,
      driver.outcomes,
      phases.full.leads,
      phases.full.work.eventsByLead,
    );
    return { rate, ledger };
  } finally {
    await db.close();
  }
}

async function main() {
  const { values } = parseArgs({
    options: { instances: { type: "string", default: "1" }, pooler: { type: "boolean", default: false } },
  });
  const instances = Number(values.instances);
  if (!Number.isInteger(instances) || instances < 1 || instances > 4)
    throw new Error("--instances takes 1 to 4");

  // Fixed-rate leads first, full-speed leads after: each phase sends events no earlier phase has seen.
  const warmLeads = makeBenchLeads(300, 0, SUBMISSION_KEYS);
  const rateLeadCount = Math.max(50, Math.round((RATE * RATE_SECONDS) / 1.8));
  const rateLeads = makeBenchLeads(rateLeadCount, warmLeads.length, SUBMISSION_KEYS);
  const fullLeads = makeBenchLeads(LEADS, warmLeads.length + rateLeadCount, SUBMISSION_KEYS);
  const phases: Phases = {
    warm: { leads: warmLeads, work: buildWorkload(warmLeads, WEBHOOK_SECRET) },
    rate: { leads: rateLeads, work: buildWorkload(rateLeads, WEBHOOK_SECRET) },
    full: { leads: fullLeads, work: buildWorkload(fullLeads, WEBHOOK_SECRET) },
  };
  const measured = phases.rate.work.deliveries.length + phases.full.work.deliveries.length;
  console.log(
    `Booking Handoff webhook benchmark: ${phases.warm.work.deliveries.length} warm-up + ${measured} measured HTTP deliveries, ${CONCURRENCY} workers at full speed\n`,
  );

  const runs = [await runHttp(1, phases)];
  if (instances > 1) runs.push(await runHttp(instances, phases));
  const pooled = values.pooler ? await runHttp(1, phases, "transaction") : null;
  if (pooled) runs.push(pooled);
  const driver = await runDriverOnly(phases);

  console.log("");
  for (const run of runs) {
    const rss = run.peaks.map((peak) => peak.toFixed(0)).join(" + ");
    console.log(
      `${run.label}: full speed ${run.fullRate.toFixed(0)} events/s = ${(run.fullRate / driver.rate).toFixed(2)} of driver-only; server peak RSS ${rss} MB`,
    );
  }
  if (instances > 1) {
    console.log(
      `${instances} instances / 1 at full speed: ${(runs[1].fullRate / runs[0].fullRate).toFixed(2)}`,
    );
  }
  if (pooled) {
    const refused = [...pooled.outcomes].filter(([outcome]) => outcome.startsWith("http_"));
    console.log(
      `through the transaction pooler / direct at full speed: ${(pooled.fullRate / runs[0].fullRate).toFixed(2)} (goal ≥ 0.8); non-2xx answers: ${refused.length === 0 ? "none" : formatOutcomes(new Map(refused))}`,
    );
  }
  for (const run of runs) printLedger(run.label, run.ledger);
  printLedger("driver", driver.ledger);
  if ([...runs.map((run) => run.ledger), driver.ledger].some((ledger) => ledger.problems.length > 0)) {
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
