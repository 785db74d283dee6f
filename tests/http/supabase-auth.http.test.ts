import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { upsertStaffUser } from "@/lib/db/queries/staff-users";
import { type FakeSupabaseAuth, startFakeSupabaseAuth } from "../support/fake-supabase-auth";
import { nextServerForThisFile } from "../support/next-server-for-this-file";
import { CookieJar, submitSignInForm } from "../support/sign-in-form";

let auth: FakeSupabaseAuth;
beforeAll(async () => {
  auth = await startFakeSupabaseAuth();
});
afterAll(() => auth?.close());

const app = nextServerForThisFile(() => ({
  NEXT_PUBLIC_SUPABASE_URL: auth.url,
  NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY: "sb_publishable_fake",
  // The test stands in for the one proxy in front, which says in X-Forwarded-Proto how the client came.
  TRUSTED_PROXY: "1",
}));

/** The page's text with React's text-node separators removed. */
const pageText = async (response: Response) => (await response.text()).replaceAll("<!-- -->", "");

const signIn = (jar: CookieJar, email: string, password: string, headers: Record<string, string> = {}) =>
  submitSignInForm(app.server.url, jar, email, password, headers);

const consolePage = (jar: CookieJar) =>
  fetch(`${app.server.url}/admin`, { headers: { cookie: jar.header() }, redirect: "manual" });

