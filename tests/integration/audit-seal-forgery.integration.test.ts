import { beforeEach, describe, expect, it } from "vitest";
import { signCheckpoint } from "@/lib/audit/audit-checkpoint";
import type { Database, Sql } from "@/lib/db/database";
import {
  TEST_CHAIN_KEYS,
  appendTestEntry,
  behindTheAppsBack,
  resetChain,
  seal,
  sealsInOrder,
  verify,
} from "../support/audit-chain-harness";
import { databaseForThisFile } from "../support/test-database";

/**
 * Issue #25, hole 1: with the app's own login, an entry kept out of the chain by a seal row the sealer never
 * made (a negative `seq`), then purged while recent, and the full check still said intact.
 */
const t = databaseForThisFile();

beforeEach(() => resetChain(t.owner));

async function refusedAsApp(db: Database, statement: (tx: Sql) => Promise<unknown>): Promise<string | null> {
  try {
    await db.transaction((tx) => statement(tx));
    return null;
  } catch (error) {
    return String(error);
  }
}

async function lastEntryId(db: Database): Promise<number> {
  const [row] = await db.sql<{ id: number }>`select max(id)::int as id from public.audit_log`;
  return row.id;
}

/**
 * A seal row outside the chain, as the app could write one before this fix: now only the owner can, with the
 * check dropped for the moment (a database upgraded from then may still hold such a row).
 */
const sealOutsideTheChain = (entryId: number) =>
  behindTheAppsBack(t.owner, async (tx) => {
    await tx`alter table public.audit_seals drop constraint audit_seals_seq_positive`;
    await tx`insert into public.audit_seals (seq, entry_id, mac, key_id, horizon)
      values (-1000002, ${entryId}, 'not-a-mac', 'none', '0')`;
    await tx`alter table public.audit_seals add constraint audit_seals_seq_positive check (seq > 0) not valid`;
  });

/** The reproduction: three entries, the second given a seal outside the chain first, then the sealer runs. */
async function secondOfThreeBehindAnOutsideSeal(): Promise<number> {
  await appendTestEntry(t.db, 1);
  await appendTestEntry(t.db, 2);
  const hidden = await lastEntryId(t.db);
  await sealOutsideTheChain(hidden);
  await appendTestEntry(t.db, 3);
  await seal(t.db);
  return hidden;
}

/** The first `count` seals and their entries made older than the retention period, with a checkpoint then. */
async function backdateTheFirst(count: number) {
  const then = new Date(Date.now() - 400 * 86_400_000).toISOString();
  const seals = (await sealsInOrder(t.db)).filter((s) => s.seq > 0);
  const edge = seals[count - 1];
  const [head] = await t.db.sql<{ mac: string }>`select mac from public.audit_seals where seq = ${edge.seq}`;
  const checkpoint = signCheckpoint({ seq: edge.seq, mac: head.mac }, TEST_CHAIN_KEYS, new Date(then));
  await behindTheAppsBack(t.owner, async (tx) => {
    await tx`update public.audit_seals set sealed_at = ${then}::timestamptz where seq between 1 and ${edge.seq}`;
    await tx`insert into public.audit_checkpoints (head_seq, head_mac, signed_at, key_id, mac, created_at)
      values (${checkpoint.headSeq}, ${checkpoint.headMac}, ${checkpoint.signedAt}::timestamptz, ${checkpoint.keyId},
        ${checkpoint.mac}, ${then}::timestamptz)`;
  });
}

