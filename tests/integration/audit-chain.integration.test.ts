import { describe, expect, it } from "vitest";
import { latestChainChecks } from "@/lib/audit/chain-checks";
import { checkWholeChain } from "@/lib/audit/check-whole-chain";
import { verifyAuditChain } from "@/lib/audit/verify-audit-chain";
import { appendAudit } from "@/lib/db/queries/audit-log";
import { createTestStaff } from "../support/staff-harness";
import { databaseForThisFile } from "../support/test-database";

const t = databaseForThisFile();

const append = (n: number) =>
  appendAudit(t.db.sql, { actor: { type: "system", id: "test" }, action: "test.entry", reason: `entry ${n}`, after: { n } });

/** Changes a row the way a superuser could: with the append-only trigger switched off for a moment. */
async function behindTheAppsBack(statement: () => Promise<unknown>) {
  await t.db.sql`alter table public.audit_log disable trigger audit_log_no_update_delete`;
  try {
    await statement();
  } finally {
    await t.db.sql`alter table public.audit_log enable trigger audit_log_no_update_delete`;
  }
}

describe(`the audit log's hash chain on ${process.env.TEST_DB}`, () => {
  it("concurrent appends still form one unbroken chain", async () => {
    await Promise.all(Array.from({ length: 40 }, (_, n) => t.db.transaction((tx) => appendAudit(tx, { actor: { type: "system", id: "race" }, action: "test.race", after: { n } }))));
    const verdict = await verifyAuditChain(t.db.sql);
    expect(verdict).toMatchObject({ intact: true });
    const [counts] = await t.db.sql<{ rows: number; max: number }>`select count(*)::int as rows, max(chain_seq)::int as max from public.audit_log`;
    expect(counts.rows).toBe(counts.max);
  });

  it("a whole-chain check is kept and audited; later views verify only what came after it", async () => {
    const manager = await createTestStaff(t.db, "manager");
    const verdict = await checkWholeChain(t.db, manager);
    expect(verdict).toMatchObject({ intact: true });
    const { latest, lastIntact } = await latestChainChecks(t.db.sql);
    expect(latest).toMatchObject({ intact: true, checkedBy: manager.staff.email, rowsChecked: verdict.rows });
    expect(lastIntact?.headSeq).toBe(verdict.intact ? verdict.headSeq : null);
    await append(99);
    // The check's own audit row and the new one: two entries after the checked head.
    expect(await verifyAuditChain(t.db.sql, { seq: lastIntact!.headSeq!, hash: lastIntact!.headHash! })).toMatchObject({ intact: true, rows: 2 });
    const [row] = await t.db.sql`select action, actor_email from public.audit_log where action = 'audit.chain_verified'`;
    expect(row).toEqual({ action: "audit.chain_verified", actor_email: manager.staff.email });
  });

  it("the database refuses to change a row, even through the application's own connection", async () => {
    await append(1);
    await expect(t.db.sql`update public.audit_log set reason = 'edited'`).rejects.toThrow(/append-only/);
    await expect(t.db.sql`delete from public.audit_log`).rejects.toThrow(/append-only/);
  });

  it("a row edited as a superuser makes verification fail at exactly that row", async () => {
    for (let n = 0; n < 5; n++) await append(n);
    const [target] = await t.db.sql<{ seq: number }>`select chain_seq as seq from public.audit_log order by chain_seq desc offset 2 limit 1`;
    await behindTheAppsBack(() => t.db.sql`update public.audit_log set reason = 'nothing happened here' where chain_seq = ${target.seq}`);
    expect(await verifyAuditChain(t.db.sql)).toMatchObject({ intact: false, brokenSeq: target.seq, problem: expect.stringMatching(/content/) });

    // Recomputing the edited row's own hash does not help: the next row's link no longer matches.
    await behindTheAppsBack(() => t.db.sql`update public.audit_log a set row_hash = public.audit_log_row_hash(a.prev_hash, a) where chain_seq = ${target.seq}`);
    expect(await verifyAuditChain(t.db.sql)).toMatchObject({ intact: false, brokenSeq: target.seq + 1, problem: expect.stringMatching(/link/) });
  });
});
