import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { makeBookingCreated } from "../lib/cal/payload-factories";
import { signCalBody } from "../lib/cal/signature";
import { E2E_CAL_LINK, E2E_WEBHOOK_SECRET } from "./settings";
import { e2eDatabase, fakeCalDotCom, recordCspViolations } from "./support";

const sql = e2eDatabase();
test.afterAll(() => sql.end());

let leadNumber = 0;
const uniqueEmail = () => `lead${Date.now()}${++leadNumber}@client.example`;

async function leadCount(email: string) {
  const [{ n }] = await sql<
    { n: number }[]
  >`select count(*)::int as n from public.leads where email = ${email}`;
  return n;
}

async function seriousAxeViolations(page: import("@playwright/test").Page) {
  const { violations } = await new AxeBuilder({ page }).exclude("iframe").analyze();
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.help}`);
}

test("the intake form creates a lead and lands on /book with the scheduler (Cal.com faked)", async ({
  page,
}) => {
  const calRequests = await fakeCalDotCom(page);
  const violations = await recordCspViolations(page);
  const email = uniqueEmail();

  await page.goto("/");
  expect(await seriousAxeViolations(page)).toEqual([]);
  await page.getByLabel("Name").fill("Priya Shah");
  await page.getByLabel("Work email").fill(email);
  await page.getByLabel("Company (optional)").fill("Client Co");
  await page.getByRole("button", { name: "Continue to booking" }).click();

  await expect(page).toHaveURL(/\/book\?submission=sub_/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Pick a time, Priya Shah");
  const token = new URL(page.url()).searchParams.get("submission") as string;

  const frame = page.locator("iframe");
  await expect(frame).toHaveCount(1);
  const src = new URL((await frame.getAttribute("src")) as string);
  expect(src.origin).toBe("https://app.cal.com");
  expect(src.pathname).toBe(`/${E2E_CAL_LINK}/embed`);
  expect(src.searchParams.get("metadata[submissionId]")).toBe(token);
  expect(src.searchParams.get("name")).toBe("Priya Shah");
  expect(src.searchParams.get("email")).toBe(email);
  expect(calRequests.some((url) => url.endsWith("/embed/embed.js"))).toBe(true);

  const fallback = new URL(
    (await page
      .getByRole("link", { name: "Open the booking page on Cal.com" })
      .getAttribute("href")) as string,
  );
  expect(fallback.searchParams.get("metadata[submissionId]")).toBe(token);

  // The embed keeps its frame hidden until Cal.com's page says it is ready; the stub never does.
  await expect(page.frameLocator("iframe").locator("h1")).toHaveText("Stub booking page");
  expect(await violations()).toEqual([]);
  expect(await seriousAxeViolations(page)).toEqual([]);
  expect(await leadCount(email)).toBe(1);
});

test("invalid input shows field errors next to the fields and creates nothing", async ({ page }) => {
  const violations = await recordCspViolations(page);
  await page.goto("/");
  await page.getByLabel("Work email").fill("not-an-email");
  await page.getByRole("button", { name: "Continue to booking" }).click();
  await expect(page.locator("#form-message")).toHaveText("Please correct the fields below.");
  await expect(page.getByLabel("Name")).toHaveAttribute("aria-invalid", "true");
  // The keyboard lands on the first field to fix, not on the page.
  await expect(page.getByLabel("Name")).toBeFocused();
  await page.getByLabel("Name").fill("Priya Shah");
  await page.getByRole("button", { name: "Continue to booking" }).click();
  await expect(page.getByLabel("Work email")).toBeFocused();
  await expect(page.getByLabel("Work email")).toHaveAttribute("aria-invalid", "true");
  await page.getByLabel("Name").fill("");
  await page.getByRole("button", { name: "Continue to booking" }).click();
  await expect(page.getByLabel("Name")).toBeFocused();
  await expect(page.getByText("Enter your name")).toBeVisible();
  await expect(page.getByText("Enter a valid email address")).toBeVisible();
  await expect(page.getByLabel("Work email")).toHaveValue("not-an-email");
  await expect(page).toHaveURL(/\/$/);
  expect(await leadCount("not-an-email")).toBe(0);
  expect(await violations()).toEqual([]);
  expect(await seriousAxeViolations(page)).toEqual([]);
});

test("a bot that fills the hidden honeypot field creates no lead", async ({ page }) => {
  const email = uniqueEmail();
  await page.goto("/");
  await page.getByLabel("Name").fill("Spam Bot");
  await page.getByLabel("Work email").fill(email);
  await page.locator("#website").fill("https://spam.example", { force: true });
  await page.getByRole("button", { name: "Continue to booking" }).click();
  await expect(page.locator("#form-message")).toHaveText("We could not accept this submission.");
  expect(await leadCount(email)).toBe(0);
});

test("the form works without JavaScript", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const email = uniqueEmail();
  await page.goto("/");
  await page.getByLabel("Name").fill("Leo Marquez");
  await page.getByLabel("Work email").fill(email);
  await page.getByRole("button", { name: "Continue to booking" }).click();
  await expect(page).toHaveURL(/\/book\?submission=sub_/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Pick a time, Leo Marquez");
  expect(await leadCount(email)).toBe(1);
  await context.close();
});

for (const [label, query] of [
  ["a missing token", ""],
  ["a malformed token", "?submission=hello"],
  ["a forged token", "?submission=sub_AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"],
] as const) {
  test(`${label} shows the recovery page and no scheduler`, async ({ page }) => {
    const calRequests = await fakeCalDotCom(page);
    await page.goto(`/book${query}`);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("This booking link doesn't work");
    await expect(page.getByRole("link", { name: "Back to the form" })).toHaveAttribute("href", "/");
    await expect(page.locator("iframe")).toHaveCount(0);
    expect(calRequests).toEqual([]);
    expect(await seriousAxeViolations(page)).toEqual([]);
  });
}

test("end to end: intake, /book, then a signed BOOKING_CREATED for the token books the lead", async ({
  page,
  request,
}) => {
  await fakeCalDotCom(page);
  const email = uniqueEmail();
  await page.goto("/");
  await page.getByLabel("Name").fill("Mia Chen");
  await page.getByLabel("Work email").fill(email);
  await page.getByRole("button", { name: "Continue to booking" }).click();
  await expect(page).toHaveURL(/\/book\?submission=/);
  const token = new URL(page.url()).searchParams.get("submission") as string;

  // What Cal.com sends once Mia picks a time in the (faked) iframe.
  const body = JSON.stringify(
    makeBookingCreated({
      submissionToken: token,
      startTime: "2026-12-03T10:00:00.000Z",
      endTime: "2026-12-03T10:30:00.000Z",
      attendee: { name: "Mia Chen", email },
    }),
  );
  const response = await request.post("/api/webhooks/cal", {
    data: body,
    headers: {
      "content-type": "application/json",
      "x-cal-signature-256": signCalBody(body, E2E_WEBHOOK_SECRET),
    },
  });
  expect(await response.json()).toEqual({ status: "applied" });
  const [lead] = await sql`select stage, booking_start, booking_end from public.leads where email = ${email}`;
  expect(lead).toEqual({
    stage: "call_booked",
    booking_start: new Date("2026-12-03T10:00:00Z"),
    booking_end: new Date("2026-12-03T10:30:00Z"),
  });
});
