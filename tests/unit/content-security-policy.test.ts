import { describe, expect, it } from "vitest";
import { embedSettings } from "@/lib/cal/embed-settings";
import { parseCspReports } from "@/lib/csp-report/parse-csp-reports";
import { contentSecurityPolicy } from "@/lib/csp";

const hosted = embedSettings({
  NEXT_PUBLIC_CAL_LINK: "dana/intro-call",
  NEXT_PUBLIC_CAL_ORIGIN: "https://app.cal.com",
});
const selfHosted = embedSettings({
  NEXT_PUBLIC_CAL_LINK: "dana/intro-call",
  NEXT_PUBLIC_CAL_ORIGIN: "https://cal.example.org",
});

describe("content security policy", () => {
  it("gives pages without the embed no Cal.com origin, no inline styles and no frames", () => {
    const policy = contentSecurityPolicy({ nonce: "abc", embed: null, development: false, https: true });
    expect(policy).not.toMatch(/cal/);
    expect(policy).toContain("script-src 'self' 'nonce-abc' 'strict-dynamic';");
    expect(policy).toContain("style-src 'self' 'nonce-abc';");
    expect(policy).toContain("frame-src 'none'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("upgrade-insecure-requests");
    expect(policy).not.toContain("unsafe-eval");
  });

  it("lets /book load exactly the configured Cal.com origin, hosted or self-hosted", () => {
    const policy = contentSecurityPolicy({ nonce: "n", embed: hosted, development: false, https: false });
    expect(policy).toContain("frame-src https://app.cal.com;");
    expect(policy).toContain("script-src 'self' 'nonce-n' 'strict-dynamic' https://app.cal.com;");
    expect(policy).toContain("style-src 'self' 'unsafe-inline';");
    expect(policy).toContain("connect-src 'self';");
    expect(policy).not.toContain("upgrade-insecure-requests");
    const own = contentSecurityPolicy({ nonce: "n", embed: selfHosted, development: false, https: false });
    expect(own).toContain("frame-src https://cal.example.org;");
    expect(own).not.toContain("app.cal.com");
    expect(selfHosted?.embedJsUrl).toBe("https://cal.example.org/embed/embed.js");
  });

  it("has no embed settings without a Cal.com link", () => {
    expect(
      embedSettings({ NEXT_PUBLIC_CAL_LINK: undefined, NEXT_PUBLIC_CAL_ORIGIN: "https://app.cal.com" }),
    ).toBeNull();
  });
});

describe("parseCspReports", () => {
  it("reads report-uri's format, falling back to violated-directive", () => {
    expect(
      parseCspReports({
        "csp-report": {
          "document-uri": "https://x/book",
          "blocked-uri": "inline",
          "violated-directive": "style-src-elem",
        },
      }),
    ).toEqual([
      {
        documentUri: "https://x/book",
        blockedUri: "inline",
        effectiveDirective: "style-src-elem",
        disposition: null,
        sourceFile: null,
        sample: null,
      },
    ]);
  });

  it("reads the Reporting API's list and keeps only CSP violations", () => {
    const reports = parseCspReports([
      {
        type: "csp-violation",
        body: {
          documentURL: "https://x/",
          blockedURL: "https://evil.example",
          effectiveDirective: "frame-src",
        },
      },
      { type: "deprecation", body: {} },
    ]);
    expect(reports).toHaveLength(1);
    expect(reports?.[0]).toMatchObject({
      blockedUri: "https://evil.example",
      effectiveDirective: "frame-src",
    });
  });

  it("refuses other shapes and clips long values", () => {
    expect(parseCspReports({})).toBeNull();
    expect(parseCspReports("text")).toBeNull();
    const [long] = parseCspReports({ "csp-report": { "blocked-uri": "x".repeat(5000) } }) ?? [];
    expect(long.blockedUri).toHaveLength(2000);
  });
});
