import { describe, expect, it } from "vitest";
import { hashPassword } from "@/lib/auth/password-hash";
import { upsertStaffUser } from "@/lib/db/queries/staff-users";
import { nextServerForThisFile } from "../support/next-server-for-this-file";
import { CookieJar, submitSignInForm } from "../support/sign-in-form";

/** Issue #25's hardening: what a client's own headers can no longer decide. */
const app = nextServerForThisFile(() => ({
  CSP_REPORT_LIMIT_PER_HOUR: "20",
  CSP_REPORT_LIMIT_PER_CLIENT_PER_HOUR: "3",
  // One proxy in front: X-Forwarded-For's last entry is the client the proxy saw.
  TRUSTED_PROXY: "1",
}));

const report = (client: string, n: number) =>
  fetch(`${app.server.url}/api/csp-report`, {
    method: "POST",
    headers: { "content-type": "application/csp-report", "x-forwarded-for": client },
    body: JSON.stringify({
      "csp-report": {
        "document-uri": `${app.server.url}/book`,
        "violated-directive": "frame-src",
        "effective-directive": "frame-src",
        "blocked-uri": `https://evil${n}.example`,
        "original-policy": "default-src 'self'",
        disposition: "enforce",
      },
    }),
  });

describe("headers a client sends decide nothing they should not", () => {
  it("a page fetched as a prefetch carries the same CSP as the page", async () => {
    const prefetches: Record<string, string>[] = [
      { "next-router-prefetch": "1" },
      { purpose: "prefetch" },
      {},
    ];
    for (const headers of prefetches) {
      const response = await fetch(`${app.server.url}/`, { headers });
      expect(response.headers.get("content-security-policy")).toMatch(/script-src 'self' 'nonce-/);
    }
  });

  it("one client cannot spend the CSP report budget of everybody else", async () => {
    for (let n = 0; n < 10; n++) expect((await report("203.0.113.66", n)).status).toBe(204);
    for (let n = 0; n < 3; n++) expect((await report(`198.51.100.${n + 1}`, 100 + n)).status).toBe(204);
    const rows = await app.db.sql<{ blocked: string }>`select blocked_uri as blocked from public.csp_reports`;
    const fromFlooder = rows.filter((row) => /evil\d\.example/.test(row.blocked));
    expect(fromFlooder).toHaveLength(3);
    expect(rows.filter((row) => /evil10\d\.example/.test(row.blocked))).toHaveLength(3);
  });

  it("X-Forwarded-Proto counts as the proxy wrote it, not as the client did", async () => {
    await upsertStaffUser(app.db.sql, {
      email: "proto@team.example",
      role: "staff",
      passwordHash: await hashPassword("proto-password-12345"),
    });
    const cookieFor = async (proto: string) => {
      const response = await submitSignInForm(
        app.server.url,
        new CookieJar(),
        "proto@team.example",
        "proto-password-12345",
        {
          "x-forwarded-proto": proto,
        },
      );
      return response.headers.getSetCookie().find((line) => /bh_session=/.test(line)) ?? "";
    };
    // The client wrote "https"; the proxy appended the scheme the client really used.
    expect(await cookieFor("https, http")).toMatch(/^bh_session=/);
    expect(await cookieFor("http, https")).toMatch(/^__Host-bh_session=.*; Secure/i);
  });
});
