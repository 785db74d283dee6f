import { readFileSync } from "node:fs";
import path from "node:path";
import type { Page } from "@playwright/test";
import postgres from "postgres";
import { databaseUrl } from "../tests/support/postgres-template";
import { E2E_DATABASE } from "./settings";

const EMBED_JS = readFileSync(
  path.join(process.cwd(), "node_modules/@calcom/embed-core/dist/embed/embed.js"),
  "utf8",
);

/**
 * Stands in for Cal.com's servers (there is no internet here): the real embed.js from @calcom/embed-core, and
 * a stub page in place of the booking page inside the iframe. Returns every URL the page asked Cal.com for.
 */
export async function fakeCalDotCom(page: Page): Promise<string[]> {
  const requested: string[] = [];
  await page.route("https://app.cal.com/**", async (route) => {
    const url = route.request().url();
    requested.push(url);
    if (new URL(url).pathname === "/embed/embed.js") {
      await route.fulfill({ status: 200, contentType: "application/javascript", body: EMBED_JS });
      return;
    }
    await route.fulfill({
      status: 200,
      contentType: "text/html",
      body: "<!doctype html><title>Stub Cal.com booking page</title><h1>Stub booking page</h1>",
    });
  });
  await page.route("https://cal.com/**", (route) => {
    requested.push(route.request().url());
    return route.fulfill({ status: 404, body: "" });
  });
  return requested;
}

/** Starts recording `securitypolicyviolation` events before any page script runs. */
export async function recordCspViolations(
  page: Page,
): Promise<() => Promise<{ directive: string; blocked: string }[]>> {
  await page.addInitScript(() => {
    const seen: { directive: string; blocked: string }[] = [];
    (window as unknown as { __cspViolations: typeof seen }).__cspViolations = seen;
    document.addEventListener("securitypolicyviolation", (event) => {
      seen.push({ directive: event.effectiveDirective, blocked: event.blockedURI });
    });
  });
  return () =>
    page.evaluate(
      () =>
        (window as unknown as { __cspViolations: { directive: string; blocked: string }[] }).__cspViolations,
    );
}

export function e2eDatabase() {
  return postgres(databaseUrl(E2E_DATABASE), { max: 2, onnotice: () => {} });
}
