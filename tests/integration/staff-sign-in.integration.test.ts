import { describe, expect, it } from "vitest";
import { FAILED_ATTEMPTS_PER_ACCOUNT } from "@/lib/auth/login-lockout";
import { hashPassword } from "@/lib/auth/password-hash";
import { sessionTokenHash } from "@/lib/auth/session-token";
import { signInWithPassword } from "@/lib/auth/sign-in-with-password";
import { findStaffBySessionTokenHash, revokeStaffSession } from "@/lib/db/queries/staff-sessions";
import {
  disableStaffUser,
  findStaffUserByAuthUser,
  linkStaffUserToAuthUser,
  upsertStaffUser,
} from "@/lib/db/queries/staff-users";
import { databaseForThisFile } from "../support/test-database";

const t = databaseForThisFile();
const PASSWORD = "correct horse battery staple";

async function account(email: string, role: "staff" | "manager" = "staff") {
  await upsertStaffUser(t.db.sql, { email, role, passwordHash: await hashPassword(PASSWORD) });
}

const attempt = (email: string, password: string, client = "198.51.100.10") =>
  signInWithPassword(t.db, { email, password, client, userAgent: "vitest" });

describe(`the built-in staff login on ${process.env.TEST_DB}`, () => {
  it("signs in with the right password (any email case) and the session names the staff member (in the address's one form) and role", async () => {
    await account("Dana@Team.example", "manager");
    const result = await attempt("dana@team.EXAMPLE", PASSWORD);
    expect(result.kind).toBe("signed_in");
    if (result.kind !== "signed_in") return;
    const [stored] = await t.db.sql`select token_hash from public.staff_sessions`;
    expect(stored.token_hash).toBe(sessionTokenHash(result.token));
    expect(stored.token_hash).not.toContain(result.token);
    expect(await findStaffBySessionTokenHash(t.db.sql, sessionTokenHash(result.token))).toMatchObject({
      email: "dana@team.example",
      role: "manager",
    });
  });

  it("a wrong password and an unknown email get the same answer", async () => {
    await account("eli@team.example");
    expect(await attempt("eli@team.example", "wrong password!")).toEqual({ kind: "invalid" });
    expect(await attempt("nobody@team.example", PASSWORD)).toEqual({ kind: "invalid" });
  });

  it(`after ${FAILED_ATTEMPTS_PER_ACCOUNT} failures the account is locked, even for the right password, from any address`, async () => {
    await account("fay@team.example");
    for (let n = 0; n < FAILED_ATTEMPTS_PER_ACCOUNT; n++) {
      expect(await attempt("fay@team.example", `guess ${n}`, `203.0.113.${n}`)).toEqual({ kind: "invalid" });
    }
    expect(await attempt("fay@team.example", PASSWORD, "203.0.113.99")).toEqual({ kind: "locked" });
    // Other accounts are not locked out by it.
    await account("gus@team.example");
    expect((await attempt("gus@team.example", PASSWORD, "203.0.113.98")).kind).toBe("signed_in");
  });

  it("one address guessing across many accounts is locked too", async () => {
    for (let n = 0; n < 20; n++) await attempt(`spray${n}@team.example`, "Password1!", "192.0.2.66");
    await account("hal@team.example");
    expect(await attempt("hal@team.example", PASSWORD, "192.0.2.66")).toEqual({ kind: "locked" });
    expect((await attempt("hal@team.example", PASSWORD, "192.0.2.67")).kind).toBe("signed_in");
  });

  it("sign-out, expiry and disabling each end a session", async () => {
    await account("ivy@team.example");
    const signedIn = async () => {
      const result = await attempt("ivy@team.example", PASSWORD);
      if (result.kind !== "signed_in") throw new Error(result.kind);
      return sessionTokenHash(result.token);
    };
    const revoked = await signedIn();
    await revokeStaffSession(t.db.sql, revoked);
    expect(await findStaffBySessionTokenHash(t.db.sql, revoked)).toBeUndefined();

    const expired = await signedIn();
    await t.db
      .sql`update public.staff_sessions set expires_at = now() - interval '1 second' where token_hash = ${expired}`;
    expect(await findStaffBySessionTokenHash(t.db.sql, expired)).toBeUndefined();

    const live = await signedIn();
    expect(await disableStaffUser(t.db.sql, "IVY@team.example")).toBe(true);
    expect(await findStaffBySessionTokenHash(t.db.sql, live)).toBeUndefined();
    expect(await attempt("ivy@team.example", PASSWORD)).toEqual({ kind: "invalid" });
  });

  it("a Supabase user is linked to the staff row with its email once, by the sign-in, and found by id after", async () => {
    await upsertStaffUser(t.db.sql, { email: "jo@team.example", role: "manager", passwordHash: null });
    const authUserId = "5b0b7d7e-8a52-4c2e-9d0c-111111111111";
    const now = new Date(Date.now() + 1000);
    // Nothing is linked by a lookup: only the sign-in action links.
    expect(await findStaffUserByAuthUser(t.db.sql, authUserId, now)).toBeUndefined();
    expect(await linkStaffUserToAuthUser(t.db.sql, authUserId, "JO@team.example")).toMatchObject({
      role: "manager",
    });
    expect(await findStaffUserByAuthUser(t.db.sql, authUserId, now)).toMatchObject({
      email: "jo@team.example",
    });
    // Linked for good: another Supabase user with that email gets nothing.
    expect(
      await linkStaffUserToAuthUser(t.db.sql, "5b0b7d7e-8a52-4c2e-9d0c-222222222222", "jo@team.example"),
    ).toBeUndefined();
    expect(
      await linkStaffUserToAuthUser(
        t.db.sql,
        "5b0b7d7e-8a52-4c2e-9d0c-333333333333",
        "stranger@elsewhere.example",
      ),
    ).toBeUndefined();
  });

  it("a new password, another role or disabling ends the account's sessions, built-in and Supabase alike", async () => {
    const email = "kit@team.example";
    await account(email);
    const authUserId = "5b0b7d7e-8a52-4c2e-9d0c-444444444444";
    await linkStaffUserToAuthUser(t.db.sql, authUserId, email);
    let password = PASSWORD;
    const sessionsLive = async (session: string, supabaseSignedInAt: Date) => ({
      builtIn: (await findStaffBySessionTokenHash(t.db.sql, session)) !== undefined,
      supabase: (await findStaffUserByAuthUser(t.db.sql, authUserId, supabaseSignedInAt)) !== undefined,
    });
    // Supabase stamps sign-ins in whole seconds: keep each step in a second of its own.
    const nextSecond = () => new Promise((resolve) => setTimeout(resolve, 1100));
    const changes = {
      "another role": () => upsertStaffUser(t.db.sql, { email, role: "manager", passwordHash: null }),
      "a new password": async () => {
        password = "a brand new passphrase";
        await upsertStaffUser(t.db.sql, {
          email,
          role: "manager",
          passwordHash: await hashPassword(password),
        });
      },
      disabling: () => disableStaffUser(t.db.sql, email),
    };
    for (const [name, change] of Object.entries(changes)) {
      await nextSecond();
      const result = await attempt(email, password);
      if (result.kind !== "signed_in") throw new Error(`${name}: ${result.kind}`);
      const session = sessionTokenHash(result.token);
      const supabaseSignedInAt = new Date();
      expect(await sessionsLive(session, supabaseSignedInAt), name).toEqual({
        builtIn: true,
        supabase: true,
      });
      await nextSecond();
      await change();
      expect(await sessionsLive(session, supabaseSignedInAt), name).toEqual({
        builtIn: false,
        supabase: false,
      });
    }
  });
});

