import { latestChainChecks } from "@/lib/audit/chain-checks";
import { verifyAuditChain } from "@/lib/audit/verify-audit-chain";
import type { Sql } from "@/lib/db/database";
import { formatTime } from "./format";
import { VerifyChainButton } from "./verify-chain-button";

const entries = (count: number) => `${count} ${count === 1 ? "entry" : "entries"}`;

/**
 * Whether the hash chain holds. The entries appended since the last intact whole-chain check are verified
 * on every view (cheap); the whole chain is verified on demand, since at a million entries it takes seconds.
 */
export async function ChainStatus({ sql }: { sql: Sql }) {
  const { latest, lastIntact } = await latestChainChecks(sql);
  const from = lastIntact?.headSeq && lastIntact.headHash ? { seq: lastIntact.headSeq, hash: lastIntact.headHash } : null;
  const recent = await verifyAuditChain(sql, from);
  const broken = !recent.intact ? recent : latest && !latest.intact ? { brokenSeq: latest.brokenSeq, problem: latest.problem } : null;

  return (
    <div className="row">
      {broken ? (
        <p className="verdict-bad" role="alert">
          Chain broken at entry #{broken.brokenSeq}: {broken.problem}. Entries from there on cannot be trusted.
        </p>
      ) : (
        <p className="verdict-ok" role="status">
          Chain intact: {from ? `the ${entries(recent.rows)} since the last whole-chain check verified` : `${entries(recent.rows)} verified`}.
        </p>
      )}
      <p className="muted">
        {latest
          ? `Last whole-chain check: ${formatTime(latest.checkedAt)} by ${latest.checkedBy}, ${entries(latest.rowsChecked)}, ${latest.intact ? "intact" : "broken"}.`
          : "The whole chain has not been checked yet."}
      </p>
      <VerifyChainButton />
    </div>
  );
}
