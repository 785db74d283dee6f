import { beforeEach, describe, expect, it } from "vitest";
import { appendAudit } from "@/lib/audit/append-audit";
import { writeCheckpoint } from "@/lib/audit/audit-checkpoint";
import { chainKeysOf, chainMac } from "@/lib/audit/chain-key";
import { latestChainChecks } from "@/lib/audit/chain-checks";
import { checkWholeChain } from "@/lib/audit/check-whole-chain";
import { countWaitingForSeal } from "@/lib/audit/seal-audit-chain";
import { type SignableEntry, chainHead, sealText } from "@/lib/audit/sealed-entry";
import {
  TEST_CHAIN_KEYS,
  appendTestEntry,
  behindTheAppsBack,
  resetChain,
  seal,
  sealsInOrder,
  verify,
} from "../support/audit-chain-harness";
import { createTestStaff } from "../support/staff-harness";
import { databaseForThisFile } from "../support/test-database";

const t = databaseForThisFile();
const config = () => ({ keys: TEST_CHAIN_KEYS, anchorFile: null, retentionDays: 365 });

beforeEach(() => resetChain(t.owner));

describe(`the sealed audit chain on ${process.env.TEST_DB}`, () => {
  it("40 concurrent writers hold no chain lock; the sealer then gives every entry exactly one place", async () => {
    await Promise.all(
      Array.from({ length: 40 }, (_, n) =>
        t.db.transaction((tx) =>
          appendAudit(tx, { actor: { type: "system", id: "race" }, action: "backfill.run", after: { n } }),
        ),
      ),
    );
    await seal(t.db);
    const [counts] = await t.db.sql<{ entries: number; seals: number; max: number }>`
      select (select count(*)::int from public.audit_log) as entries, (select count(*)::int from public.audit_seals) as seals,
        (select max(seq)::int from public.audit_seals) as max`;
    expect(counts).toEqual({ entries: counts.seals, seals: counts.max, max: counts.seals });
    expect(await verify(t.db)).toMatchObject({ intact: true, rows: counts.seals });
    expect((await seal(t.db)).sealed).toBe(0);
  });

  it("counts the entries waiting for their seal, and none once they are sealed", async () => {
    await seal(t.db);
    for (let n = 0; n < 3; n++) await appendTestEntry(t.db, 500 + n);
    expect(await countWaitingForSeal(t.db.sql)).toBe(3);
    await seal(t.db);
    expect(await countWaitingForSeal(t.db.sql)).toBe(0);
  });

  it.runIf(process.env.TEST_DB === "postgres")(
    "an entry committed after the pass that saw its neighbours is still sealed, next time",
    async () => {
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let inserted!: () => void;
      const insertedYet = new Promise<void>((resolve) => (inserted = resolve));
      const slow = t.db.transaction(async (tx) => {
        await appendAudit(tx, {
          actor: { type: "system", id: "slow" },
          action: "backfill.run",
          after: { slow: true },
        });
        inserted();
        await held;
      });
      await insertedYet;
      await appendTestEntry(t.db, 1001);
      await seal(t.db);
      const [waiting] = await t.db.sql<{ n: number }>`
      select count(*)::int as n from public.audit_log a where not exists (select 1 from public.audit_seals s where s.entry_id = a.id)`;
      expect(waiting.n).toBe(0); // the slow entry is not visible yet, so nothing visible is left unsealed
      expect(await countWaitingForSeal(t.db.sql)).toBe(0);
      release();
      await slow;
      // Committed after the pass, below the newest sealed id: the page's count still finds it by its transaction.
      expect(await countWaitingForSeal(t.db.sql)).toBe(1);
      await seal(t.db);
      expect(await countWaitingForSeal(t.db.sql)).toBe(0);
      const [slowSeal] = await t.db
        .sql`select s.seq from public.audit_seals s join public.audit_log a on a.id = s.entry_id
      where a.actor_id = 'slow'`;
      expect(slowSeal).toBeDefined();
      expect(await verify(t.db)).toMatchObject({ intact: true });
    },
  );

  it("an edit made as the owner, triggers off and seals recomputed without the key, is named at that entry", async () => {
    for (let n = 0; n < 5; n++) await appendTestEntry(t.db, n);
    await seal(t.db);
    const seals = await sealsInOrder(t.db);
    const target = seals[seals.length - 3];
    await behindTheAppsBack(t.owner, async (tx) => {
      await tx`update public.audit_log set reason = 'nothing happened here' where id = ${target.entryId}`;
    });
    expect(await verify(t.db)).toMatchObject({
      intact: false,
      brokenSeq: target.seq,
      problem: expect.stringMatching(/does not match its seal/),
    });

    // Re-sealing from the edited entry on, with any key but ours (under our key's id), cannot make it verify.
    const forger = chainKeysOf(["the-owner-guesses-a-key-0123456789abcdef"])!;
    const [previous] = await t.db.sql<{
      mac: string;
    }>`select mac from public.audit_seals where seq = ${target.seq - 1}`;
    const rest = await t.db.sql<SignableEntry & { seq: number }>`
      select s.seq, e.* from public.audit_seals s join public.audit_entry_text e on e.id = s.entry_id
      where s.seq >= ${target.seq} order by s.seq`;
    let mac = previous?.mac ?? "";
    await behindTheAppsBack(t.owner, async (tx) => {
      for (const row of rest) {
        mac = chainMac(forger.signing.key, sealText(row.seq, mac, row));
        await tx`update public.audit_seals set mac = ${mac} where seq = ${row.seq}`;
      }
    });
    expect(await verify(t.db)).toMatchObject({ intact: false, brokenSeq: target.seq });
  });

  it("an entry deleted from the middle is named by the seal that lost it; seals deleted with it leave a gap", async () => {
    for (let n = 0; n < 4; n++) await appendTestEntry(t.db, 100 + n);
    await seal(t.db);
    const seals = await sealsInOrder(t.db);
    const middle = seals[seals.length - 2];
    await behindTheAppsBack(t.owner, async (tx) => {
      await tx`alter table public.audit_seals drop constraint audit_seals_entry_id_fkey`;
      await tx`delete from public.audit_log where id = ${middle.entryId}`;
    });
    expect(await verify(t.db)).toMatchObject({
      intact: false,
      brokenSeq: middle.seq,
      problem: expect.stringMatching(/is gone/),
    });
    await behindTheAppsBack(t.owner, async (tx) => {
      await tx`delete from public.audit_seals where seq = ${middle.seq}`;
    });
    expect(await verify(t.db)).toMatchObject({
      intact: false,
      brokenSeq: middle.seq,
      problem: expect.stringMatching(/is missing/),
    });
    await t.owner
      .sql`alter table public.audit_seals add constraint audit_seals_entry_id_fkey foreign key (entry_id) references public.audit_log (id)`;
  });
});

