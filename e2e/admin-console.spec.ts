import AxeBuilder from "@axe-core/playwright";
import { type Page, expect, test } from "@playwright/test";
import { createLead, sendUnmatchedBooking, signIn } from "./admin-support";
import { E2E_ACCOUNTS } from "./settings";
import { e2eDatabase, recordCspViolations } from "./support";

const sql = e2eDatabase();
test.afterAll(() => sql.end());

async function failureIdForUid(uid: string) {
  const [row] = await sql`select f.id, f.status from public.webhook_failures f
    join public.webhook_events e on e.id = f.webhook_event_id where e.booking_uid = ${uid}`;
  return row as { id: string; status: string };
}

test("signed-out visitors are sent to sign-in from every console page, and the export answers 401", async ({
  page,
  request,
}) => {
  const someId = "00000000-0000-4000-8000-000000000000";
  for (const path of [
    "/admin",
    "/admin/leads",
    `/admin/leads/${someId}`,
    `/admin/failures/${someId}`,
    "/admin/audit",
  ]) {
    await page.goto(path);
    await expect(page).toHaveURL(
      new RegExp(`/admin/sign-in\\?next=${encodeURIComponent(path).replaceAll("/", "\\/")}`),
    );
    await expect(page.getByRole("heading", { name: "Sign in to the console" })).toBeVisible();
  }
  expect((await request.get("/admin/audit/export?format=csv")).status()).toBe(401);
});

test("a wrong password fails, and repeated failures lock the account even for the right password", async ({
  page,
}) => {
  const account = E2E_ACCOUNTS.lockout;
  const attempt = async (password: string) => {
    await page.getByLabel("Email").fill(account.email);
    await page.getByLabel("Password").fill(password);
    await Promise.all([
      page.waitForResponse(
        (response) => response.request().method() === "POST" && response.url().includes("/admin/sign-in"),
      ),
      page.getByRole("button", { name: "Sign in" }).click(),
    ]);
  };
  await page.goto("/admin/sign-in");
  for (let n = 1; n <= 5; n++) {
    await attempt(`not the password ${n}`);
    await expect(page.getByRole("main").getByRole("alert")).toHaveText(
      "That email and password do not match an active account.",
    );
  }
  await attempt(account.password);
  await expect(page.getByRole("main").getByRole("alert")).toHaveText(/Too many failed attempts/);
  await expect(page).toHaveURL(/\/admin\/sign-in/);
});

test("staff resolve an unmatched booking with the diff preview, and the lead's stage moves", async ({
  page,
  request,
}) => {
  const lead = await createLead(request, "Nora Quist");
  const uid = await sendUnmatchedBooking(request, { name: lead.name, email: lead.email });
  await signIn(page, "staff");

  await page.getByLabel("Search").fill(lead.email);
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/q=/);
  await page.getByRole("link", { name: new RegExp(lead.email) }).click();

  await expect(page.getByRole("heading", { name: /Booking created · unmatched/ })).toBeVisible();
  await expect(page.getByText("verified with an active webhook secret")).toBeVisible();
  const suggestion = page
    .getByRole("list", { name: "Suggested leads" })
    .getByRole("listitem")
    .filter({ hasText: lead.email });
  await expect(suggestion).toContainText("same email as the attendee");
  await suggestion.getByRole("link").click();

  const diff = page.getByRole("table").filter({ has: page.getByText("What Booking created changes") });
  await expect(diff.getByRole("row", { name: /^Stage/ })).toHaveText("StageNewCall booked");
  await expect(diff.getByRole("row", { name: /^Booking uid/ })).toContainText(uid);
  await expect(diff.getByRole("row", { name: new RegExp(`^Booking ${uid}`) })).toContainText("accepted");
  await page.getByRole("button", { name: "Apply to this lead…" }).click();
  await page.getByRole("button", { name: "Confirm apply" }).click();
  await expect(page.getByRole("status").getByText(/Applied to the lead: \d+ changes\./)).toBeVisible();
  await expect(page.getByRole("heading", { name: "Decision", exact: true })).toBeVisible();

  const [row] = await sql`select stage, cal_booking_uid from public.leads where id = ${lead.id}`;
  expect(row).toEqual({ stage: "call_booked", cal_booking_uid: uid });
  expect((await failureIdForUid(uid)).status).toBe("resolved");
  // What arrived queued now says what became of it, here and on the lead.
  await expect(page.getByRole("cell", { name: "queued, then applied by staff" })).toBeVisible();
  await page.getByRole("link", { name: "Open the lead" }).click();
  await expect(page.getByText("Stage call booked")).toBeVisible();
  await expect(page.getByRole("listitem").filter({ hasText: "Event Booking created" })).toContainText(
    "queued, then applied by staff, 1 delivery",
  );
  await expect(page.getByRole("listitem").filter({ hasText: "Applied to a lead" })).toContainText(
    E2E_ACCOUNTS.staff.email,
  );
});

