import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeBookingCreated } from "@/lib/cal/payload-factories";
import { signCalBody } from "@/lib/cal/signature";
import { createLead } from "@/lib/leads/create-lead";
import { startFakeChatWebhook } from "../support/fake-chat-webhook";
import { nextServerForThisFile } from "../support/next-server-for-this-file";
import { TEST_SUBMISSION_KEYS, TEST_WEBHOOK_SECRET } from "../support/webhook-harness";

const CRON_SECRET = "cron-secret-for-the-http-test-0123456789";
let chat: Awaited<ReturnType<typeof startFakeChatWebhook>>;
beforeAll(async () => {
  chat = await startFakeChatWebhook();
});
afterAll(() => chat?.close());

const app = nextServerForThisFile(() => ({
  CRON_SECRET,
  SLACK_WEBHOOK_URL: chat.url,
  ALERT_OPEN_ITEMS: "1",
  BUSINESS_DAYS: "1-7",
  BUSINESS_HOURS: "0-24",
}));

const cron = (authorization?: string) =>
  fetch(`${app.server.url}/api/cron/health`, { headers: authorization ? { authorization } : {} });

describe("/api/cron/health", () => {
  it("refuses calls without the secret, with a wrong one, or with the secret outside the Bearer scheme", async () => {
    for (const authorization of [
      undefined,
      "Bearer wrong-secret",
      `Basic ${CRON_SECRET}`,
      CRON_SECRET,
      "Bearer ",
    ]) {
      expect((await cron(authorization)).status).toBe(401);
    }
    expect(chat.messages).toEqual([]);
  });

  it("with the secret, runs the check and posts what started, once", async () => {
    const first = await cron(`Bearer ${CRON_SECRET}`);
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({
      firing: ["no_events"],
      sent: [{ rule: "no_events", change: "fired" }],
      unsent: [],
    });
    expect(chat.messages).toEqual([
      "Booking Handoff: No event has ever arrived from Cal.com: is the webhook configured?",
    ]);
    expect(await (await cron(`Bearer ${CRON_SECRET}`)).json()).toMatchObject({
      firing: ["no_events"],
      sent: [],
    });
    expect(chat.messages).toHaveLength(1);
  });
});

describe("/api/cron/health and the audit chain", () => {
  it("the running server seals a webhook's audit entry by itself; the job signs the head, posts it and verifies all", async () => {
    const lead = await createLead(
      app.db,
      { name: "Sealed Soon", email: "sealed@client.example" },
      TEST_SUBMISSION_KEYS,
    );
    const body = JSON.stringify(makeBookingCreated({ submissionToken: lead.submissionId }));
    const delivered = await fetch(`${app.server.url}/api/webhooks/cal`, {
      method: "POST",
      body,
      headers: {
        "content-type": "application/json",
        "x-cal-signature-256": signCalBody(body, TEST_WEBHOOK_SECRET),
      },
    });
    expect(await delivered.json()).toEqual({ status: "applied" });
    // The sealer runs about once a second inside `next start`: no request needs to ask for it.
    await expect
      .poll(
        async () =>
          (
            await app.db.sql`select 1 from public.audit_seals s join public.audit_log a on a.id = s.entry_id
        where a.lead_id = ${lead.id}`
          ).length,
        { timeout: 10_000 },
      )
      .toBe(1);

    const before = chat.messages.length;
    const answer = (await (await cron(`Bearer ${CRON_SECRET}`)).json()) as {
      auditChain: {
        verdict: { intact: boolean; headSeq: number };
        checkpoint: { headSeq: number };
        anchorPosted: boolean;
      };
    };
    expect(answer.auditChain).toMatchObject({ verdict: { intact: true }, anchorPosted: true });
    expect(answer.auditChain.checkpoint.headSeq).toBe(answer.auditChain.verdict.headSeq);
    expect(chat.messages.slice(before)).toContainEqual(
      expect.stringMatching(/^Booking Handoff: Audit chain head: entry #\d+, seal [0-9a-f]{64}, signed /),
    );
  });
});
