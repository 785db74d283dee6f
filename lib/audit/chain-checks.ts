import type { Sql } from "../db/database";
import type { ChainVerdict } from "./verify-audit-chain";

export interface ChainCheck {
  checkedAt: Date;
  checkedBy: string;
  rowsChecked: number;
  headSeq: number | null;
  /** The head seal's mac (the column predates keyed seals). */
  headMac: string | null;
  intact: boolean;
  brokenSeq: number | null;
  problem: string | null;
}

export async function recordChainCheck(sql: Sql, verdict: ChainVerdict, checkedBy: string): Promise<void> {
  await sql`
    insert into public.audit_chain_checks (checked_by, rows_checked, head_seq, head_hash, intact, broken_seq, problem)
    values (${checkedBy}, ${verdict.rows}, ${verdict.intact ? verdict.headSeq : null}, ${verdict.intact ? verdict.headMac : null},
      ${verdict.intact}, ${verdict.intact ? null : verdict.brokenSeq}, ${verdict.intact ? null : verdict.problem})`;
}

/** The newest whole-chain check, and the newest intact one (the point a page view verifies onwards from). */
export async function latestChainChecks(
  sql: Sql,
): Promise<{ latest: ChainCheck | undefined; lastIntact: ChainCheck | undefined }> {
  const rows = await sql<ChainCheck & { kind: "latest" | "intact" }>`
    (select 'latest' as kind, checked_at as "checkedAt", checked_by as "checkedBy", rows_checked as "rowsChecked",
      head_seq as "headSeq", head_hash as "headMac", intact, broken_seq as "brokenSeq", problem
     from public.audit_chain_checks order by checked_at desc, id desc limit 1)
    union all
    (select 'intact', checked_at, checked_by, rows_checked, head_seq, head_hash, intact, broken_seq, problem
     from public.audit_chain_checks where intact order by checked_at desc, id desc limit 1)`;
  return {
    latest: rows.find((row) => row.kind === "latest"),
    lastIntact: rows.find((row) => row.kind === "intact"),
  };
}
