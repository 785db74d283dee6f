import type { Database } from "../db/database";
import { appendAudit } from "../audit/append-audit";
import { lockFailure, reopenFailure as markOpen } from "../db/queries/webhook-failures";
import { transactionWithRetry } from "../db/transaction-with-retry";
import { type StaffCaller, actorOf } from "../audit/staff-actor";
import { type DecisionResult, conflict, refused } from "./staff-decision";

/** Puts a discarded item back in the queue. Resolved items stay resolved: their event changed a lead. */
export async function reopenFailure(
  db: Database,
  request: { failureId: string; version: number; reason: string | null },
  decision: StaffCaller,
): Promise<DecisionResult> {
  return transactionWithRetry(db, async (tx) => {
    const failure = await lockFailure(tx, request.failureId);
    if (!failure) return refused("There is no such failure.");
    if (failure.status !== "discarded")
      return conflict(`Only a discarded item can be reopened; this one is ${failure.status}.`);
    if (failure.version !== request.version)
      return conflict("This item changed since you opened it. Review it again.");
    await markOpen(tx, failure.id);
    await appendAudit(tx, {
      actor: actorOf(decision.staff),
      action: "failure.reopened",
      webhookEventId: failure.eventId,
      failureId: failure.id,
      before: { status: "discarded" },
      after: { status: "open" },
      reason: request.reason,
      requestContext: decision.context,
    });
    return { kind: "done", message: "Reopened: the item is back in the queue." };
  });
}
