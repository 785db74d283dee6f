import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeChatWebhook } from "../support/fake-chat-webhook";
import { nextServerForThisFile } from "../support/next-server-for-this-file";

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
