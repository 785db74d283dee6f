/**
 * npm run bench:handoff — does a booked call end up tied to its lead and shown right, on Cal.com's real
 * paths? Whole lead lives (LIFE_KINDS), each lead made through POST /api/leads as the intake form does, their
 * events in Cal.com's real shapes plus exact repeats, all shuffled and sent concurrently over HTTP to `next
 * start` on the PostgreSQL server. Prints, per kind and in total: lead events tied automatically, leads in
 * the right final state (stage and current booking, written by hand per kind), wrong ties and lead events
 * left in the queue.
 *
 *   BENCH_LEADS (default 330, 30 of each kind), BENCH_CONCURRENCY (16), BENCH_REPEATS (0.15 of the bodies)
 */
import { signCalBody } from "../lib/cal/signature";
import type { CalBody } from "../lib/cal/payload-factories";
import { createPostgresDatabase } from "../lib/db/postgres";
import { startNextServer } from "../tests/support/next-server";
import { databaseUrl, recreateMigratedDatabase } from "../tests/support/postgres-template";
import { LIFE_KINDS, type Life, type LifeKind, buildLife, shuffled } from "./handoff-lives";

const WEBHOOK_SECRET = "whsec_bench_handoff_0123456789abcdef0123";
const DATABASE = "booking_handoff_bench_handoff";
const LEADS = Number(process.env.BENCH_LEADS ?? 330);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 0.15);

const pct = (part: number, whole: number) => (whole === 0 ? "—" : `${((part / whole) * 100).toFixed(1)}%`);
const uidOf = (body: CalBody) =>
  String(
    (body.payload as { uid?: string; bookingUid?: string } | undefined)?.uid ??
      (body.payload as { bookingUid?: string } | undefined)?.bookingUid ??
      body.uid,
  );

async function createLeads(url: string, count: number) {
  const leads: { id: string; token: string; email: string; name: string }[] = [];
  for (let n = 0; n < count; n++) {
    const name = `Handoff Lead ${n}`;
    const email = `handoff${n}@client.example`;
    const response = await fetch(`${url}/api/leads`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name, email }),
    });
    if (response.status !== 201) throw new Error(`POST /api/leads answered ${response.status}`);
    const created = (await response.json()) as { id: string; submissionId: string };
    leads.push({ id: created.id, token: created.submissionId, email, name });
  }
  return leads;
}

async function send(url: string, body: string): Promise<number> {
  const response = await fetch(`${url}/api/webhooks/cal`, {
    method: "POST",
    body,
    headers: {
      "content-type": "application/json",
      "x-cal-signature-256": signCalBody(body, WEBHOOK_SECRET),
      "x-cal-webhook-version": "2021-10-20",
    },
  });
  await response.arrayBuffer();
  return response.status;
}

