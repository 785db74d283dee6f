import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signedInManager } from "../support/manager-session";
import { nextServerForThisFile } from "../support/next-server-for-this-file";

/**
 * Issue #25, hole 2: an unsigned body of 32,000 nested arrays (401, kept for staff to look at) cost 8.4 s of
 * server time and 20 MB of HTML to open, and the browser never finished loading it.
 */
const app = nextServerForThisFile();

async function postUnsigned(body: string) {
  const response = await fetch(`${app.server.url}/api/webhooks/cal`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-cal-signature-256": "0".repeat(64) },
    body,
  });
  expect(response.status).toBe(401);
  const sha = createHash("sha256").update(body).digest("hex");
  const [item] = await app.db.sql<{ id: string }>`
    select f.id from public.webhook_failures f join public.webhook_events e on e.id = f.webhook_event_id
    where e.body_sha256 = ${sha}`;
  return item.id;
}

describe("a stored body built to freeze the console", () => {
  it("is shown as the start of its text, in a page of bounded size, and downloads whole", async () => {
    const nested = "[".repeat(32_000) + "]".repeat(32_000);
    const wide = JSON.stringify({
      triggerEvent: "BOOKING_CREATED",
      payload: Array.from({ length: 6000 }, (_, n) => n),
    });
    const { cookie } = await signedInManager(app.db, "payload-view@example.com");
    for (const [body, why] of [
      [nested, /nested deeper than 16 levels/],
      [wide, /holds more than 2000 values/],
    ] as const) {
      const id = await postUnsigned(body);
      const page = await fetch(`${app.server.url}/admin/failures/${id}`, { headers: { cookie } });
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toMatch(why);
      expect(html).toContain(`/admin/failures/${id}/body`);
      expect(Buffer.byteLength(html)).toBeLessThan(250_000);

      const download = await fetch(`${app.server.url}/admin/failures/${id}/body`, { headers: { cookie } });
      expect(download.status).toBe(200);
      expect(download.headers.get("content-disposition")).toMatch(/^attachment; filename="cal-delivery-/);
      expect(download.headers.get("x-content-type-options")).toBe("nosniff");
      expect(await download.text()).toBe(body);
    }
  });

  it("the download is for staff only: signed out 401, an unknown or malformed id 404", async () => {
    const id = await postUnsigned(JSON.stringify({ triggerEvent: "PING", n: 1 }));
    expect((await fetch(`${app.server.url}/admin/failures/${id}/body`)).status).toBe(401);
    const { cookie } = await signedInManager(app.db, "payload-view-2@example.com");
    const unknown = "00000000-0000-4000-8000-000000000000";
    expect(
      (await fetch(`${app.server.url}/admin/failures/${unknown}/body`, { headers: { cookie } })).status,
    ).toBe(404);
    expect(
      (await fetch(`${app.server.url}/admin/failures/not-a-uuid/body`, { headers: { cookie } })).status,
    ).toBe(404);
  });
});
