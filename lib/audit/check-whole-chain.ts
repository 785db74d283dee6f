import type { Database } from "../db/database";
import { appendAudit } from "../db/queries/audit-log";
import { type StaffDecision, actorOf } from "./staff-actor";
import { recordChainCheck } from "./chain-checks";
import { type ChainVerdict, verifyAuditChain } from "./verify-audit-chain";

/** A full pass over the chain, kept as the newest check and itself audited. */
export async function checkWholeChain(db: Database, decision: StaffDecision): Promise<ChainVerdict> {
  const verdict = await verifyAuditChain(db.sql);
  await db.transaction(async (tx) => {
    await recordChainCheck(tx, verdict, decision.staff.email);
    await appendAudit(tx, {
      actor: actorOf(decision.staff),
      action: "audit.chain_verified",
      after: verdict.intact ? { intact: true, rows: verdict.rows } : { intact: false, brokenSeq: verdict.brokenSeq, problem: verdict.problem },
      requestContext: decision.context,
    });
  });
  return verdict;
}
