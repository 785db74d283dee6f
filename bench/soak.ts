/**
 * npm run bench:soak — the webhook for SOAK_SECONDS (600) under faults, as production meets them: SOAK_LEADS
 * (5,000) leads' deliveries (bookings, exact repeats, reschedules overtaking their booking, cancellations,
 * unmatched bookings, wrong signatures) shuffled over 16 senders that retry a 503 or a lost connection, as
 * Cal.com's queue would not but an operator's replay could. At 30% PostgreSQL restarts (a relay in front does
 * what a restart does to the app, 5 s down; SOAK_REAL_RESTART=1 restarts this machine's server with
 * pg_ctlcluster instead), at 60% the server is SIGKILLed mid-stream and started again. Prints the ledger —
 * lost, doubled, wrong leads, 503s after the database was ready, uncaught exceptions — and exits 1 on any.
 */
import { execSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { createPostgresDatabase } from "../lib/db/postgres";
import { foldLeadBookings, storedLeadState } from "../lib/reconcile/lead-state";
import { type RunningServer, startNextServer } from "../tests/support/next-server";
import { databaseUrl, recreateMigratedDatabase } from "../tests/support/postgres-template";
import { startTcpProxy } from "../tests/support/tcp-proxy";
import { insertBenchLeads, makeBenchLeads } from "./seed-leads";
import { webhookBenchServerEnv } from "./webhook-server-env";
import { type Delivery, buildWorkload } from "./webhook-workload";

const WEBHOOK_SECRET = "whsec_bench_soak_0123456789abcdef0123456789";
const SUBMISSION_SECRET = "submission-bench-soak-secret-0123456789abcdef";
const SUBMISSION_KEYS = { secrets: [SUBMISSION_SECRET], ttlDays: 30 };
const SECONDS = Number(process.env.SOAK_SECONDS ?? 600);
const LEADS = Number(process.env.SOAK_LEADS ?? 5000);
const REAL_RESTART = process.env.SOAK_REAL_RESTART === "1";
const SENDERS = 16;
const DOWN_MS = 5000;
const DATABASE = "booking_handoff_bench_soak";

interface Attempt {
  at: number;
  status: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function restartRealServer() {
  const version = readdirSync("/etc/postgresql")[0];
  execSync(`pg_ctlcluster ${version} main stop -m fast`);
  return sleep(DOWN_MS).then(() => execSync(`pg_ctlcluster ${version} main start`));
}

async function main() {
  const leads = makeBenchLeads(LEADS, 0, SUBMISSION_KEYS);
  const work = buildWorkload(leads, WEBHOOK_SECRET);
  await recreateMigratedDatabase(DATABASE);
  const db = createPostgresDatabase(databaseUrl(DATABASE), { maxConnections: 2 });
  await insertBenchLeads(db, leads);
  const target = new URL(databaseUrl(DATABASE));
  const relay = await startTcpProxy(target.hostname, Number(target.port || 5432));
  const relayed = new URL(databaseUrl(DATABASE));
  relayed.hostname = "127.0.0.1";
  relayed.port = String(relay.port);
  const env = webhookBenchServerEnv(REAL_RESTART ? databaseUrl(DATABASE) : relayed.toString(), {
    webhook: WEBHOOK_SECRET,
    submission: SUBMISSION_SECRET,
  });
  const servers: RunningServer[] = [await startNextServer(env)];
  let server = servers[0];
  console.log(
    `Booking Handoff soak: ${work.deliveries.length} deliveries for ${LEADS} leads over ${SECONDS} s, ${SENDERS} retrying senders`,
  );

  const started = performance.now();
  let readyAt = Number.POSITIVE_INFINITY;
  const faults = (async () => {
    await sleep(SECONDS * 300);
    console.log(
      `${((performance.now() - started) / 1000).toFixed(0)} s: PostgreSQL restarts (${DOWN_MS / 1000} s down)`,
    );
    await (REAL_RESTART ? restartRealServer() : relay.restart(DOWN_MS));
    readyAt = performance.now();
    await sleep(SECONDS * 300 - DOWN_MS);
    console.log(
      `${((performance.now() - started) / 1000).toFixed(0)} s: the server is killed and started again`,
    );
    process.kill(server.pid, "SIGKILL");
    server = await startNextServer(env);
    servers.push(server);
  })();

  const attempts = new Map<Delivery, Attempt[]>();
  const perDeliveryMs = (SECONDS * 1000) / work.deliveries.length;
  let next = 0;
  const send = async (delivery: Delivery) => {
    const tries: Attempt[] = [];
    attempts.set(delivery, tries);
    for (let attempt = 0; attempt < 60; attempt++) {
      const at = performance.now();
      const status = await fetch(`${server.url}/api/webhooks/cal`, {
        method: "POST",
        body: delivery.body,
        headers: { "content-type": "application/json", "x-cal-signature-256": delivery.signature },
        signal: AbortSignal.timeout(15_000),
      })
        .then(async (response) => (await response.text(), response.status))
        .catch(() => -1);
      tries.push({ at, status });
      if (status === 200 || status === 401) return;
      await sleep(500);
    }
  };
  await Promise.all(
    Array.from({ length: SENDERS }, async () => {
      while (next < work.deliveries.length) {
        const index = next++;
        const due = started + index * perDeliveryMs - performance.now();
        if (due > 0) await sleep(due);
        await send(work.deliveries[index]);
      }
    }),
  );
  await faults;

  const all = [...attempts.entries()];
  const lost = all.filter(([, tries]) => ![200, 401].includes(tries.at(-1)?.status ?? -1)).length;
  const afterReady = all
    .flatMap(([, tries]) => tries)
    .filter((t) => t.at > readyAt + 1000 && t.status === 503).length;
  const outputs = servers.map((s) => s.output()).join("\n");
  const uncaught = (outputs.match(/uncaughtException|unhandledRejection|TypeError/g) ?? []).length;
  const [counts] = await db.sql<{ applied: number; audits: number }>`
    select (select count(*)::int from public.webhook_events where outcome = 'applied') as applied,
           (select count(*)::int from public.audit_log where action = 'lead.updated_by_webhook') as audits`;
  const rows = await db.sql<{
    id: string;
    submission_id: string;
  }>`select id, submission_id from public.leads`;
  const bySubmission = new Map(rows.map((row) => [row.submission_id, row.id]));
  let wrong = 0;
  for (const lead of leads) {
    const expected = await foldLeadBookings(
      db.sql,
      work.eventsByLead.get(lead.index) ?? [],
      lead.email,
      lead.submissionId,
    );
    const id = bySubmission.get(lead.submissionId);
    if (!id || JSON.stringify(await storedLeadState(db.sql, id)) !== JSON.stringify(expected)) wrong += 1;
  }
  const retried = all.filter(([, tries]) => tries.length > 1).length;
  const ledger = {
    lost,
    doubled: counts.audits - counts.applied,
    "wrong leads": wrong,
    "503s after the database was ready": afterReady,
    "uncaught exceptions": uncaught,
  };
  console.log(
    `\n${all.length} deliveries, ${retried} needed a retry; applied ${counts.applied}, audited ${counts.audits}`,
  );
  for (const [name, value] of Object.entries(ledger)) console.log(`${name.padEnd(34)} ${value}`);
  const failed = Object.values(ledger).some((value) => value !== 0);
  console.log(failed ? "\nDOES NOT BALANCE" : "\nbalanced: nothing lost, nothing doubled, every lead right");
  for (const running of servers) await running.stop();
  await relay.close();
  await db.close();
  if (failed) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