describe("/admin with Supabase Auth (Supabase's Auth server faked: it cannot be reached from here)", () => {
  it("a Supabase user with a staff row signs in, and the role comes from our staff table", async () => {
    auth.addUser("kim@team.example", "supabase-password-1");
    await upsertStaffUser(app.db.sql, { email: "kim@team.example", role: "manager", passwordHash: null });
    const jar = new CookieJar();
    const signedIn = await signIn(jar, "kim@team.example", "supabase-password-1");
    expect(signedIn.status).toBe(303);
    expect(jar.names().some((name) => name.startsWith("sb-"))).toBe(true);
    const queue = await consolePage(jar);
    expect(queue.status).toBe(200);
    expect(await pageText(queue)).toContain("kim@team.example · manager");
    expect((await fetch(`${app.server.url}/admin/audit`, { headers: { cookie: jar.header() } })).status).toBe(
      200,
    );
  });

  it("a wrong password is refused by Supabase and counted towards the lockout", async () => {
    auth.addUser("lee@team.example", "right-password-22");
    await upsertStaffUser(app.db.sql, { email: "lee@team.example", role: "staff", passwordHash: null });
    const jar = new CookieJar();
    const response = await signIn(jar, "lee@team.example", "wrong-password");
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("That email and password do not match an active account.");
    expect((await consolePage(jar)).headers.get("location")).toMatch(/\/admin\/sign-in/);
    const [{ hits }] = await app.db.sql<{
      hits: number;
    }>`select coalesce(sum(hits), 0)::int as hits from public.rate_limit_hits where bucket like 'login-account:%'`;
    expect(hits).toBe(1);
  });

  it("a Supabase user without a staff row is signed straight out and told so", async () => {
    auth.addUser("outsider@elsewhere.example", "outsider-password");
    const jar = new CookieJar();
    const response = await signIn(jar, "outsider@elsewhere.example", "outsider-password");
    expect(await response.text()).toContain("This account has no access to the console.");
    expect((await consolePage(jar)).headers.get("location")).toMatch(/\/admin\/sign-in/);
  });

  it("a staff member gets 403 on the audit trail; a forged session cookie is no session at all", async () => {
    auth.addUser("max@team.example", "staff-password-333");
    await upsertStaffUser(app.db.sql, { email: "max@team.example", role: "staff", passwordHash: null });
    const jar = new CookieJar();
    await signIn(jar, "max@team.example", "staff-password-333");
    expect((await fetch(`${app.server.url}/admin/audit`, { headers: { cookie: jar.header() } })).status).toBe(
      403,
    );
    expect(
      (await fetch(`${app.server.url}/admin/audit/export?format=csv`, { headers: { cookie: jar.header() } }))
        .status,
    ).toBe(403);

    const forged = jar
      .header()
      .replace(
        /(sb-[^=]+=)([^;]+)/,
        (_match, name) =>
          `${name}base64-${Buffer.from(JSON.stringify({ access_token: "e30.e30.forged", refresh_token: "nope", expires_at: 9999999999 })).toString("base64url")}`,
      );
    expect(
      (await fetch(`${app.server.url}/admin`, { headers: { cookie: forged }, redirect: "manual" })).status,
    ).toBe(307);
  });

  it("an expired access token is refreshed in proxy.ts and the page still renders for the same user", async () => {
    auth.addUser("noa@team.example", "refresh-password-4");
    await upsertStaffUser(app.db.sql, { email: "noa@team.example", role: "staff", passwordHash: null });
    auth.setTokenLifetime(1);
    const jar = new CookieJar();
    await signIn(jar, "noa@team.example", "refresh-password-4");
    auth.setTokenLifetime(3600);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const before = auth.refreshCount();
    const queue = await consolePage(jar);
    expect(queue.status).toBe(200);
    expect(await pageText(queue)).toContain("noa@team.example · staff");
    expect(auth.refreshCount()).toBe(before + 1);
    jar.take(queue);
    expect((await consolePage(jar)).status).toBe(200);
  });

  it("session cookies are HttpOnly, SameSite, kept a working day, and Secure over HTTPS", async () => {
    auth.addUser("oli@team.example", "cookie-password-55");
    await upsertStaffUser(app.db.sql, { email: "oli@team.example", role: "staff", passwordHash: null });
    for (const https of [false, true]) {
      const jar = new CookieJar();
      const response = await signIn(
        jar,
        "oli@team.example",
        "cookie-password-55",
        https ? { "x-forwarded-proto": "https" } : {},
      );
      const cookies = response.headers.getSetCookie().filter((line) => line.startsWith("sb-"));
      expect(cookies.length).toBeGreaterThan(0);
      for (const cookie of cookies) {
        expect(cookie).toMatch(/; HttpOnly/i);
        expect(cookie).toMatch(/; SameSite=lax/i);
        expect(Number(/Max-Age=(\d+)/i.exec(cookie)?.[1])).toBe(12 * 3600);
        expect(/; Secure/i.test(cookie)).toBe(https);
      }
    }
  });

  it("an unconfirmed sign-up under a staff member's email gets nothing, and leaves the row for its owner", async () => {
    await upsertStaffUser(app.db.sql, { email: "pat@team.example", role: "manager", passwordHash: null });
    auth.addUser("pat@team.example", "squatter-password-6", { confirmed: false });
    const squatter = new CookieJar();
    expect(await (await signIn(squatter, "pat@team.example", "squatter-password-6")).text()).toContain(
      "This account has no access to the console.",
    );
    expect((await consolePage(squatter)).headers.get("location")).toMatch(/\/admin\/sign-in/);
    expect(
      await app.db.sql`select auth_user_id from public.staff_users where email = 'pat@team.example'`,
    ).toEqual([{ auth_user_id: null }]);

    const ownerId = auth.addUser("pat@team.example", "owner-password-777");
    const owner = new CookieJar();
    expect((await signIn(owner, "pat@team.example", "owner-password-777")).status).toBe(303);
    expect(await pageText(await consolePage(owner))).toContain("pat@team.example · manager");
    expect(
      await app.db.sql`select auth_user_id from public.staff_users where email = 'pat@team.example'`,
    ).toEqual([{ auth_user_id: ownerId }]);
  });

  it("a role change ends the Supabase session; signing in again starts one with the new role", async () => {
    auth.addUser("quin@team.example", "role-password-888");
    await upsertStaffUser(app.db.sql, { email: "quin@team.example", role: "manager", passwordHash: null });
    const jar = new CookieJar();
    await signIn(jar, "quin@team.example", "role-password-888");
    expect((await consolePage(jar)).status).toBe(200);
    // Supabase stamps the sign-in in whole seconds.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await upsertStaffUser(app.db.sql, { email: "quin@team.example", role: "staff", passwordHash: null });
    expect((await consolePage(jar)).headers.get("location")).toMatch(/\/admin\/sign-in/);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const again = new CookieJar();
    await signIn(again, "quin@team.example", "role-password-888");
    expect(await pageText(await consolePage(again))).toContain("quin@team.example · staff");
  });
});