async function main() {
  await recreateMigratedDatabase(DATABASE);
  const db = createPostgresDatabase(databaseUrl(DATABASE), { maxConnections: 2 });
  const server = await startNextServer({
    DATABASE_URL: databaseUrl(DATABASE),
    CAL_WEBHOOK_SECRET: WEBHOOK_SECRET,
    SUBMISSION_TOKEN_SECRET: "submission-bench-handoff-secret-0123456789abcdef",
    NEXT_PUBLIC_CAL_LINK: "bench/intro-call",
    LEAD_RATE_LIMIT_PER_10_MINUTES: "100000",
    AUDIT_CHAIN_KEY: "audit-chain-bench-handoff-key-0123456789abcdef",
  });
  try {
    const leads = await createLeads(server.url, LEADS);
    const lives: Life[] = leads.map((lead, n) => buildLife(LIFE_KINDS[n % LIFE_KINDS.length], lead, n));
    const originals = lives.flatMap((life) =>
      life.bodies.map((body) => ({ life, text: JSON.stringify(body), uid: uidOf(body) })),
    );
    const repeats = Array.from(
      { length: Math.round(originals.length * REPEATS) },
      () => originals[Math.floor(Math.random() * originals.length)],
    );
    const deliveries = shuffled([...originals, ...repeats]);
    console.log(
      `Booking Handoff: ${lives.length} lead lives, ${originals.length} events + ${repeats.length} exact repeats, shuffled, ${CONCURRENCY} concurrent senders\n`,
    );

    let next = 0;
    const statuses = new Map<number, number>();
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < deliveries.length) {
          const status = await send(server.url, deliveries[next++].text);
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;

    const linked = new Map<string, string | null>();
    for (const row of await db.sql<{
      idempotency_key: string;
      booking_uid: string;
      trigger_event: string;
      lead_id: string | null;
    }>`
      select idempotency_key, booking_uid, trigger_event, lead_id from public.webhook_events`) {
      linked.set(`${row.trigger_event}:${row.booking_uid}`, row.lead_id);
    }
    const openByUid = new Set(
      (
        await db.sql<{ uid: string }>`select e.booking_uid as uid from public.webhook_failures f
        join public.webhook_events e on e.id = f.webhook_event_id where f.status = 'open'`
      ).map((row) => row.uid),
    );
    const leadRows = new Map(
      (
        await db.sql<{
          id: string;
          stage: string;
          cal_booking_uid: string | null;
        }>`select id, stage, cal_booking_uid from public.leads`
      ).map((row) => [row.id, row]),
    );

    const rows = new Map<
      LifeKind | "total",
      { events: number; tied: number; right: number; leads: number; wrong: number; queued: number }
    >();
    const tally = (kind: LifeKind | "total") =>
      rows.get(kind) ??
      rows.set(kind, { events: 0, tied: 0, right: 0, leads: 0, wrong: 0, queued: 0 }).get(kind)!;
    for (const life of lives) {
      const row = tally(life.kind);
      const total = tally("total");
      const lead = leadRows.get(life.leadId);
      const right = lead?.stage === life.expected.stage && lead?.cal_booking_uid === life.expected.uid;
      for (const target of [row, total]) {
        target.leads += 1;
        if (right) target.right += 1;
      }
      for (const body of life.bodies) {
        const key = `${body.triggerEvent}:${uidOf(body)}`;
        const tiedTo = linked.get(key) ?? null;
        for (const target of life.kind === "outside_book" ? [row] : [row, total]) {
          if (life.kind !== "outside_book") target.events += 1;
          if (tiedTo === life.leadId && life.kind !== "outside_book") target.tied += 1;
          if (tiedTo !== null && (tiedTo !== life.leadId || life.kind === "outside_book")) target.wrong += 1;
          if (tiedTo === null && openByUid.has(uidOf(body)) && life.kind !== "outside_book")
            target.queued += 1;
        }
        if (life.kind === "outside_book" && tiedTo !== null) tally("total").wrong += 1;
      }
    }

    console.log(
      `${"life".padEnd(26)} ${"leads".padStart(6)} ${"lead events".padStart(12)} ${"tied auto".padStart(10)} ${"right state".padStart(12)} ${"wrong ties".padStart(11)} ${"left queued".padStart(12)}`,
    );
    for (const [kind, row] of [...rows].sort(([a], [b]) =>
      a === "total"
        ? 1
        : b === "total"
          ? -1
          : LIFE_KINDS.indexOf(a as LifeKind) - LIFE_KINDS.indexOf(b as LifeKind),
    )) {
      const events = kind === "outside_book" ? "(not ours)" : String(row.events);
      console.log(
        `${kind.padEnd(26)} ${String(row.leads).padStart(6)} ${events.padStart(12)} ${(kind === "outside_book" ? "—" : pct(row.tied, row.events)).padStart(10)} ` +
          `${pct(row.right, row.leads).padStart(12)} ${String(row.wrong).padStart(11)} ${String(row.queued).padStart(12)}`,
      );
    }
    const total = tally("total");
    const answers = [...statuses].map(([status, n]) => `${status}: ${n}`).join(", ");
    console.log(
      `\n${deliveries.length} deliveries in ${seconds.toFixed(1)} s (${(deliveries.length / seconds).toFixed(0)}/s); answers ${answers}`,
    );
    const met =
      total.tied === total.events && total.right === total.leads && total.wrong === 0 && total.queued === 0;
    const goal =
      total.tied / total.events >= 0.99 &&
      total.right === total.leads &&
      total.wrong === 0 &&
      total.queued === 0;
    console.log(
      `goal (≥ 99% tied automatically, 100% right state, 0 wrong ties, 0 lead events left queued): ${goal ? "met" : "SHORT"}${met ? " (every event tied)" : ""}`,
    );
    if (!goal || [...statuses.keys()].some((status) => status !== 200)) process.exitCode = 1;
  } finally {
    await server.stop();
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