describe(`one form of a staff email for the login, its lockout, uniqueness and Supabase linking (${process.env.TEST_DB})`, () => {
  // Issue #25, hole 3: the lockout bucketed by JavaScript's toLowerCase and the lookup used PostgreSQL's
  // lower(); "staffİ@…" then had five guesses of its own and signed in to "staffi@…".
  it("five failures lock the account for every spelling that reaches it; a spelling that folds differently reaches nothing", async () => {
    await account("staffi@fold.example");
    for (let n = 0; n < FAILED_ATTEMPTS_PER_ACCOUNT; n++) {
      expect(await attempt("staffi@fold.example", `guess ${n}`, `203.0.113.${20 + n}`)).toEqual({
        kind: "invalid",
      });
    }
    for (const spelling of [
      "STAFFI@FOLD.EXAMPLE",
      " staffi@fold.example ",
      "ｓｔａｆｆｉ＠ｆｏｌｄ．ｅｘａｍｐｌｅ",
    ]) {
      expect(await attempt(spelling, PASSWORD, "203.0.113.40")).toEqual({ kind: "locked" });
    }
    for (const spelling of ["staffİ@fold.example", "staffı@fold.example", "STAFFİ@FOLD.EXAMPLE"]) {
      expect(await attempt(spelling, PASSWORD, "203.0.113.41")).toEqual({ kind: "invalid" });
    }
  });

  it("ß and full-width letters: one account per address, found only in its one form", async () => {
    await account("strasse@fold.example");
    expect((await attempt("STRASSE@fold.example", PASSWORD, "203.0.113.50")).kind).toBe("signed_in");
    expect((await attempt("ｓｔｒａｓｓｅ@fold.example", PASSWORD, "203.0.113.51")).kind).toBe("signed_in");
    expect(await attempt("straße@fold.example", PASSWORD, "203.0.113.52")).toEqual({ kind: "invalid" });
    const again = await upsertStaffUser(t.db.sql, {
      email: "ＳＴＲＡＳＳＥ@Fold.Example",
      role: "manager",
      passwordHash: null,
    });
    expect(again).toMatchObject({ created: false, user: { email: "strasse@fold.example", role: "manager" } });
  });

  it("an address that is not ASCII in its one form cannot be an account, in TypeScript or in the database", async () => {
    for (const email of ["straße@fold.example", "staffİ@fold.example", "staffı@fold.example"]) {
      await expect(upsertStaffUser(t.db.sql, { email, role: "staff", passwordHash: null })).rejects.toThrow(
        /ASCII/,
      );
    }
    for (const email of ["Upper@fold.example", "straße@fold.example", " pad@fold.example"]) {
      await expect(
        t.db.sql`insert into public.staff_users (email, role) values (${email}, 'staff')`,
      ).rejects.toThrow(/staff_users_email_normal_check/);
    }
  });

  it("Supabase linking finds the row by the same form, and only by it", async () => {
    await account("linked@fold.example");
    const authUserId = "7b0c3b3e-0000-4000-8000-000000000001";
    expect(await linkStaffUserToAuthUser(t.db.sql, authUserId, "linkedİ@fold.example")).toBeUndefined();
    expect(await linkStaffUserToAuthUser(t.db.sql, authUserId, "LINKED@FOLD.EXAMPLE")).toMatchObject({
      email: "linked@fold.example",
      auth_user_id: authUserId,
    });
  });
});