test("discarding needs a reason; with one, the item leaves the queue", async ({ page, request }) => {
  const uid = await sendUnmatchedBooking(request, { name: "Spam Bot", email: "spam@bots.example" });
  const failure = await failureIdForUid(uid);
  await signIn(page, "staff", `/admin/failures/${failure.id}`);
  await page.getByRole("button", { name: "Discard", exact: true }).click();
  await expect(page.getByText("A reason is required to discard.")).toBeVisible();
  await expect(page.getByLabel("Why discard it?")).toHaveAttribute("aria-invalid", "true");
  expect((await failureIdForUid(uid)).status).toBe("open");

  await page.getByLabel("Why discard it?").fill("test booking by our own team");
  await page.getByRole("button", { name: "Discard", exact: true }).click();
  await expect(page.getByRole("status").getByText("Discarded.")).toBeVisible();
  expect((await failureIdForUid(uid)).status).toBe("discarded");
  await page.goto(`/admin?status=discarded&q=${encodeURIComponent("spam@bots.example")}`);
  await expect(
    page.getByRole("table", { name: "Failure queue" }).locator('td[data-label="Status"]').first(),
  ).toHaveText("discarded");
  const [audit] =
    await sql`select action, reason, actor_email from public.audit_log where failure_id = ${failure.id}`;
  expect(audit).toEqual({
    action: "failure.discarded",
    reason: "test booking by our own team",
    actor_email: E2E_ACCOUNTS.staff.email,
  });
});

test("a lead changed in another browser between preview and apply gets the conflict and the new diff, not an overwrite", async ({
  browser,
  request,
}) => {
  const lead = await createLead(request, "Otto Race");
  const bobsUid = await sendUnmatchedBooking(request, { name: lead.name, email: lead.email });
  const alicesUid = await sendUnmatchedBooking(request, { name: lead.name, email: lead.email });
  const [alicesItem, bobsItem] = [await failureIdForUid(alicesUid), await failureIdForUid(bobsUid)];
  const diff = (page: Page) =>
    page.getByRole("table").filter({ has: page.getByText("What Booking created changes") });
  const uidRow = (page: Page) => diff(page).getByRole("row", { name: /^Booking uid/ });

  const alice = await browser.newPage();
  const bob = await browser.newPage();
  await signIn(alice, "staff", `/admin/failures/${alicesItem.id}?lead=${lead.id}`);
  await expect(uidRow(alice)).toHaveText(`Booking uid—${alicesUid}`);
  await alice.getByRole("button", { name: "Apply to this lead…" }).click();

  await signIn(bob, "otherStaff", `/admin/failures/${bobsItem.id}?lead=${lead.id}`);
  await bob.getByRole("button", { name: "Apply to this lead…" }).click();
  await bob.getByRole("button", { name: "Confirm apply" }).click();
  await expect(bob.getByRole("heading", { name: "Decision", exact: true })).toBeVisible();
  const [afterBob] = await sql`select cal_booking_uid, version from public.leads where id = ${lead.id}`;
  expect(afterBob.cal_booking_uid).toBe(bobsUid);

  await alice.getByRole("button", { name: "Confirm apply" }).click();
  await expect(alice.getByRole("main").getByRole("alert")).toHaveText(/The lead changed since your preview/);
  // The redrawn preview starts from the lead as Bob left it: Bob's booking is there already, Alice's is
  // added.
  await expect(diff(alice).getByRole("row", { name: /^Stage/ })).toHaveCount(0);
  await expect(diff(alice).getByRole("row", { name: new RegExp(`^Booking ${alicesUid}`) })).toContainText(
    "accepted",
  );
  const [afterAlice] = await sql`select cal_booking_uid, version from public.leads where id = ${lead.id}`;
  expect(afterAlice).toEqual(afterBob);
  expect((await failureIdForUid(alicesUid)).status).toBe("open");
  await alice.close();
  await bob.close();
});

