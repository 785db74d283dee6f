import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { makeBookingCreated, newBookingUid } from "../lib/cal/payload-factories";
import { createLead, sendUnmatchedBooking, signIn } from "./admin-support";
import { e2eDatabase } from "./support";

/** Working the queue quickly: decide & next, keys, copy, select all matching, live arrival, page position. */
const sql = e2eDatabase();
test.afterAll(() => sql.end());

async function failureOf(uid: string) {
  const [row] = await sql`select f.id, f.status, f.created_at from public.webhook_failures f
    join public.webhook_events e on e.id = f.webhook_event_id where e.booking_uid = ${uid}`;
  return row as { id: string; status: string; created_at: Date };
}

/** The open item the queue shows after `failureId` (newest first), or the newest one past the end. */
async function expectedNextOpen(failureId: string): Promise<string | undefined> {
  const [older] = await sql`select f.id from public.webhook_failures f, public.webhook_failures this
    where this.id = ${failureId} and f.status = 'open' and (f.created_at, f.id) < (this.created_at, this.id)
    order by f.created_at desc, f.id desc limit 1`;
  if (older) return older.id as string;
  const [newest] =
    await sql`select id from public.webhook_failures where status = 'open' order by created_at desc, id desc limit 1`;
  return newest?.id as string | undefined;
}

test("Apply & next resolves the item and opens the next open one; Discard & next likewise", async ({
  page,
  request,
}) => {
  const lead = await createLead(request, "Ada Next");
  const older = await failureOf(
    await sendUnmatchedBooking(request, {
      name: "Someone Else",
      email: `else.${randomUUID().slice(0, 6)}@x.example`,
    }),
  );
  const uid = await sendUnmatchedBooking(request, { name: lead.name, email: lead.email });
  const item = await failureOf(uid);
  await signIn(page, "staff", `/admin/failures/${item.id}`);

  await page
    .getByRole("list", { name: "Suggested leads" })
    .getByRole("link", { name: new RegExp(lead.email) })
    .click();
  await page.getByRole("button", { name: "Apply to this lead…" }).click();
  await page.getByRole("button", { name: "Apply & next" }).click();
  const next = await expectedNextOpen(item.id);
  await expect(page).toHaveURL(new RegExp(`/admin/failures/${next}$`));
  expect((await failureOf(uid)).status).toBe("resolved");
  const [leadRow] = await sql`select stage from public.leads where id = ${lead.id}`;
  expect(leadRow.stage).toBe("call_booked");

  await page.goto(`/admin/failures/${older.id}`);
  await page.getByLabel("Why discard it?").fill("booked by our own team");
  const afterOlder = await expectedNextOpen(older.id);
  await page.getByRole("button", { name: "Discard & next" }).click();
  await expect(page).toHaveURL(new RegExp(`/admin/failures/${afterOlder}$`));
  const [discarded] = await sql`select status from public.webhook_failures where id = ${older.id}`;
  expect(discarded.status).toBe("discarded");
});

test("keys on an item: ? lists them, j opens the next open item, d goes to the discard reason, u back to the queue", async ({
  page,
  request,
}) => {
  const first = await failureOf(
    await sendUnmatchedBooking(request, {
      name: "Key One",
      email: `key.one.${randomUUID().slice(0, 6)}@x.example`,
    }),
  );
  const second = await failureOf(
    await sendUnmatchedBooking(request, {
      name: "Key Two",
      email: `key.two.${randomUUID().slice(0, 6)}@x.example`,
    }),
  );
  await signIn(page, "staff", `/admin/failures/${second.id}`);

  await page.keyboard.press("?");
  const help = page.getByRole("dialog", { name: "Keys on this item" });
  await expect(help).toBeVisible();
  await expect(help.getByText("Next open item")).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(help).toBeHidden();

  await page.keyboard.press("d");
  await expect(page.getByLabel("Why discard it?")).toBeFocused();
  // Typed into the field, a key is text, not a command.
  await page.keyboard.type("jk");
  await expect(page.getByLabel("Why discard it?")).toHaveValue("jk");
  await expect(page).toHaveURL(new RegExp(`/admin/failures/${second.id}$`));

  await page.getByRole("heading", { level: 1 }).click();
  await page.keyboard.press("j");
  await expect(page).toHaveURL(new RegExp(`/admin/failures/${first.id}$`));
  await page.keyboard.press("k");
  await expect(page).toHaveURL(new RegExp(`/admin/failures/${second.id}$`));
  await page.keyboard.press("u");
  await expect(page).toHaveURL(/\/admin$/);
  await page.keyboard.press("?");
  await expect(page.getByRole("dialog", { name: "Keys in the queue" })).toBeVisible();
});

