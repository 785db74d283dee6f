import { mkdirSync } from "node:fs";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { type APIRequestContext, type Page, expect, test } from "@playwright/test";
import { makeBookingCreated } from "../lib/cal/payload-factories";
import { signCalBody } from "../lib/cal/signature";
import { createLead, sendUnmatchedBooking, signIn } from "./admin-support";
import { E2E_WEBHOOK_SECRET } from "./settings";
import { e2eDatabase, recordCspViolations } from "./support";

/** Where the walk leaves a full-page screenshot of every page at each width and colour scheme. */
export const SCREENSHOT_DIR = path.join(process.cwd(), "test-results", "console-screens");

const sql = e2eDatabase();
test.afterAll(() => sql.end());

const WIDTHS = [
  { name: "desktop", width: 1366, height: 900 },
  { name: "phone", width: 390, height: 844 },
] as const;
const SCHEMES = ["light", "dark"] as const;

/**
 * The queue item holding the delivery whose body names this booking uid (unverified bodies are not read into
 * columns).
 */
async function failureIdForUid(uid: string): Promise<string> {
  const [row] = await sql`select f.id from public.webhook_failures f
    join public.webhook_events e on e.id = f.webhook_event_id where position(${uid} in e.raw_body) > 0`;
  return row.id as string;
}

/** A delivery signed with a secret we do not hold: kept, unverified, for staff to look at. */
async function sendUnverifiedBooking(request: APIRequestContext, attendee: { name: string; email: string }) {
  const body = JSON.stringify(makeBookingCreated({ submissionToken: null, attendee }));
  const response = await request.post("/api/webhooks/cal", {
    data: body,
    headers: {
      "content-type": "application/json",
      "x-cal-signature-256": signCalBody(body, "whsec_someone_else_entirely_0001"),
    },
  });
  expect(response.status()).toBe(401);
  return (JSON.parse(body) as { payload: { uid: string } }).payload.uid;
}

/**
 * Every console page with something on it: a lead with a booking, an unmatched and an unverified item with a
 * preview.
 */
async function consolePages(request: APIRequestContext) {
  const lead = await createLead(request, "Layla Longname-Wrapworthy");
  const booking = JSON.stringify(
    makeBookingCreated({ submissionToken: lead.token, attendee: { name: lead.name, email: lead.email } }),
  );
  const booked = await request.post("/api/webhooks/cal", {
    data: booking,
    headers: {
      "content-type": "application/json",
      "x-cal-signature-256": signCalBody(booking, E2E_WEBHOOK_SECRET),
    },
  });
  expect(await booked.json()).toEqual({ status: "applied" });
  const other = await createLead(request, "Umar Unmatched");
  const unmatched = await failureIdForUid(
    await sendUnmatchedBooking(request, { name: other.name, email: other.email }),
  );
  const unverified = await failureIdForUid(
    await sendUnverifiedBooking(request, { name: other.name, email: other.email }),
  );
  return [
    ["queue", "/admin"],
    ["queue-filtered", "/admin?status=open&reason=unmatched"],
    ["failure-unmatched", `/admin/failures/${unmatched}?lead=${other.id}`],
    ["failure-unverified", `/admin/failures/${unverified}?lead=${other.id}`],
    ["leads", "/admin/leads"],
    ["lead", `/admin/leads/${lead.id}`],
    ["audit", "/admin/audit"],
    ["health", "/admin/health?days=30"],
    ["not-found", "/admin/no-such-page"],
  ] as const;
}