test("staff get 403 on the audit trail and its export; managers read it, see the chain intact and export it", async ({
  page,
  browser,
}) => {
  await signIn(page, "staff");
  const forbidden = await page.goto("/admin/audit");
  expect(forbidden?.status()).toBe(403);
  await expect(page.getByRole("heading", { name: "You do not have access to this page" })).toBeVisible();
  expect((await page.request.get("/admin/audit/export?format=csv")).status()).toBe(403);
  await expect(page.getByRole("link", { name: "Audit trail" })).toHaveCount(0);

  const manager = await browser.newPage();
  await signIn(manager, "manager", "/admin/audit");
  await expect(
    manager.getByText(/Chain intact\. Verified now: #\d+–#\d+ \(\d+ entries\), up to the head #\d+\./),
  ).toBeVisible();
  await manager.getByRole("button", { name: "Check the whole chain" }).click();
  await expect(
    manager.getByRole("status").getByText(/Whole chain intact: \d+ entries verified/),
  ).toBeVisible();
  await expect(
    manager.getByText(/Entries up to #\d+ were verified in full at .* by mia.manager@team.example/),
  ).toBeVisible();
  await manager.getByLabel("Action").selectOption("failure.discarded");
  await manager.getByRole("button", { name: "Apply filters" }).click();
  await expect(manager).toHaveURL(/action=failure.discarded/);
  await expect(manager.getByRole("table", { name: "Audit entries" }).getByRole("row")).not.toHaveCount(1);

  const downloading = manager.waitForEvent("download");
  await manager.getByRole("link", { name: "CSV" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^audit-trail-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = await (await download.createReadStream()).toArray();
  const text = Buffer.concat(csv).toString("utf8");
  expect(text.split("\r\n")[0]).toMatch(/^"id","seal_seq","occurred_at","actor_type"/);
  expect(text).toContain("failure.discarded");
  expect(text).not.toContain("lead.updated_by_webhook");

  const [exported] =
    await sql`select actor_email, after from public.audit_log where action = 'audit.exported' order by id desc limit 1`;
  expect(exported).toEqual({
    actor_email: E2E_ACCOUNTS.manager.email,
    after: { format: "csv", filter: { action: "failure.discarded" } },
  });
  await manager.close();
});

test("server actions refuse signed-out and cross-origin calls, writing nothing", async ({
  page,
  playwright,
  baseURL,
}) => {
  const uid = await sendUnmatchedBooking(page.request, {
    name: "Action Probe",
    email: "probe@client.example",
  });
  const failure = await failureIdForUid(uid);
  await signIn(page, "staff", `/admin/failures/${failure.id}`);

  // Capture the browser's real discard call, and stop it before it reaches the server.
  let captured: { headers: Record<string, string>; body: string } | undefined;
  await page.route(`**/admin/failures/${failure.id}`, async (route) => {
    const headers = route.request().headers();
    if (route.request().method() === "POST" && headers["next-action"]) {
      captured = { headers, body: route.request().postData() ?? "" };
      await route.abort();
      return;
    }
    await route.continue();
  });
  await page.getByLabel("Why discard it?").fill("probe");
  await page.getByRole("button", { name: "Discard", exact: true }).click();
  await expect.poll(() => captured).toBeDefined();
  const { cookie, ...withoutCookie } = captured!.headers;
  expect(cookie).toContain("bh_session");

  const outsider = await playwright.request.newContext({ baseURL });
  const signedOut = await outsider.post(`/admin/failures/${failure.id}`, {
    headers: withoutCookie,
    data: captured!.body,
  });
  expect(await signedOut.text()).toContain("Your session has ended");
  const crossOrigin = await outsider.post(`/admin/failures/${failure.id}`, {
    headers: { ...captured!.headers, origin: "https://evil.example" },
    data: captured!.body,
  });
  expect(crossOrigin.ok()).toBe(false);
  await outsider.dispose();

  const [row] = await sql`select status from public.webhook_failures where id = ${failure.id}`;
  expect(row.status).toBe("open");
  expect(await sql`select 1 from public.audit_log where failure_id = ${failure.id}`).toHaveLength(0);
});

test("the console's pages have no serious or critical accessibility violations and no CSP violations", async ({
  page,
  request,
}) => {
  const lead = await createLead(request, "Ada Axe");
  const uid = await sendUnmatchedBooking(request, { name: lead.name, email: lead.email });
  const failure = await failureIdForUid(uid);
  const cspViolations = await recordCspViolations(page);
  await page.goto("/admin/sign-in");
  const pages = [
    "/admin",
    `/admin/failures/${failure.id}?lead=${lead.id}`,
    "/admin/leads",
    `/admin/leads/${lead.id}`,
    "/admin/audit",
    "/admin/health?days=30",
  ];
  const problems: string[] = [];
  const check = async (label: string) => {
    const results = await new AxeBuilder({ page }).analyze();
    for (const violation of results.violations.filter(
      (v) => v.impact === "serious" || v.impact === "critical",
    )) {
      problems.push(`${label}: ${violation.id} (${violation.nodes.length})`);
    }
    for (const violation of await cspViolations())
      problems.push(`${label}: CSP ${violation.directive} blocked ${violation.blocked}`);
  };
  await check("/admin/sign-in");
  await signIn(page, "manager");
  for (const path of pages) {
    await page.goto(path);
    await check(path);
  }
  expect(problems).toEqual([]);
});

test("the queue keeps its filters, sort and page in the URL (back undoes them) and works from the keyboard", async ({
  page,
}) => {
  const tag = `kbd${Date.now()}`;
  await sql`
    with events as (
      insert into public.webhook_events (idempotency_key, outcome, verification, body_sha256, raw_body, trigger_event, booking_uid,
        attendee_email, attendee_name, received_at)
      select ${tag} || ':' || n, 'queued', 'verified', md5(${tag} || n), '{}', 'BOOKING_CANCELLED', ${tag} || '_' || n,
        ${tag} || n || '@client.example', 'Keyboard ' || n, now() - n * interval '1 minute'
      from generate_series(1, 30) as n
      returning id, received_at
    )
    insert into public.webhook_failures (webhook_event_id, reason, created_at) select id, 'unmatched', received_at from events`;
  await signIn(page, "staff");

  await page.getByLabel("Search").fill(tag);
  await page.getByLabel("Trigger").selectOption("BOOKING_CANCELLED");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(new RegExp(`q=${tag}.*|trigger=BOOKING_CANCELLED.*q=${tag}`));
  await expect(page.getByText("30 items match these filters")).toBeVisible();
  const rows = page.getByRole("table", { name: "Failure queue" }).locator("tbody tr");
  await expect(rows).toHaveCount(25);
  await expect(rows.first()).toContainText(`${tag}1@client.example`);

  await page.getByRole("link", { name: "Next →" }).click();
  await expect(rows).toHaveCount(5);
  await expect(rows.last()).toContainText(`${tag}30@client.example`);
  await page.getByRole("link", { name: "← Previous" }).click();
  await expect(rows).toHaveCount(25);
  await expect(rows.first()).toContainText(`${tag}1@client.example`);

  await page.getByRole("button", { name: /Received/ }).click();
  await expect(page).toHaveURL(/dir=asc/);
  await expect(rows.first()).toContainText(`${tag}30@client.example`);
  await page.goBack();
  await expect(page).not.toHaveURL(/dir=asc/);
  await expect(rows.first()).toContainText(`${tag}1@client.example`);

  // Somewhere that is not a field, so the keys are the queue's.
  await page.getByRole("heading", { name: "Failure queue" }).click();
  await page.keyboard.press("j");
  await page.keyboard.press("j");
  await expect(rows.nth(1)).toBeFocused();
  await page.keyboard.press("k");
  await expect(rows.nth(0)).toBeFocused();
  await page.keyboard.press("x");
  await expect(page.getByRole("region", { name: "Bulk actions" })).toContainText("1 selected item");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/admin\/failures\//);
  await expect(page.getByText(`${tag}1@client.example`).first()).toBeVisible();
});

test("the health page shows the period's outcomes, the open queue and the daily flow", async ({
  page,
  request,
}) => {
  await sendUnmatchedBooking(request, { name: "Health Check", email: "health@client.example" });
  await signIn(page, "staff", "/admin/health");
  await expect(page.getByRole("heading", { name: "Handoff health" })).toBeVisible();
  await expect(page.getByText(/The last 7 days, .* UTC/)).toBeVisible();
  const [open] = await sql`select count(*)::int as n from public.webhook_failures where status = 'open'`;
  const openNow = page.getByRole("list", { name: "Open items" });
  const counts = await openNow
    .getByRole("listitem")
    .filter({ hasText: /^\d+ open/ })
    .allInnerTexts();
  expect(counts.reduce((sum, text) => sum + Number.parseInt(text, 10), 0)).toBe(open.n);
  await expect(page.getByRole("img", { name: /Events per day \(UTC\) by outcome/ })).toBeVisible();
  await page.getByRole("link", { name: "30 days" }).click();
  await expect(page).toHaveURL(/days=30/);
  await expect(page.getByText(/The last 30 days/)).toBeVisible();
});
