import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { upsertStaffUser } from "@/lib/db/queries/staff-users";
import { type FakeSupabaseAuth, startFakeSupabaseAuth } from "../support/fake-supabase-auth";
import { nextServerForThisFile } from "../support/next-server-for-this-file";

let auth: FakeSupabaseAuth;
beforeAll(async () => {
  auth = await startFakeSupabaseAuth();
});
afterAll(() => auth?.close());

const app = nextServerForThisFile(() => ({
  NEXT_PUBLIC_SUPABASE_URL: auth.url,
  NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY: "sb_publishable_fake",
}));

/** A browser's cookie jar, kept by hand: name → value, updated from every Set-Cookie. */
class CookieJar {
  private cookies = new Map<string, string>();
  take(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(";");
      const [name, ...value] = pair.split("=");
      const expired = attributes.some((a) => /max-age=0|expires=thu, 01 jan 1970/i.test(a.trim()));
      if (expired || value.join("=") === "") this.cookies.delete(name.trim());
      else this.cookies.set(name.trim(), value.join("="));
    }
  }
  header() {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }
  names() {
    return [...this.cookies.keys()];
  }
}

/** Submits the sign-in form as a browser without JavaScript would: the server action's own form fields. */
async function signIn(jar: CookieJar, email: string, password: string) {
  const page = await fetch(`${app.server.url}/admin/sign-in`, { headers: { cookie: jar.header() } });
  const html = await page.text();
  const form = new FormData();
  for (const [, name, value] of html.matchAll(/<input type="hidden" name="([^"]+)"(?: value="([^"]*)")?/g)) {
    form.append(name, (value ?? "").replaceAll("&quot;", '"').replaceAll("&amp;", "&"));
  }
  form.set("email", email);
  form.set("password", password);
  const response = await fetch(`${app.server.url}/admin/sign-in`, {
    method: "POST", body: form, redirect: "manual", headers: { cookie: jar.header(), origin: app.server.url },
  });
  jar.take(response);
  return response;
}

/** The page's text with React's text-node separators removed. */
const pageText = async (response: Response) => (await response.text()).replaceAll("<!-- -->", "");

const consolePage = (jar: CookieJar) => fetch(`${app.server.url}/admin`, { headers: { cookie: jar.header() }, redirect: "manual" });

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
    expect((await fetch(`${app.server.url}/admin/audit`, { headers: { cookie: jar.header() } })).status).toBe(200);
  });

  it("a wrong password is refused by Supabase and counted towards the lockout", async () => {
    auth.addUser("lee@team.example", "right-password-22");
    await upsertStaffUser(app.db.sql, { email: "lee@team.example", role: "staff", passwordHash: null });
    const jar = new CookieJar();
    const response = await signIn(jar, "lee@team.example", "wrong-password");
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("That email and password do not match an active account.");
    expect((await consolePage(jar)).headers.get("location")).toMatch(/\/admin\/sign-in/);
    const [{ hits }] = await app.db.sql<{ hits: number }>`select coalesce(sum(hits), 0)::int as hits from public.rate_limit_hits where bucket like 'login-account:%'`;
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
    expect((await fetch(`${app.server.url}/admin/audit`, { headers: { cookie: jar.header() } })).status).toBe(403);
    expect((await fetch(`${app.server.url}/admin/audit/export?format=csv`, { headers: { cookie: jar.header() } })).status).toBe(403);

    const forged = jar.header().replace(/(sb-[^=]+=)([^;]+)/, (_match, name) => `${name}base64-${Buffer.from(JSON.stringify({ access_token: "e30.e30.forged", refresh_token: "nope", expires_at: 9999999999 })).toString("base64url")}`);
    expect((await fetch(`${app.server.url}/admin`, { headers: { cookie: forged }, redirect: "manual" })).status).toBe(307);
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
});
