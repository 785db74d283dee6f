import { describe, expect, it } from "vitest";
import { FAILED_ATTEMPTS_PER_ACCOUNT } from "@/lib/auth/login-lockout";
import { hashPassword } from "@/lib/auth/password-hash";
import { signInWithPassword } from "@/lib/auth/sign-in-with-password";
import { upsertStaffUser } from "@/lib/db/queries/staff-users";
import { captureLead } from "@/lib/leads/capture-lead";
import { UNVERIFIED_BODY_PREFIX_BYTES } from "@/lib/webhook/keep-unverified-delivery";
import { databaseForThisFile } from "../support/test-database";
import { TEST_SUBMISSION_KEYS, deliver } from "../support/webhook-harness";

const t = databaseForThisFile();
const PARALLEL = 60;

const inParallel = <T>(count: number, attempt: (n: number) => Promise<T>) =>
  Promise.all(Array.from({ length: count }, (_, n) => attempt(n)));

const tally = (kinds: string[]) =>
  Object.fromEntries(
    [...new Set(kinds)].sort().map((kind) => [kind, kinds.filter((k) => k === kind).length]),
  );

async function unverifiedRows() {
  const [row] = await t.db.sql<{ rows: number; bytes: number; queued: number }>`
    select count(*)::int as rows, coalesce(sum(octet_length(e.raw_body)), 0)::int as bytes, count(f.id)::int as queued
    from public.webhook_events e left join public.webhook_failures f on f.webhook_event_id = e.id
    where e.verification = 'unverified'`;
  return row;
}

async function resetUnverified() {
  await t.owner.sql`delete from public.webhook_failures`;
  await t.owner.sql`delete from public.webhook_events where verification = 'unverified'`;
  await t.owner.sql`delete from public.rate_limit_hits`;
}

describe(`limits under ${PARALLEL} parallel attempts on ${process.env.TEST_DB}`, () => {
  it(`checks exactly ${FAILED_ATTEMPTS_PER_ACCOUNT} passwords of one account, each attempt from its own address`, async () => {
    const email = "target@team.example";
    await upsertStaffUser(t.db.sql, {
      email,
      role: "manager",
      passwordHash: await hashPassword("the right password!"),
    });
    const results = await inParallel(PARALLEL, (n) =>
      signInWithPassword(t.db, {
        email,
        password: `guess ${n}`,
        client: `203.0.113.${n}`,
        userAgent: "vitest",
      }),
    );
    expect(tally(results.map((r) => r.kind))).toEqual({
      invalid: FAILED_ATTEMPTS_PER_ACCOUNT,
      locked: PARALLEL - FAILED_ATTEMPTS_PER_ACCOUNT,
    });
    const right = await signInWithPassword(t.db, {
      email,
      password: "the right password!",
      client: "198.51.100.1",
      userAgent: "vitest",
    });
    expect(right.kind).toBe("locked");
  });

  it("a right password gives its slot back: only failures count", async () => {
    const email = "often@team.example";
    await upsertStaffUser(t.db.sql, {
      email,
      role: "staff",
      passwordHash: await hashPassword("the right password!"),
    });
    for (let n = 0; n < FAILED_ATTEMPTS_PER_ACCOUNT * 2; n++) {
      const result = await signInWithPassword(t.db, {
        email,
        password: "the right password!",
        client: "198.51.100.2",
        userAgent: "vitest",
      });
      expect(result.kind).toBe("signed_in");
    }
  });

  it("creates exactly the lead limit for one client", async () => {
    const limit = 5;
    const context = { client: "192.0.2.77", submissionKeys: TEST_SUBMISSION_KEYS, limitPer10Minutes: limit };
    const results = await inParallel(PARALLEL, (n) =>
      captureLead(t.db, { name: `Racer ${n}`, email: `racer${n}@client.example` }, context),
    );
    expect(tally(results.map((r) => r.kind))).toEqual({ created: limit, rate_limited: PARALLEL - limit });
    const [{ n }] = await t.db.sql<{
      n: number;
    }>`select count(*)::int as n from public.leads where email like 'racer%'`;
    expect(n).toBe(limit);
  });

  it("stores exactly the hour's count of unsigned deliveries, each queued once", async () => {
    await resetUnverified();
    const results = await inParallel(PARALLEL, (n) =>
      deliver(t.db, `{"probe":${n}}`, { signature: null, unverified: { perHour: 5 } }),
    );
    expect(new Set(results)).toEqual(new Set(["unverified"]));
    expect(await unverifiedRows()).toMatchObject({ rows: 5, queued: 5 });
  });

  it("stores unsigned bodies only up to the hour's byte budget", async () => {
    await resetUnverified();
    const body = (n: number) =>
      JSON.stringify({ probe: n, pad: "x".repeat(1000) })
        .slice(0, 1024)
        .padEnd(1024, " ");
    await inParallel(PARALLEL, (n) =>
      deliver(t.db, body(n), { signature: null, unverified: { perHour: 1000, bytesPerHour: 10 * 1024 } }),
    );
    expect(await unverifiedRows()).toEqual({ rows: 10, bytes: 10 * 1024, queued: 10 });
  });

  it("keeps only a bounded prefix of a large unsigned body, and says so to staff", async () => {
    await resetUnverified();
    const large = JSON.stringify({
      triggerEvent: "BOOKING_CREATED",
      payload: { title: "y".repeat(190 * 1024) },
    });
    expect(await deliver(t.db, large, { signature: null })).toBe("unverified");
    const [row] = await t.db.sql<{ bytes: number; detail: string }>`
      select octet_length(e.raw_body)::int as bytes, f.detail from public.webhook_events e
      join public.webhook_failures f on f.webhook_event_id = e.id where e.verification = 'unverified'`;
    expect(row).toEqual({
      bytes: UNVERIFIED_BODY_PREFIX_BYTES,
      detail: "no signature header; only the first 64 KiB of 190 KiB kept",
    });
  });

  it("a repeat of a stored unsigned body only counts up and spends nothing", async () => {
    await resetUnverified();
    for (let n = 0; n < 10; n++)
      await deliver(t.db, '{"same":"body"}', { signature: null, unverified: { perHour: 2 } });
    expect(await deliver(t.db, '{"other":"body"}', { signature: null, unverified: { perHour: 2 } })).toBe(
      "unverified",
    );
    const [row] = await t.db.sql<{ rows: number; repeats: number }>`
      select count(*)::int as rows, max(delivery_count)::int as repeats from public.webhook_events where verification = 'unverified'`;
    expect(row).toEqual({ rows: 2, repeats: 10 });
  });
});
