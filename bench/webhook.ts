/**
 * npm run bench:webhook — the webhook under load, through HTTP against `next start` on the PostgreSQL server,
 * and the same work through the database driver alone, with a ledger that must balance.
 *
 *   BENCH_LEADS (default 3000), BENCH_RATE (200 events/s), BENCH_RATE_SECONDS (15), BENCH_CONCURRENCY (16)
 */
import { createPostgresDatabase } from "../lib/db/postgres";
import { receiveCalDelivery } from "../lib/webhook/receive-cal-delivery";
import { startNextServer } from "../tests/support/next-server";
import { databaseUrl, recreateMigratedDatabase } from "../tests/support/postgres-template";
import { type RunResult, httpSender, runClosedLoop, runFixedRate } from "./run-deliveries";
import { insertBenchLeads, makeBenchLeads } from "./seed-leads";
import { ms, rssMb, samplePeak, summarize } from "./stats";
import { checkLedger, formatOutcomes } from "./webhook-ledger";
import { buildWorkload } from "./webhook-workload";

const WEBHOOK_SECRET = "whsec_bench_0123456789abcdef0123456789abcdef";
const SUBMISSION_SECRET = "submission-bench-secret-0123456789abcdef012345";
const SUBMISSION_KEYS = { secrets: [SUBMISSION_SECRET], ttlDays: 30 };
const LEADS = Number(process.env.BENCH_LEADS ?? 3000);
const RATE = Number(process.env.BENCH_RATE ?? 200);
const RATE_SECONDS = Number(process.env.BENCH_RATE_SECONDS ?? 15);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);

function report(label: string, run: RunResult) {
  const latency = summarize(run.latencies);
  const rate = (run.latencies.length / run.elapsedMs) * 1000;
  console.log(
    `${label.padEnd(34)} ${run.latencies.length} events in ${(run.elapsedMs / 1000).toFixed(1)} s = ${rate.toFixed(0)} events/s; ` +
      `p50 ${ms(latency.p50)}, p95 ${ms(latency.p95)}, p99 ${ms(latency.p99)}\n${"".padEnd(35)}${formatOutcomes(run.outcomes)}`,
  );
  return rate;
}

async function main() {
  // Fixed-rate leads first, full-speed leads after: each phase sends events no earlier phase has seen.
  const warmLeads = makeBenchLeads(300, 0, SUBMISSION_KEYS);
  const rateLeadCount = Math.max(50, Math.round((RATE * RATE_SECONDS) / 1.8));
  const rateLeads = makeBenchLeads(rateLeadCount, warmLeads.length, SUBMISSION_KEYS);
  const fullLeads = makeBenchLeads(LEADS, warmLeads.length + rateLeadCount, SUBMISSION_KEYS);
  const warmWork = buildWorkload(warmLeads, WEBHOOK_SECRET);
  const rateWork = buildWorkload(rateLeads, WEBHOOK_SECRET);
  const fullWork = buildWorkload(fullLeads, WEBHOOK_SECRET);

  await recreateMigratedDatabase("booking_handoff_bench_http");
  await recreateMigratedDatabase("booking_handoff_bench_driver");
  const httpDb = createPostgresDatabase(databaseUrl("booking_handoff_bench_http"), { maxConnections: 2 });
  const driverDb = createPostgresDatabase(databaseUrl("booking_handoff_bench_driver"), {
    maxConnections: 10,
  });
  await insertBenchLeads(httpDb, [...warmLeads, ...rateLeads, ...fullLeads]);
  await insertBenchLeads(driverDb, fullLeads);

  const server = await startNextServer({
    DATABASE_URL: databaseUrl("booking_handoff_bench_http"),
    CAL_WEBHOOK_SECRET: WEBHOOK_SECRET,
    SUBMISSION_TOKEN_SECRET: SUBMISSION_SECRET,
    NEXT_PUBLIC_CAL_LINK: "bench/intro-call",
    WEBHOOK_UNVERIFIED_LIMIT_PER_HOUR: "1000000",
  });
  const stopSampling = samplePeak(() => rssMb(server.pid));
  const send = httpSender(server.url);
  console.log(
    `Booking Handoff webhook benchmark: ${warmWork.deliveries.length} warm-up + ${rateWork.deliveries.length + fullWork.deliveries.length} measured HTTP deliveries, ${CONCURRENCY} workers at full speed\n`,
  );
  try {
    // Warm-up on leads of its own: the route's code paths are compiled and warm before anything is
    // measured. Its deliveries count in the ledger, not in the figures.
    const warmup = await runClosedLoop(warmWork.deliveries, 8, send);
    const fixed = await runFixedRate(rateWork.deliveries, RATE, send);
    report(`HTTP at a fixed ${RATE} events/s`, fixed);
    const full = await runClosedLoop(fullWork.deliveries, CONCURRENCY, send);
    const httpRate = report("HTTP at full speed", full);
    const peakRss = await stopSampling();

    const driver = await runClosedLoop(fullWork.deliveries, CONCURRENCY, async (delivery) =>
      receiveCalDelivery(
        driverDb,
        {
          webhookSecrets: [WEBHOOK_SECRET],
          submissionKeys: SUBMISSION_KEYS,
          unverified: { perHour: 1_000_000, bytesPerHour: 1024 * 1024 * 1024 },
        },
        {
          body: Buffer.from(delivery.body),
          signatureHeader: delivery.signature,
          webhookVersion: "2021-10-20",
        },
      ).then(({ result }) => (result === "unverified" ? "rejected" : result)),
    );
    const driverRate = report("driver only (no HTTP, no Next)", driver);
    console.log(
      `\nHTTP / driver-only: ${(httpRate / driverRate).toFixed(2)}; server peak RSS ${peakRss.toFixed(0)} MB`,
    );

    const httpOutcomes = new Map<string, number>();
    for (const run of [warmup, fixed, full])
      for (const [k, v] of run.outcomes) httpOutcomes.set(k, (httpOutcomes.get(k) ?? 0) + v);
    const allEvents = new Map([...warmWork.eventsByLead, ...rateWork.eventsByLead, ...fullWork.eventsByLead]);
    const ledgers = [
      {
        label: "HTTP",
        ...(await checkLedger(
          httpDb,
          warmup.latencies.length + fixed.latencies.length + full.latencies.length,
          httpOutcomes,
          [...warmLeads, ...rateLeads, ...fullLeads],
          allEvents,
        )),
      },
      {
        label: "driver",
        ...(await checkLedger(
          driverDb,
          driver.latencies.length,
          driver.outcomes,
          fullLeads,
          fullWork.eventsByLead,
        )),
      },
    ];
    for (const ledger of ledgers) {
      console.log(
        `ledger (${ledger.label}): ${ledger.problems.length === 0 ? "balanced" : "DOES NOT BALANCE"} — sent = stored = ${ledger.stored.deliveries}; applied ${ledger.stored.applied}, audited ${ledger.stored.audits}, stage changes ${ledger.stored.stages}`,
      );
      for (const problem of ledger.problems) console.log(`  ✗ ${problem}`);
    }
    if (ledgers.some((ledger) => ledger.problems.length > 0)) process.exitCode = 1;
  } finally {
    await server.stop();
    await httpDb.close();
    await driverDb.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
