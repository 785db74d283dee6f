/**
 * npm run bench:admin — the console at scale: 100k failures, 1M deliveries and 1M audit entries on the
 * PostgreSQL server, pages timed over HTTP against `next start` (server time to the last byte), and a full
 * audit export with the server's memory sampled.
 *
 *   BENCH_RUNS (default 20 per page)
 */
import { createHash } from "node:crypto";
import { chainKeysOf } from "../lib/audit/chain-key";
import { checkWholeChain } from "../lib/audit/check-whole-chain";
import { sealEverything } from "../lib/audit/seal-audit-chain";
import { encodeCursor } from "../lib/db/keyset-cursor";
import type { Database } from "../lib/db/database";
import { createPostgresDatabase } from "../lib/db/postgres";
import { startNextServer } from "../tests/support/next-server";
import { databaseUrl, ownerDatabaseUrl, recreateMigratedDatabase } from "../tests/support/postgres-template";
import { signedInManager } from "../tests/support/manager-session";
import { seedAdminData } from "./seed-admin-data";
import { ms, rssMb, samplePeak, summarize } from "./stats";

const DATABASE = "booking_handoff_bench_admin";
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const SIZES = { leads: 100_000, deliveries: 1_000_000, failures: 100_000, audits: 1_000_000 };
const BENCH_CHAIN_KEY = "audit-chain-bench-key-0123456789abcdef0123456789";
const BENCH_CHAIN_KEYS = chainKeysOf([BENCH_CHAIN_KEY])!;

async function timePage(url: string, cookie: string): Promise<number[]> {
  const times: number[] = [];
  for (let run = -3; run < RUNS; run++) {
    const started = performance.now();
    const response = await fetch(url, { headers: { cookie } });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
    if (run >= 0) times.push(performance.now() - started);
  }
  return times;
}

/** An unsigned body as anyone can post it (401, kept for staff): the item staff then open. */
async function storeUnsignedBody(baseUrl: string, db: Database, body: string): Promise<string> {
  await fetch(`${baseUrl}/api/webhooks/cal`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-cal-signature-256": "0".repeat(64) },
    body,
  });
  const [item] = await db.sql<{ id: string }>`
    select f.id from public.webhook_failures f join public.webhook_events e on e.id = f.webhook_event_id
    where e.body_sha256 = ${createHash("sha256").update(body).digest("hex")}`;
  if (!item) throw new Error("the unsigned body was not kept");
  return item.id;
}

async function main() {
  await recreateMigratedDatabase(DATABASE);
  const db = createPostgresDatabase(databaseUrl(DATABASE), { maxConnections: 4 });
  const owner = createPostgresDatabase(ownerDatabaseUrl(DATABASE), { maxConnections: 1 });
  let started = performance.now();
  await seedAdminData(owner, SIZES);
  await owner.close();
  console.log(
    `Seeded ${SIZES.failures / 1000}k failures, ${SIZES.deliveries / 1e6}M deliveries, ${SIZES.audits / 1e6}M audit entries in ${((performance.now() - started) / 1000).toFixed(0)} s`,
  );
  started = performance.now();
  const sealing = await sealEverything(db, BENCH_CHAIN_KEYS);
  console.log(
    `Sealed ${sealing.sealed} audit entries in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
  );

  const session = await signedInManager(db, "bench.manager@team.example");
  const manager = {
    staff: session.manager,
    context: { ip: "127.0.0.1", userAgent: "bench", requestId: "bench" },
  };
  started = performance.now();
  const verdict = await checkWholeChain(
    db,
    { keys: BENCH_CHAIN_KEYS, anchorFile: null, retentionDays: 365 },
    manager,
  );
  console.log(
    `whole-chain check: ${verdict.rows} entries, ${verdict.intact ? "intact" : "BROKEN"}, ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );

  const [deep] = await db.sql<{ value: string; id: string }>`
    select to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as value, id from public.webhook_failures
    where status = 'open' order by created_at desc, id desc offset 80000 limit 1`;
  const [failure] = await db.sql<{ id: string; email: string }>`
    select f.id, e.attendee_email as email from public.webhook_failures f join public.webhook_events e on e.id = f.webhook_event_id
    where f.status = 'open' and f.reason = 'unmatched' order by f.created_at desc limit 1 offset 500`;
  const [lead] = await db.sql<{ id: string }>`select id from public.leads where email = ${failure.email}`;

  const server = await startNextServer({
    DATABASE_URL: databaseUrl(DATABASE),
    CAL_WEBHOOK_SECRET: "whsec_bench_admin_0123456789",
    SUBMISSION_TOKEN_SECRET: "submission-bench-admin-secret-0123456789abcdef",
    NEXT_PUBLIC_CAL_LINK: "bench/intro-call",
    AUDIT_CHAIN_KEY: BENCH_CHAIN_KEY,
  });
  const { cookie } = session;
  const nestedItem = await storeUnsignedBody(server.url, db, "[".repeat(32_000) + "]".repeat(32_000));
  const wideItem = await storeUnsignedBody(
    server.url,
    db,
    JSON.stringify({ payload: Array.from({ length: 6000 }, (_, n) => ({ n })) }).slice(0, 64 * 1024),
  );
  const day = new Date(Date.now() - 86_400_000 * 3).toISOString().slice(0, 10);
  const pages: [string, string][] = [
    ["queue, first page", "/admin"],
    ["queue, page ~3,200 (80k rows deep)", `/admin?after=${encodeCursor(deep)}`],
    [
      "queue, filtered (reason, trigger, day)",
      `/admin?reason=unverified&trigger=BOOKING_CANCELLED&from=${day}&to=${day}`,
    ],
    ["queue, free-text search", "/admin?q=seed4242%40client.example"],
    ["failure detail + diff preview", `/admin/failures/${failure.id}?lead=${lead.id}`],
    ["failure detail, unsigned: 32,000 nested arrays", `/admin/failures/${nestedItem}`],
    ["failure detail, unsigned: 64 KiB of small objects", `/admin/failures/${wideItem}`],
    ["audit trail, first page", "/admin/audit"],
    ["audit trail, filtered by person", "/admin/audit?actor=staff7%40team.example"],
    ["health, last 7 days", "/admin/health?days=7"],
    ["health, last 30 days", "/admin/health?days=30"],
  ];
  try {
    console.log(`\n${"page".padEnd(50)} p50        p95        (${RUNS} runs, over HTTP)`);
    for (const [label, path] of pages) {
      const stats = summarize(await timePage(`${server.url}${path}`, cookie));
      console.log(`${label.padEnd(50)} ${ms(stats.p50).padEnd(10)} ${ms(stats.p95)}`);
    }

    const before = await rssMb(server.pid);
    const stopSampling = samplePeak(() => rssMb(server.pid));
    started = performance.now();
    const response = await fetch(`${server.url}/admin/audit/export?format=csv`, { headers: { cookie } });
    let bytes = 0;
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) bytes += chunk.length;
    const seconds = (performance.now() - started) / 1000;
    const peak = await stopSampling();
    console.log(
      `\naudit export, CSV of every entry: ${(bytes / 1e6).toFixed(0)} MB in ${seconds.toFixed(1)} s; server RSS ${before.toFixed(0)} MB before, peak ${peak.toFixed(0)} MB during`,
    );
  } finally {
    await server.stop();
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
