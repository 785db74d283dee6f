import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/database";
import { createPostgresDatabase } from "@/lib/db/postgres";
import { httpSender, runClosedLoop } from "@/bench/run-deliveries";
import { insertBenchLeads, makeBenchLeads } from "@/bench/seed-leads";
import { checkLedger, ledgerCounts } from "@/bench/webhook-ledger";
import { buildWorkload } from "@/bench/webhook-workload";
import { makeBookingCreated } from "@/lib/cal/payload-factories";
import { signCalBody } from "@/lib/cal/signature";
import { signedInManager } from "../support/manager-session";
import { type RunningServer, startNextServer } from "../support/next-server";
import { type RunningPgBouncer, startPgBouncer } from "../support/pgbouncer";
import { APP_LOGIN, OWNER_LOGIN, createDatabaseFromTemplate } from "../support/postgres-template";
import { TEST_CHAIN_KEY } from "../support/audit-chain-harness";
import {
  TEST_SUBMISSION_KEYS,
  TEST_SUBMISSION_SECRET,
  TEST_WEBHOOK_SECRET,
} from "../support/webhook-harness";

/**
 * Issue #26: behind Supabase's transaction pooler (PgBouncer in transaction mode stands in for it), with the
 * settings a new user leaves as they are, bursts got 503s, 500s and `201 Created` for leads never written.
 */
const CONCURRENCY = 16;

/** Reads Server-Sent Events from a response until `until` says stop or the time runs out. */
async function readEvents(response: Response, until: (names: string[]) => boolean, ms: number) {
  const names: string[] = [];
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  const deadline = Date.now() + ms;
  while (!until(names) && Date.now() < deadline) {
    const chunk = await Promise.race([
      reader.read(),
      new Promise<null>((resolve) => setTimeout(() => resolve(null), Math.max(1, deadline - Date.now()))),
    ]);
    if (!chunk || chunk.done) break;
    text += decoder.decode(chunk.value, { stream: true });
    const blocks = text.split("\n\n");
    text = blocks.pop() ?? "";
    for (const block of blocks) {
      const name = /^event: (.+)$/m.exec(block)?.[1];
      if (name) names.push(`${name} ${/^data: (.+)$/m.exec(block)?.[1] ?? ""}`);
    }
  }
  void reader.cancel().catch(() => {});
  return names;
}

for (const mode of ["transaction", "session"] as const) {
  describe(`next start through PgBouncer in ${mode} mode, settings left as the app chooses them`, () => {
    let bouncer: RunningPgBouncer;
    let server: RunningServer;
    let db: Database;
    let drop: () => Promise<void>;

    beforeAll(async () => {
      const created = await createDatabaseFromTemplate();
      drop = created.drop;
      db = createPostgresDatabase(created.url, { maxConnections: 2 });
      bouncer = await startPgBouncer({
        mode,
        server: created.url,
        users: [APP_LOGIN, OWNER_LOGIN],
        // Transaction mode shares 4 server connections among every client; a session pooler keeps one per
        // client connection, so it needs room for the app's pool and its LISTEN connection.
        poolSize: mode === "transaction" ? 4 : 10,
      });
      server = await startNextServer({
        DATABASE_URL: bouncer.through(created.url),
        CAL_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
        SUBMISSION_TOKEN_SECRET: TEST_SUBMISSION_SECRET,
        NEXT_PUBLIC_CAL_LINK: "dana/intro-call",
        AUDIT_CHAIN_KEY: TEST_CHAIN_KEY,
        LEAD_RATE_LIMIT_PER_10_MINUTES: "100000",
      });
    });

    afterAll(async () => {
      await server?.stop();
      await bouncer?.stop();
      await db?.close();
      await drop?.();
    });

    it("a burst of leads: every 201 names a lead that is in the table, and nothing else is answered", async () => {
      const answers: { status: number; id?: string }[] = [];
      let next = 0;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < 160) {
            const n = next++;
            const response = await fetch(`${server.url}/api/leads`, {
              method: "POST",
              headers: { "content-type": "application/json" },
              body: JSON.stringify({ name: `Pooled ${n}`, email: `pooled${n}@client.example` }),
            });
            answers.push({ status: response.status, ...((await response.json()) as { id?: string }) });
          }
        }),
      );
      expect(answers.filter((answer) => answer.status !== 201)).toEqual([]);
      const ids = answers.map((answer) => answer.id!);
      const stored = await db.sql<{ id: string }>`select id from public.leads where id = any(${ids}::uuid[])`;
      expect(stored).toHaveLength(ids.length);
    });

    it(`the live queue says the truth: ${mode === "transaction" ? "polled, and says how fresh" : "live"}; a new item reaches the page`, async () => {
      const { cookie } = await signedInManager(db, `queue-${mode}@team.example`);
      const stream = await fetch(`${server.url}/admin/queue-events`, { headers: { cookie } });
      const arrived = readEvents(stream, (names) => names.some((name) => name.startsWith("queued")), 15_000);
      await new Promise((resolve) => setTimeout(resolve, mode === "transaction" ? 6000 : 2500));
      const body = JSON.stringify(makeBookingCreated({ submissionToken: null }));
      const queued = await fetch(`${server.url}/api/webhooks/cal`, {
        method: "POST",
        body,
        headers: {
          "content-type": "application/json",
          "x-cal-signature-256": signCalBody(body, TEST_WEBHOOK_SECRET),
        },
      });
      expect(await queued.json()).toEqual({ status: "queued" });
      const names = await arrived;
      expect(names[0]).toBe(
        mode === "transaction" ? 'mode {"live":false,"everySeconds":5}' : 'mode {"live":true}',
      );
      if (mode === "transaction") expect(names.some((name) => name.startsWith("checked"))).toBe(true);
      expect(names.some((name) => name.startsWith("queued"))).toBe(true);
    });

    it("a shuffled burst of signed deliveries with repeats: no 5xx, the ledger balances, every lead right", async () => {
      const leads = makeBenchLeads(350, 0, TEST_SUBMISSION_KEYS);
      await insertBenchLeads(db, leads);
      const { deliveries, eventsByLead } = buildWorkload(leads, TEST_WEBHOOK_SECRET);
      const before = await ledgerCounts(db);
      const run = await runClosedLoop(deliveries, CONCURRENCY, httpSender(server.url));
      const refused = [...run.outcomes].filter(([outcome]) => outcome.startsWith("http_"));
      expect(refused, await bouncer.log()).toEqual([]);
      const ledger = await checkLedger(db, deliveries.length, run.outcomes, leads, eventsByLead, before);
      expect(ledger.problems).toEqual([]);
    });
  });
}
