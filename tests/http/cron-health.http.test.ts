import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/database";
import { createPostgresDatabase } from "@/lib/db/postgres";
import { startFakeChatWebhook } from "../support/fake-chat-webhook";
import { type RunningServer, startNextServer } from "../support/next-server";
import { createDatabaseFromTemplate } from "../support/postgres-template";
import { TEST_SUBMISSION_SECRET, TEST_WEBHOOK_SECRET } from "../support/webhook-harness";

const CRON_SECRET = "cron-secret-for-the-http-test-0123456789";
let server: RunningServer;
let db: Database;
let chat: Awaited<ReturnType<typeof startFakeChatWebhook>>;
let dropDatabase: () => Promise<void>;

beforeAll(async () => {
  chat = await startFakeChatWebhook();
  const created = await createDatabaseFromTemplate();
  dropDatabase = created.drop;
  db = createPostgresDatabase(created.url, { maxConnections: 2 });
  server = await startNextServer({
    DATABASE_URL: created.url,
    CAL_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
    SUBMISSION_TOKEN_SECRET: TEST_SUBMISSION_SECRET,
    NEXT_PUBLIC_CAL_LINK: "dana/intro-call",
    CRON_SECRET,
    SLACK_WEBHOOK_URL: chat.url,
    ALERT_OPEN_ITEMS: "1",
    BUSINESS_DAYS: "1-7",
    BUSINESS_HOURS: "0-24",
  });
});

afterAll(async () => {
  await server?.stop();
  await chat?.close();
  await db?.close();
  await dropDatabase?.();
});

const cron = (authorization?: string) =>
  fetch(`${server.url}/api/cron/health`, { headers: authorization ? { authorization } : {} });

describe("/api/cron/health", () => {
  it("refuses calls without the secret, with a wrong one, or with the secret outside the Bearer scheme", async () => {
    for (const authorization of [undefined, "Bearer wrong-secret", `Basic ${CRON_SECRET}`, CRON_SECRET, "Bearer "]) {
      expect((await cron(authorization)).status).toBe(401);
    }
    expect(chat.messages).toEqual([]);
  });

  it("with the secret, runs the check and posts what started, once", async () => {
    const first = await cron(`Bearer ${CRON_SECRET}`);
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ firing: ["no_events"], sent: [{ rule: "no_events", change: "fired" }], unsent: [] });
    expect(chat.messages).toEqual(["Booking Handoff: No event has ever arrived from Cal.com: is the webhook configured?"]);
    expect(await (await cron(`Bearer ${CRON_SECRET}`)).json()).toMatchObject({ firing: ["no_events"], sent: [] });
    expect(chat.messages).toHaveLength(1);
  });
});