describe(`cutting entries off the end (${process.env.TEST_DB})`, () => {
  it("is caught by a signed checkpoint still in the database, and by an anchor kept outside it", async () => {
    for (let n = 0; n < 6; n++) await appendTestEntry(t.db, 200 + n);
    await seal(t.db);
    await writeCheckpoint(t.db, TEST_CHAIN_KEYS);
    const head = (await chainHead(t.db.sql))!;
    const outside = [{ headSeq: head.seq, headMac: head.mac }];
    const seals = await sealsInOrder(t.db);
    const keep = seals[seals.length - 3].seq;
    // The owner removes the newest entries and their seals, and also every checkpoint that names them.
    await behindTheAppsBack(t.owner, async (tx) => {
      const gone = await tx<{
        entry_id: number;
      }>`delete from public.audit_seals where seq > ${keep} returning entry_id`;
      await tx`delete from public.audit_log where id = any(${gone.map((row) => row.entry_id)}::bigint[])`;
    });
    expect(await verify(t.db)).toMatchObject({
      intact: false,
      problem: expect.stringMatching(/cut off the end/),
    });
    await behindTheAppsBack(t.owner, async (tx) => {
      await tx`delete from public.audit_checkpoints where head_seq > ${keep}`;
    });
    // Inside the database the shorter chain now looks whole; the anchor kept outside it does not agree.
    expect(await verify(t.db)).toMatchObject({ intact: true });
    expect(await verify(t.db, { externalAnchors: outside })).toMatchObject({
      intact: false,
      problem: expect.stringMatching(new RegExp(`names entry #${head.seq}, but the chain ends at #${keep}`)),
    });
  });

  it("a checkpoint the owner writes without the key is refused", async () => {
    await appendTestEntry(t.db, 300);
    await seal(t.db);
    await t.owner.sql`insert into public.audit_checkpoints (head_seq, head_mac, signed_at, key_id, mac)
      values (1, 'x', now(), ${TEST_CHAIN_KEYS.signing.id}, 'forged')`;
    expect(await verify(t.db)).toMatchObject({
      intact: false,
      problem: expect.stringMatching(/not signed by a key this server holds/),
    });
  });
});

describe(`whole-chain checks (${process.env.TEST_DB})`, () => {
  it("are kept and audited; the audit entry of the check is itself sealed next", async () => {
    const manager = await createTestStaff(t.db, "manager");
    for (let n = 0; n < 3; n++) await appendTestEntry(t.db, 400 + n);
    await seal(t.db);
    const verdict = await checkWholeChain(t.db, config(), manager);
    expect(verdict).toMatchObject({ intact: true });
    const { latest, lastIntact } = await latestChainChecks(t.db.sql);
    expect(latest).toMatchObject({ intact: true, checkedBy: manager.staff.email, rowsChecked: verdict.rows });
    expect(lastIntact?.headSeq).toBe(verdict.intact ? verdict.headSeq : null);
    const [row] = await t.db
      .sql`select action, actor_email from public.audit_log where action = 'audit.chain_verified'`;
    expect(row).toEqual({ action: "audit.chain_verified", actor_email: manager.staff.email });
    expect((await seal(t.db)).sealed).toBe(1);
  });
});
