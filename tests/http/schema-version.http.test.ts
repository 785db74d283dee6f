import { describe, expect, it } from "vitest";
import { makeBookingCreated } from "@/lib/cal/payload-factories";
import { signCalBody } from "@/lib/cal/signature";
import { EXPECTED_SCHEMA_VERSION } from "@/lib/db/schema-version";
import { signedInManager } from "../support/manager-session";
import { nextServerForThisFile } from "../support/next-server-for-this-file";
import { TEST_WEBHOOK_SECRET } from "../support/webhook-harness";

/** Issue #26: an unmigrated database gave `500 function public.reconcile_cal_event(...) does not exist`. */
const app = nextServerForThisFile();

async function postBooking() {
  const body = JSON.stringify(makeBookingCreated({}));
  return fetch(`${app.server.url}/api/webhooks/cal`, {
    method: "POST",
    body,
    headers: {
      "content-type": "application/json",
      "x-cal-signature-256": signCalBody(body, TEST_WEBHOOK_SECRET),
    },
  });
}

describe("a database whose schema is older than the code", () => {
  it("answers 503 with Retry-After, logs that `npm run db:migrate` is due, says so in the console, and serves once migrated", async () => {
    const { cookie } = await signedInManager(app.db, "schema@team.example");
    const [newest] = await app.owner.sql<{
      statements: string[] | null;
      name: string | null;
    }>`
      select statements, name from supabase_migrations.schema_migrations where version = ${EXPECTED_SCHEMA_VERSION}`;
    // As if the newest migration had not run yet (the server opens its database on first use).
    await app.owner
      .sql`delete from supabase_migrations.schema_migrations where version = ${EXPECTED_SCHEMA_VERSION}`;
    try {
      const refused = await postBooking();
      expect(refused.status).toBe(503);
      expect(refused.headers.get("retry-after")).toBeTruthy();
      expect(app.server.output()).toMatch(/schema is older than this code .* run `npm run db:migrate`/);
      const page = await fetch(`${app.server.url}/admin`, { headers: { cookie } });
      expect(await page.text()).toContain("npm run db:migrate");
      const ready = await fetch(`${app.server.url}/api/health/ready`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({ status: "not_ready", reason: "schema_outdated" });
      expect((await fetch(`${app.server.url}/api/health/live`)).status).toBe(200);
    } finally {
      await app.owner.sql`
        insert into supabase_migrations.schema_migrations (version, name, statements)
        values (${EXPECTED_SCHEMA_VERSION}, ${newest.name}, ${newest.statements})`;
    }
    // Asked again after a few seconds: served as soon as the schema is there.
    await new Promise((resolve) => setTimeout(resolve, 5500));
    expect((await postBooking()).status).toBe(200);
    expect(await (await fetch(`${app.server.url}/api/health/ready`)).json()).toEqual({ status: "ready" });
  });
});