test("copy buttons put the exact value on the clipboard", async ({ browser, request, baseURL }) => {
  const context = await browser.newContext({ baseURL });
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const page = await context.newPage();
  const uid = await sendUnmatchedBooking(request, {
    name: "Copy Me",
    email: `copy.${randomUUID().slice(0, 6)}@x.example`,
  });
  const item = await failureOf(uid);
  await signIn(page, "staff", `/admin/failures/${item.id}`);

  await page.getByRole("button", { name: "Copy booking uid" }).click();
  await expect(page.getByRole("button", { name: "Copy booking uid" })).toHaveText("Copied");
  await expect(page.getByRole("status").filter({ hasText: "booking uid copied" })).toBeAttached();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(uid);

  const [event] = await sql`select e.body_sha256 from public.webhook_events e where e.booking_uid = ${uid}`;
  await page.getByRole("button", { name: "Copy body SHA-256" }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(event.body_sha256);
  await context.close();
});

test("select all N matching discards every matching item in batches, with progress, position and named results", async ({
  page,
  request,
}) => {
  const tag = `bulk${randomUUID().slice(0, 8)}`;
  for (let index = 0; index < 27; index += 1) {
    await sendUnmatchedBooking(request, {
      name: `Bulk Person ${index}`,
      email: `p${index}.${tag}@x.example`,
    });
  }
  await signIn(page, "staff", `/admin?q=${tag}`);
  await expect(page.getByText("27 items match these filters.")).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Pages" })).toContainText("1–25 of 27");

  await page.getByRole("checkbox", { name: "Select all on this page" }).check();
  await expect(page.getByRole("region", { name: "Bulk actions" })).toContainText("25 selected items");
  await page.getByRole("button", { name: "Select all 27 matching" }).click();
  await expect(page.getByRole("region", { name: "Bulk actions" })).toContainText("All 27 matching items");
  await page.getByRole("button", { name: "Discard", exact: true }).click();
  await page.getByRole("region", { name: "Bulk actions" }).getByLabel("Reason").fill("load test bookings");
  await page.getByRole("button", { name: "Confirm: discard 27" }).click();

  const results = page.getByRole("region", { name: "Bulk results" });
  await expect(results.getByRole("status")).toHaveText("27 discarded (of 27).");
  await expect(results.getByRole("link", { name: `Bulk Person 3 · p3.${tag}@x.example` })).toBeVisible();
  const [counts] =
    await sql`select count(*) filter (where f.status = 'discarded')::int as discarded, count(*)::int as total
    from public.webhook_failures f join public.webhook_events e on e.id = f.webhook_event_id where e.attendee_email like ${`%.${tag}@x.example`}`;
  expect(counts).toEqual({ discarded: 27, total: 27 });

  await page.goto(`/admin?q=${tag}&status=discarded`);
  await page.getByRole("link", { name: "Next →" }).click();
  await expect(page.getByRole("navigation", { name: "Pages" })).toContainText("26–27 of 27");
});

test("bulk retry says how many matched and how many still have no lead, by name", async ({
  page,
  request,
}) => {
  const tag = `retry${randomUUID().slice(0, 8)}`;
  await sendUnmatchedBooking(request, { name: "Retry Nobody", email: `nobody.${tag}@x.example` });
  await signIn(page, "staff", `/admin?q=${tag}`);
  await page.getByRole("checkbox", { name: "Select all on this page" }).check();
  await page.getByRole("button", { name: "Retry matching" }).click();
  await page.getByRole("button", { name: "Confirm: retry 1" }).click();
  const results = page.getByRole("region", { name: "Bulk results" });
  await expect(results.getByRole("status")).toHaveText("0 matched, 1 still without a lead (of 1).");
  await expect(results).toContainText(`Retry Nobody · nobody.${tag}@x.example: No automatic match`);
});

test("new items appear in the open queue without a reload", async ({ page, request }) => {
  const tag = `live${randomUUID().slice(0, 8)}`;
  await signIn(page, "staff", `/admin?q=${tag}`);
  await expect(page.getByText("Live: new items appear here")).toBeVisible();
  await expect(page.getByText("Nothing here. No failure matches these filters.")).toBeVisible();
  await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));

  await sendUnmatchedBooking(request, { name: "Live Arrival", email: `arrival.${tag}@x.example` });
  await expect(page.getByRole("link", { name: `Live Arrival · arrival.${tag}@x.example` })).toBeVisible({
    timeout: 10_000,
  });
  await expect(page.getByText("1 item matches these filters.")).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(
    true,
  );
});

