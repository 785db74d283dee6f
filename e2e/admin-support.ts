import { randomUUID } from "node:crypto";
import { type APIRequestContext, type Page, expect } from "@playwright/test";
import { makeBookingCreated, newBookingUid } from "../lib/cal/payload-factories";
import { signCalBody } from "../lib/cal/signature";
import { E2E_ACCOUNTS, E2E_WEBHOOK_SECRET } from "./settings";

export async function signIn(page: Page, who: keyof typeof E2E_ACCOUNTS, returnTo = "/admin") {
  const account = E2E_ACCOUNTS[who];
  await page.goto(`/admin/sign-in?next=${encodeURIComponent(returnTo)}`);
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
}

/** A lead from the public API; returns its id, token and email. */
export async function createLead(request: APIRequestContext, name: string) {
  const email = `${name.toLowerCase().replaceAll(" ", ".")}.${randomUUID().slice(0, 6)}@client.example`;
  const response = await request.post("/api/leads", {
    data: { name, email },
    headers: { "x-forwarded-for": `198.51.100.${Math.floor(Math.random() * 250)}` },
  });
  expect(response.status()).toBe(201);
  const lead = (await response.json()) as { id: string; submissionId: string };
  return { id: lead.id, token: lead.submissionId, email, name };
}

/** What Cal.com sends for a booking made outside our /book page: signed, but without our submission ID. */
export async function sendUnmatchedBooking(
  request: APIRequestContext,
  attendee: { name: string; email: string },
) {
  const uid = newBookingUid();
  const body = JSON.stringify(makeBookingCreated({ uid, submissionToken: null, attendee }));
  const response = await request.post("/api/webhooks/cal", {
    data: body,
    headers: {
      "content-type": "application/json",
      "x-cal-signature-256": signCalBody(body, E2E_WEBHOOK_SECRET),
    },
  });
  expect(await response.json()).toEqual({ status: "queued" });
  return uid;
}