describe(`seals only the sealer makes, in order (${process.env.TEST_DB})`, () => {
  it("the app cannot write a seal row itself, at any seq", async () => {
    await appendTestEntry(t.db, 1);
    const entry = await lastEntryId(t.db);
    for (const seq of [-1000002, 0, 1]) {
      const refusal = await refusedAsApp(
        t.db,
        (tx) => tx`insert into public.audit_seals (seq, entry_id, mac, key_id, horizon)
          values (${seq}, ${entry}, 'not-a-mac', 'none', '0')`,
      );
      expect(refusal).toMatch(/permission denied/);
    }
    await seal(t.db);
    expect(await sealsInOrder(t.db)).toEqual([{ seq: 1, entryId: entry }]);
  });

  it("the sealing function takes only the next seq after the head, positive, entries in order and not yet sealed", async () => {
    for (let n = 0; n < 3; n++) await appendTestEntry(t.db, n);
    const [first, second, third] = (
      await t.db.sql<{ id: number }>`select id::int from public.audit_log order by id`
    ).map((row) => row.id);
    const attempt = (firstSeq: number, entries: number[]) =>
      refusedAsApp(
        t.db,
        (tx) => tx`select public.append_audit_seals(${firstSeq}, ${entries}::bigint[],
          ${entries.map(() => "0".repeat(64))}::text[], ${TEST_CHAIN_KEYS.signing.id}, '0'::xid8)`,
      );
    expect(await attempt(-1000002, [second])).toMatch(/must start at #1/);
    expect(await attempt(0, [second])).toMatch(/must start at #1/);
    expect(await attempt(2, [second])).toMatch(/must start at #1/);
    expect(await attempt(1, [third, first])).toMatch(/in entry order/);
    expect(await attempt(1, [first, first])).toMatch(/in entry order/);
    expect(await attempt(1, [999_999])).toMatch(/no audit entry/);
    await seal(t.db);
    expect(await attempt(4, [second])).toMatch(/already sealed/);
    expect(await sealsInOrder(t.db)).toEqual([
      { seq: 1, entryId: first },
      { seq: 2, entryId: second },
      { seq: 3, entryId: third },
    ]);
    expect(await verify(t.db)).toMatchObject({ intact: true, rows: 3 });
  });

  it("a horizon beyond what has finished is refused (it would make the next pass skip entries)", async () => {
    await appendTestEntry(t.db, 1);
    const entry = await lastEntryId(t.db);
    const refusal = await refusedAsApp(
      t.db,
      (tx) => tx`select public.append_audit_seals(1, ${[entry]}::bigint[], ${["0".repeat(64)]}::text[],
        ${TEST_CHAIN_KEYS.signing.id}, (pg_current_xact_id()::text::bigint + 1000)::text::xid8)`,
    );
    expect(refusal).toMatch(/horizon/);
  });

  it("a seal at the right place but without the key is accepted by the database and named by the check", async () => {
    await appendTestEntry(t.db, 1);
    await seal(t.db);
    await appendTestEntry(t.db, 2);
    const entry = await lastEntryId(t.db);
    await t.db.sql`select public.append_audit_seals(2, ${[entry]}::bigint[], ${["0".repeat(64)]}::text[],
      ${TEST_CHAIN_KEYS.signing.id}, '0'::xid8)`;
    expect(await verify(t.db)).toMatchObject({ intact: false, brokenSeq: 2, entryId: String(entry) });
  });

  it("a seal row outside the chain is named by the full check, and its entry counts as unsealed", async () => {
    const hidden = await secondOfThreeBehindAnOutsideSeal();
    // The reproduction's verdict before the fix: intact, 2 rows, head #2, with three entries in the table.
    expect(await verify(t.db)).toMatchObject({
      intact: false,
      entryId: String(hidden),
      problem: expect.stringMatching(new RegExp(`seal #-1000002 of entry ${hidden} is outside the chain`)),
    });
  });

  it("the sealer never continues from a seal outside the chain", async () => {
    await appendTestEntry(t.db, 1);
    await sealOutsideTheChain(await lastEntryId(t.db));
    await appendTestEntry(t.db, 2);
    await seal(t.db);
    const inChain = (await sealsInOrder(t.db)).filter((s) => s.seq > 0);
    expect(inChain.map((s) => s.seq)).toEqual([1]);
    expect(await verify(t.db)).toMatchObject({ intact: false, problem: expect.stringMatching(/outside/) });
  });

  it("the purge removes only entries sealed in the chain before the cut-off, never one whose seal is outside it", async () => {
    const hidden = await secondOfThreeBehindAnOutsideSeal();
    await backdateTheFirst(1);
    const [{ result }] = await t.db.sql<{
      result: { removed: number };
    }>`select public.purge_expired_audit_entries() as result`;
    expect(result.removed).toBe(1);
    const left = await t.db.sql<{ id: number }>`select id::int from public.audit_log order by id`;
    expect(left.map((row) => row.id)).toContain(hidden);
    expect(await verify(t.db)).toMatchObject({ intact: false, entryId: String(hidden) });
  });
});