/** Source text that reached the reader: a JSX tag or a `${…}` left inside a template string (#30). */
function templateText(text: string, label: string): string[] {
  const found = /\$<[A-Za-z]|\$\{|<[A-Z][A-Za-z]* [a-z][A-Za-z]*=\{/.exec(text);
  return found ? [`${label}: template text on the page: "${text.slice(found.index, found.index + 60)}"`] : [];
}

async function layoutProblems(page: Page, label: string): Promise<string[]> {
  return page.evaluate((label) => {
    const problems: string[] = [];
    // The innermost elements sticking out past `right`: what to fix, named so a failure says where to look.
    const clipped = (element: Element) => {
      for (let up = element.parentElement; up && up !== document.body; up = up.parentElement) {
        if (getComputedStyle(up).overflowX !== "visible") return true;
      }
      return false;
    };
    const culprits = (within: Element, right: number) =>
      [...within.querySelectorAll("*")]
        .filter((element) => element.getBoundingClientRect().right > right + 1 && !clipped(element))
        .filter(
          (element) =>
            ![...element.children].some((child) => child.getBoundingClientRect().right > right + 1),
        )
        .slice(0, 3)
        .map(
          (element) =>
            `<${element.tagName.toLowerCase()} class="${element.className}">${(element.textContent ?? "").slice(0, 40)}`,
        )
        .join(" | ");
    const root = document.documentElement;
    if (root.scrollWidth > window.innerWidth) {
      problems.push(
        `${label}: the page is ${root.scrollWidth} px wide in a ${window.innerWidth} px window: ${culprits(document.body, window.innerWidth)}`,
      );
    }
    // A card whose content spills past its edge, even where the page itself has room.
    for (const card of document.querySelectorAll<HTMLElement>(".panel, .bulk-bar, .stats li")) {
      if (card.scrollWidth > card.clientWidth + 1) {
        const heading = card.querySelector("h2, h3")?.textContent ?? card.className;
        const edge = card.getBoundingClientRect().left + card.clientWidth;
        problems.push(
          `${label}: "${heading}" content is ${card.scrollWidth} px in a ${card.clientWidth} px card: ${culprits(card, edge)}`,
        );
      }
    }
    // A table that only scrolls sideways on a phone hides its columns: there it must be cards.
    if (window.innerWidth < 640) {
      for (const scroller of document.querySelectorAll<HTMLElement>(".table-scroll")) {
        if (scroller.scrollWidth > scroller.clientWidth + 1)
          problems.push(
            `${label}: a table scrolls sideways (${scroller.scrollWidth} px in ${scroller.clientWidth} px)`,
          );
      }
    }
    return problems;
  }, label);
}

for (const scheme of SCHEMES) {
  test(`every console page at 1366 and 390 px in the ${scheme} scheme: no sideways scroll, nothing spilling, axe and CSP clean`, async ({
    browser,
    request,
  }) => {
    test.setTimeout(120_000);
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const pages = await consolePages(request);
    const problems: string[] = [];
    for (const size of WIDTHS) {
      const context = await browser.newContext({
        viewport: { width: size.width, height: size.height },
        colorScheme: scheme,
      });
      const page = await context.newPage();
      const cspViolations = await recordCspViolations(page);
      const look = async (name: string) => {
        const label = `${name} at ${size.width} px, ${scheme}`;
        problems.push(...(await layoutProblems(page, label)));
        problems.push(...templateText(await page.locator("body").innerText(), label));
        const axe = await new AxeBuilder({ page }).analyze();
        for (const violation of axe.violations.filter(
          (v) => v.impact === "serious" || v.impact === "critical",
        )) {
          problems.push(
            `${label}: axe ${violation.id} (${violation.nodes.map((node) => node.target.join(" ")).join(", ")})`,
          );
        }
        for (const violation of await cspViolations())
          problems.push(`${label}: CSP ${violation.directive} blocked ${violation.blocked}`);
        await page.screenshot({
          path: path.join(SCREENSHOT_DIR, `${name}-${size.name}-${scheme}.png`),
          fullPage: true,
        });
      };
      await page.goto("/admin/sign-in");
      await look("sign-in");
      await signIn(page, "manager");
      for (const [name, href] of pages) {
        await page.goto(href);
        await look(name);
      }
      await context.close();
    }
    expect(problems).toEqual([]);
  });
}

test("on a phone the queue leads with the search, keeps the other filters one tap away, and shows each item whole", async ({
  browser,
  request,
}) => {
  const lead = await createLead(request, "Pia Phone");
  await sendUnmatchedBooking(request, { name: lead.name, email: lead.email });
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await signIn(page, "staff");
  await expect(page.getByLabel("Search")).toBeVisible();
  await expect(page.getByLabel("Trigger")).toBeHidden();
  await page.getByText("More filters").click();
  await page.getByLabel("Trigger").selectOption("BOOKING_CREATED");
  await page.getByLabel("Search").fill(lead.email);
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page.getByText("More filters · 1 set")).toBeVisible();
  await expect(page.getByLabel("Trigger")).toBeVisible();
  const item = page.getByRole("table", { name: "Failure queue" }).locator("tbody tr").first();
  for (const cell of [
    "Received",
    "Reason",
    "Trigger",
    "Attendee",
    "Booking uid",
    "Event time",
    "Deliveries",
    "Status",
  ]) {
    await expect(item.locator(`td[data-label="${cell}"]`)).toBeVisible();
  }
  await expect(item).toContainText(lead.email);
  await context.close();
});

test("a console address with nothing behind it answers 404 inside the console, with its navigation and name", async ({
  page,
}) => {
  await signIn(page, "staff");
  for (const href of ["/admin/no-such-page", "/admin/failures/00000000-0000-4000-8000-000000000000"]) {
    const response = await page.goto(href);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Nothing here" })).toBeVisible();
    await expect(
      page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Leads" }),
    ).toBeVisible();
    await expect(page.getByRole("link", { name: "Booking Handoff" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Go to the booking form" })).toHaveCount(0);
  }
  const icon = await page.request.get("/icon.svg");
  expect(icon.status()).toBe(200);
  expect(await page.locator('link[rel="icon"]').getAttribute("href")).toMatch(/^\/icon\.svg/);
});

test("times read in the viewer's own time zone, with how long ago, and the exact UTC time on hover", async ({
  browser,
  request,
}) => {
  const lead = await createLead(request, "Tilda Timezone");
  await sendUnmatchedBooking(request, { name: lead.name, email: lead.email });
  const context = await browser.newContext({ timezoneId: "Asia/Kolkata", locale: "en-GB" });
  const page = await context.newPage();
  await signIn(page, "staff", `/admin?q=${encodeURIComponent(lead.email)}`);
  const received = page
    .getByRole("table", { name: "Failure queue" })
    .locator('td[data-label="Received"] time')
    .first();
  await expect(received).toHaveText(/^(just now|\d+ minutes? ago) · \d{1,2} \w{3} \d{4}, \d{2}:\d{2}$/);
  const utc = await received.getAttribute("title");
  expect(utc).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/);
  // Kolkata is UTC+05:30: the minutes shown differ from the UTC minutes by 30.
  const shownMinutes = Number((await received.innerText()).slice(-2));
  expect((shownMinutes - Number(utc!.slice(14, 16)) + 60) % 60).toBe(30);
  await context.close();
});
