import { describe, expect, it } from "vitest";
import { verifyAuditChain } from "@/lib/audit/verify-audit-chain";
import { appendAudit } from "@/lib/db/queries/audit-log";
import { databaseForThisFile } from "../support/test-database";

const t = databaseForThisFile();

describe(`audit chain deletion on ${process.env.TEST_DB}`, () => {
  it("a row deleted as a superuser breaks the chain at the row after it", async () => {
    for (let n = 0; n < 4; n++) await appendAudit(t.db.sql, { actor: { type: "system", id: "test" }, action: "test.entry", after: { n } });
    expect(await verifyAuditChain(t.db.sql)).toEqual({ intact: true, rows: 4, headSeq: 4, headHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    await t.db.sql`alter table public.audit_log disable trigger audit_log_no_update_delete`;
    await t.db.sql`delete from public.audit_log where chain_seq = 2`;
    await t.db.sql`alter table public.audit_log enable trigger audit_log_no_update_delete`;
    expect(await verifyAuditChain(t.db.sql)).toMatchObject({ intact: false, brokenSeq: 3, problem: "row 2 is missing before it" });
  });
});
