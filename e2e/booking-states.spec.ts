import AxeBuilder from "@axe-core/playwright";
import { type APIRequestContext, type Page, expect, test } from "@playwright/test";
import { makeBookingCancelled, makeBookingCreated, newBookingUid } from "../lib/cal/payload-factories";
import { signCalBody } from "../lib/cal/signature";
import { issueSubmissionToken } from "../lib/leads/submission-token";
import { E2E_ENV, E2E_WEBHOOK_SECRET } from "./settings";
import { e2eDatabase, fakeCalDotCom, recordCspViolations } from "./support";

const sql = e2eDatabase();
test.afterAll(() => sql.end());

let leadNumber = 0;
const START = "2027-03-05T15:00:00.000Z";

async function createLead(
  request: APIRequestContext,
  email = `booker${Date.now()}${++leadNumber}@client.example`,
) {
  const response = await request.post("/api/leads", { data: { name: "Priya Shah", email } });
  expect(response.status()).toBe(201);
  return { email, ...((await response.json()) as { id: string; submissionId: string; bookingUrl: string }) };
}

async function deliver(request: APIRequestContext, body: object) {
  const text = JSON.stringify(body);
  const response = await request.post("/api/webhooks/cal", {
    data: text,
    headers: {
      "content-type": "application/json",
      "x-cal-signature-256": signCalBody(text, E2E_WEBHOOK_SECRET),
    },
  });
  expect(response.status()).toBe(200);
}

async function bookedLead(request: APIRequestContext) {
  const lead = await createLead(request);
  const uid = newBookingUid();
  await deliver(
    request,
    makeBookingCreated({
      uid,
      submissionToken: lead.submissionId,
      startTime: START,
      title: "Intro call with Dana",
    }),
  );
  return { ...lead, uid };
}

async function seriousAxeViolations(page: Page) {
  const { violations } = await new AxeBuilder({ page }).exclude("iframe").analyze();
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.help}`);
}

test("with a live booking, /book shows it in the lead's own time zone with Cal.com's links, and no scheduler", async ({
  page,
  request,
}) => {
  await fakeCalDotCom(page);
  const violations = await recordCspViolations(page);
  const lead = await bookedLead(request);
  await page.goto(lead.bookingUrl);

  await expect(page.getByRole("heading", { level: 1 })).toHaveText("You're booked, Priya Shah");
  const call = page.getByRole("article", { name: "Intro call with Dana" });
  // 15:00 UTC is 10:00 in New York, where the attendee booked from.
  await expect(call).toContainText("Friday, 5 March 2027, 10:00–10:30 (America/New York)");
  await expect(call.getByRole("link", { name: `https://app.cal.com/video/${lead.uid}` })).toBeVisible();
  await expect(call.getByRole("link", { name: "Reschedule on Cal.com" })).toHaveAttribute(
    "href",
    `https://app.cal.com/reschedule/${lead.uid}`,
  );
  await expect(call.getByRole("link", { name: "Cancel on Cal.com" })).toHaveAttribute(
    "href",
    `https://app.cal.com/booking/${lead.uid}?cancel=true`,
  );
  await expect(page.locator("iframe")).toHaveCount(0);
  expect(await violations()).toEqual([]);
  expect(await seriousAxeViolations(page)).toEqual([]);

  // Only when the lead asks for another call does the scheduler appear.
  await page.getByRole("link", { name: "Book another call" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Book another call, Priya Shah");
  await expect(page.locator("iframe")).toHaveCount(1);
  expect(await violations()).toEqual([]);
});

test("after a cancellation /book says so and offers a new time", async ({ page, request }) => {
  await fakeCalDotCom(page);
  const violations = await recordCspViolations(page);
  const lead = await bookedLead(request);
  await deliver(request, makeBookingCancelled({ uid: lead.uid, startTime: START }));
  await page.goto(lead.bookingUrl);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Pick a time, Priya Shah");
  await expect(
    page.getByText(
      "Your call on Friday, 5 March 2027, 10:00–10:30 (America/New York) was cancelled. Pick a new time below.",
    ),
  ).toBeVisible();
  await expect(page.locator("iframe")).toHaveCount(1);
  expect(await violations()).toEqual([]);
  expect(await seriousAxeViolations(page)).toEqual([]);
});

test("an expired link gets a clear page and the way back to the form, and no scheduler", async ({
  page,
  request,
}) => {
  const calRequests = await fakeCalDotCom(page);
  const violations = await recordCspViolations(page);
  const lead = await createLead(request);
  const [row] = await sql<
    { submission_id: string }[]
  >`select submission_id from public.leads where id = ${lead.id}`;
  const keys = { secrets: [E2E_ENV.SUBMISSION_TOKEN_SECRET], ttlDays: 30 };
  const expired = issueSubmissionToken(row.submission_id, keys, Date.now() - 31 * 86_400_000);
  await page.goto(`/book?submission=${encodeURIComponent(expired)}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("This link has expired");
  await expect(page.getByRole("link", { name: "Get a new booking link" })).toHaveAttribute("href", "/");
  await expect(page.locator("iframe")).toHaveCount(0);
  expect(calRequests).toEqual([]);
  expect(await violations()).toEqual([]);
  expect(await seriousAxeViolations(page)).toEqual([]);
});

test("when the embed never loads, the page says so and makes the direct Cal.com link the next step", async ({
  page,
  request,
}) => {
  const violations = await recordCspViolations(page);
  // A privacy blocker or a dead network: embed.js never answers.
  await page.route("https://app.cal.com/**", () => {});
  const lead = await createLead(request);
  await page.goto(lead.bookingUrl);
  const slow = page.getByRole("alert").filter({ hasText: "taking longer than usual" });
  await expect(slow).toBeVisible({ timeout: 10_000 });
  const direct = new URL(
    (await slow.getByRole("link", { name: "Book on Cal.com instead" }).getAttribute("href")) as string,
  );
  expect(direct.origin).toBe("https://app.cal.com");
  expect(direct.searchParams.get("metadata[submissionId]")).toBe(lead.submissionId);
  expect(await violations()).toEqual([]);
  expect(await seriousAxeViolations(page)).toEqual([]);
});

test("a second intake with someone's email gets a link of its own, which reveals nothing of their booking", async ({
  page,
  request,
}) => {
  await fakeCalDotCom(page);
  const first = await bookedLead(request);
  const second = await createLead(request, first.email);
  const [flag] = await sql<
    { duplicate_of: string | null }[]
  >`select duplicate_of from public.leads where id = ${second.id}`;
  expect(flag.duplicate_of).toBe(first.id);
  await page.goto(second.bookingUrl);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Pick a time, Priya Shah");
  await expect(page.getByText("Intro call with Dana")).toHaveCount(0);
  await expect(page.getByRole("link", { name: /Reschedule|Cancel/ })).toHaveCount(0);
});
