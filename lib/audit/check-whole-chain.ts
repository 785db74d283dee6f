import type { Database } from "../db/database";
import { appendAudit } from "./append-audit";
import type { AuditChainConfig } from "./audit-chain-config";
import { verifyWholeChain } from "./run-audit-chain-job";
import { type StaffCaller, actorOf } from "./staff-actor";

/** A manager's full pass over the chain, kept as the newest check and itself audited. */
export async function checkWholeChain(db: Database, config: AuditChainConfig, decision: StaffCaller) {
  const verdict = await verifyWholeChain(db, config, decision.staff.email);
  await appendAudit(db.sql, {
    actor: actorOf(decision.staff),
    action: "audit.chain_verified",
    after: verdict.intact
      ? { intact: true, rows: verdict.rows }
      : { intact: false, brokenSeq: verdict.brokenSeq, problem: verdict.problem },
    requestContext: decision.context,
  });
  return verdict;
}
