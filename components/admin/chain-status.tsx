import { verifyAuditChain } from "@/lib/audit/verify-audit-chain";
import type { Sql } from "@/lib/db/database";

/** Recomputes the whole hash chain and says whether it holds, naming the first broken row if not. */
export async function ChainStatus({ sql }: { sql: Sql }) {
  const verdict = await verifyAuditChain(sql);
  if (verdict.intact) {
    return (
      <p className="verdict-ok" role="status">
        Chain intact: {verdict.rows} {verdict.rows === 1 ? "entry" : "entries"} verified
        {verdict.headHash ? `, head ${verdict.headHash.slice(0, 12)}…` : ""}.
      </p>
    );
  }
  return (
    <p className="verdict-bad" role="alert">
      Chain broken at entry #{verdict.brokenSeq}: {verdict.problem}. Entries from there on cannot be trusted.
    </p>
  );
}