test("an unverified delivery is listed and found by what it claims, marked as a claim; its payload folds", async ({
  page,
  request,
}) => {
  const tag = `claim${randomUUID().slice(0, 8)}`;
  const body = JSON.stringify(
    makeBookingCreated({
      uid: newBookingUid(),
      submissionToken: null,
      attendee: { name: "Mallory Claim", email: `m.${tag}@x.example` },
    }),
  );
  const response = await request.post("/api/webhooks/cal", {
    data: body,
    headers: { "content-type": "application/json", "x-cal-signature-256": "0".repeat(64) },
  });
  expect(response.status()).toBe(401);

  await signIn(page, "staff", `/admin?q=${tag}`);
  const row = page
    .getByRole("table", { name: "Failure queue" })
    .getByRole("row")
    .filter({ hasText: `m.${tag}@x.example` });
  await expect(row).toContainText("Mallory Claim");
  await expect(row).toContainText("claimed");
  await expect(row).toContainText("Booking created");
  await row.getByRole("link", { name: /Mallory Claim/ }).click();

  const payload = page.getByRole("group", { name: "raw payload" });
  await expect(payload.getByText('"triggerEvent"')).toBeVisible();
  const attendees = payload.locator("summary").filter({ hasText: '"attendees"' });
  await expect(attendees).toContainText("1 item");
  // Nested detail starts folded and opens on demand.
  await expect(payload.getByText(`"m.${tag}@x.example"`).first()).toBeHidden();
  await attendees.click();
  await attendees.locator("xpath=..").locator(".json-children > details > summary").first().click();
  await expect(payload.getByText(`"m.${tag}@x.example"`).first()).toBeVisible();
});

test("health figures and a lead's timeline open what they count or name", async ({ page, request }) => {
  const lead = await createLead(request, "Tim Line");
  const uid = await sendUnmatchedBooking(request, { name: lead.name, email: lead.email });
  const item = await failureOf(uid);
  await signIn(page, "staff", "/admin/health?days=7");
  await page.getByRole("link", { name: /still open/ }).click();
  await expect(page).toHaveURL(/\/admin\?from=\d{4}-\d{2}-\d{2}&status=open$/);
  await expect(page.getByRole("heading", { name: "Failure queue" })).toBeVisible();

  await page.goto(`/admin/failures/${item.id}?lead=${lead.id}`);
  await page.getByRole("button", { name: "Apply to this lead…" }).click();
  await page.getByRole("button", { name: "Confirm apply" }).click();
  await page.getByRole("link", { name: "Open the lead" }).click();
  const event = page.getByRole("listitem").filter({ hasText: "Event Booking created" });
  await expect(event.getByRole("link", { name: "Booking created" })).toHaveAttribute(
    "href",
    `/admin/failures/${item.id}`,
  );
  await page.getByRole("link", { name: "caused by this event" }).click();
  await expect(page).toHaveURL(/#event-/);
  await expect(
    page
      .getByRole("listitem")
      .filter({ hasText: "Applied to a lead" })
      .getByRole("link", { name: "its queue item" }),
  ).toHaveAttribute("href", `/admin/failures/${item.id}`);
});
