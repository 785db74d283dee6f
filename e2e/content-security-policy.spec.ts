import { expect, test } from "@playwright/test";
import { e2eDatabase, fakeCalDotCom, recordCspViolations } from "./support";

const sql = e2eDatabase();
test.afterAll(() => sql.end());

async function bookingUrl(request: import("@playwright/test").APIRequestContext) {
  const response = await request.post("/api/leads", {
    data: { name: "Dana Tester", email: `csp${Date.now()}@client.example` },
    headers: { "x-forwarded-for": `192.0.2.${Math.floor(Math.random() * 200) + 1}` },
  });
  expect(response.status()).toBe(201);
  return ((await response.json()) as { bookingUrl: string }).bookingUrl;
}

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(";").map((part) => {
      const [name, ...sources] = part.trim().split(/\s+/);
      return [name, sources];
    }),
  );
}

test("the CSP of every page but /book names no Cal.com origin and forbids framing", async ({ request }) => {
  for (const path of ["/", "/admin", "/admin/audit", "/book/../"]) {
    const response = await request.get(path, { maxRedirects: 0 });
    const policy = response.headers()["content-security-policy"];
    expect(policy, path).toBeTruthy();
    expect(policy).not.toContain("cal.com");
    const parsed = directives(policy);
    expect(parsed.get("frame-ancestors")).toEqual(["'none'"]);
    expect(parsed.get("object-src")).toEqual(["'none'"]);
    expect(parsed.get("style-src")).not.toContain("'unsafe-inline'");
  }
});

test("pages without the embed run with zero CSP violations", async ({ page }) => {
  const violations = await recordCspViolations(page);
  for (const path of ["/", "/admin", "/book"]) {
    await page.goto(path);
    expect(await violations(), path).toEqual([]);
  }
});

test("/book allows exactly the configured Cal.com origin, and every script tag carries the header's nonce", async ({
  request,
}) => {
  const response = await request.get(await bookingUrl(request));
  const policy = directives(response.headers()["content-security-policy"]);
  expect(policy.get("frame-src")).toEqual(["https://app.cal.com"]);
  expect(policy.get("script-src")).toEqual(
    expect.arrayContaining(["'self'", "'strict-dynamic'", "https://app.cal.com"]),
  );
  expect(policy.get("connect-src")).toEqual(["'self'"]);
  expect(policy.get("img-src")?.join(" ")).not.toContain("cal.com");
  const nonce = (policy.get("script-src") ?? []).find((s) => s.startsWith("'nonce-"))?.slice(7, -1);
  expect(nonce).toBeTruthy();

  const html = await response.text();
  const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
  expect(scripts.length).toBeGreaterThan(0);
  for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
  const second = await request.get(await bookingUrl(request));
  expect(second.headers()["content-security-policy"]).not.toContain(`'nonce-${nonce}'`);
});

test("injected markup cannot run inline script or frame another origin on /book", async ({
  page,
  request,
}) => {
  await fakeCalDotCom(page);
  const violations = await recordCspViolations(page);
  await page.goto(await bookingUrl(request));
  await expect(page.locator("iframe")).toHaveCount(1);

  // What an HTML injection would add. (Scripts created from the test's own evaluate() are trusted by the
  // browser's DevTools channel under 'strict-dynamic', so the injection goes through markup, as a real one
  // would.)
  await page.evaluate(() => {
    document.body.insertAdjacentHTML(
      "beforeend",
      '<img alt="" src="data:," onerror="window.__injected = true"><iframe title="x" src="https://evil.example/phish"></iframe>',
    );
  });
  await expect
    .poll(async () => (await violations()).map((v) => v.directive).sort())
    .toEqual(["frame-src", "script-src-attr"]);
  expect((await violations()).find((v) => v.directive === "frame-src")?.blocked).toBe("https://evil.example");
  expect(
    await page.evaluate(() => (window as unknown as { __injected?: boolean }).__injected),
  ).toBeUndefined();
});

test("violation reports are recorded by the report endpoint", async ({ request }) => {
  const marker = `https://blocked-${Date.now()}.example/x.js`;
  const legacy = await request.post("/api/csp-report", {
    data: JSON.stringify({
      "csp-report": {
        "document-uri": "http://127.0.0.1/book",
        "blocked-uri": marker,
        "effective-directive": "script-src-elem",
      },
    }),
    headers: { "content-type": "application/csp-report" },
  });
  expect(legacy.status()).toBe(204);
  const modern = await request.post("/api/csp-report", {
    data: JSON.stringify([
      {
        type: "csp-violation",
        body: {
          documentURL: "http://127.0.0.1/",
          blockedURL: `${marker}?2`,
          effectiveDirective: "frame-src",
        },
      },
    ]),
    headers: { "content-type": "application/reports+json" },
  });
  expect(modern.status()).toBe(204);
  const rows =
    await sql`select blocked_uri, effective_directive from public.csp_reports where blocked_uri like ${`${marker}%`} order by id`;
  expect(rows).toEqual([
    { blocked_uri: marker, effective_directive: "script-src-elem" },
    { blocked_uri: `${marker}?2`, effective_directive: "frame-src" },
  ]);
  expect(
    (
      await request.post("/api/csp-report", {
        data: "x".repeat(20_000),
        headers: { "content-type": "application/csp-report" },
      })
    ).status(),
  ).toBe(413);
  expect(
    (
      await request.post("/api/csp-report", {
        data: "{}",
        headers: { "content-type": "application/csp-report" },
      })
    ).status(),
  ).toBe(400);
});
