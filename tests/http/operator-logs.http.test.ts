import { describe, expect, it } from "vitest";
import { hashPassword } from "@/lib/auth/password-hash";
import { makeBookingCreated } from "@/lib/cal/payload-factories";
import { signCalBody } from "@/lib/cal/signature";
import { upsertStaffUser } from "@/lib/db/queries/staff-users";
import { TEST_CHAIN_KEY } from "../support/audit-chain-harness";
import { expectStartFailure } from "../support/next-server";
import { nextServerForThisFile } from "../support/next-server-for-this-file";
import { CookieJar, submitSignInForm } from "../support/sign-in-form";
import { TEST_SUBMISSION_SECRET, TEST_WEBHOOK_SECRET, createTestLead } from "../support/webhook-harness";

const CRON_SECRET = "cron-secret-for-the-log-test";
const PASSWORD = "the staff member's passphrase";
const app = nextServerForThisFile(() => ({ CRON_SECRET }));

type LogLine = Record<string, unknown> & { level: string; msg: string; time: string };

/** Every JSON line the server printed so far (Next's own banner lines are not JSON and are skipped). */
function logLines(): LogLine[] {
  return app.server
    .output()
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as LogLine);
}

const linesOf = (event: string) => logLines().filter((line) => line.event === event);

async function postDelivery(body: string, headers: Record<string, string>) {
  const response = await fetch(`${app.server.url}/api/webhooks/cal`, {
    method: "POST",
    body,
    headers: { "content-type": "application/json", ...headers },
  });
  return response.status;
}

describe("the server's log: JSON lines an operator can use, with nothing personal or secret in them", () => {
  const emails: string[] = [];
  const tokens: string[] = [];

  it("one line per webhook delivery, with outcome, status, trigger, delivery id, duration and the audit entry's request id", async () => {
    const lead = await createTestLead(app.db);
    tokens.push(lead.token);
    const attendee = { name: "Logged Person", email: "logged.person@client.example" };
    emails.push(attendee.email);
    const body = JSON.stringify(makeBookingCreated({ submissionToken: lead.token, attendee }));
    const signed = { "x-cal-signature-256": signCalBody(body, TEST_WEBHOOK_SECRET) };
    expect(await postDelivery(body, { ...signed, "x-request-id": "req-log-test-applied" })).toBe(200);
    expect(await postDelivery(body, signed)).toBe(200);
    expect(await postDelivery(body, { "x-cal-signature-256": "0".repeat(64) })).toBe(401);

    await expect.poll(() => linesOf("webhook.delivery").length).toBe(3);
    const [applied, duplicate, unverified] = linesOf("webhook.delivery");
    expect(applied).toMatchObject({
      level: "info",
      msg: "webhook delivery",
      outcome: "applied",
      status: 200,
      trigger: "BOOKING_CREATED",
      requestId: "req-log-test-applied",
      deliveryId: expect.stringMatching(/^[0-9a-f]{16}$/),
      durationMs: expect.any(Number),
      service: "booking-handoff",
      time: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
    });
    expect(duplicate).toMatchObject({
      outcome: "duplicate",
      status: 200,
      deliveryId: applied.deliveryId,
      requestId: expect.any(String),
    });
    expect(duplicate.requestId).not.toBe(applied.requestId);
    expect(unverified).toMatchObject({ level: "warn", outcome: "unverified", status: 401, trigger: null });

    const [entry] = await app.db.sql<{ request_context: { requestId: string } }>`
      select request_context from public.audit_log where lead_id = ${lead.id} and action = 'lead.updated_by_webhook'`;
    expect(entry.request_context).toEqual({ requestId: "req-log-test-applied" });
  });

  it("a request id that does not look like one is not copied into the log", async () => {
    await postDelivery("{}", { "x-request-id": "<script>alert(1)</script>" });
    await expect.poll(() => linesOf("webhook.delivery").length).toBe(4);
    expect(linesOf("webhook.delivery")[3].requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("sign-in failures and lockouts, naming the account by a hash and never by its email", async () => {
    const email = "logged.staff@team.example";
    emails.push(email);
    await upsertStaffUser(app.db.sql, { email, role: "staff", passwordHash: await hashPassword(PASSWORD) });
    for (let n = 0; n < 6; n++)
      await submitSignInForm(app.server.url, new CookieJar(), email, `wrong guess ${n}`);
    expect(
      (await submitSignInForm(app.server.url, new CookieJar(), "someone.else@team.example", PASSWORD)).status,
    ).toBe(200);
    emails.push("someone.else@team.example");

    await expect.poll(() => linesOf("auth.sign_in").length).toBe(7);
    const lines = linesOf("auth.sign_in");
    expect(lines.map((line) => line.outcome)).toEqual([
      "invalid",
      "invalid",
      "invalid",
      "invalid",
      "invalid",
      "locked",
      "invalid",
    ]);
    expect(lines[5]).toMatchObject({
      level: "warn",
      msg: "sign-in refused: too many failed attempts",
      account: lines[0].account,
      client: "127.0.0.1",
    });
    expect(lines[0].account).toMatch(/^[0-9a-f]{32}$/);
    expect(lines[6].account).not.toBe(lines[0].account);
  });

  it("each scheduled job run, with its counts", async () => {
    const response = await fetch(`${app.server.url}/api/cron/health`, {
      headers: { authorization: `Bearer ${CRON_SECRET}` },
    });
    expect(response.status).toBe(200);
    await expect.poll(() => linesOf("job.scheduled_checks").length).toBe(1);
    expect(linesOf("job.scheduled_checks")[0]).toMatchObject({
      level: "info",
      backfill: { skipped: "CAL_API_KEY is not set" },
      retention: { bodiesPurged: 0 },
      auditChain: { sealed: expect.any(Number), verdict: { intact: true } },
      firing: expect.any(Array),
    });
  });

  it("holds no email, token, password or secret anywhere", () => {
    const output = app.server.output();
    for (const secret of [
      TEST_WEBHOOK_SECRET,
      TEST_SUBMISSION_SECRET,
      TEST_CHAIN_KEY,
      CRON_SECRET,
      PASSWORD,
      ...emails,
      ...tokens,
    ]) {
      expect(output).not.toContain(secret);
    }
    expect(output).not.toMatch(/[\w.+-]+@[\w-]+\.[\w.]+/);
  });

  it("LOG_LEVEL is checked at start", async () => {
    const refused = await expectStartFailure({
      LOG_LEVEL: "loud",
      CAL_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
      SUBMISSION_TOKEN_SECRET: TEST_SUBMISSION_SECRET,
      NEXT_PUBLIC_CAL_LINK: "a/b",
    });
    expect(refused.code).not.toBe(0);
    expect(refused.output).toContain("LOG_LEVEL");
  });
});
