import type { Database } from "../db/database";
import { appendAudit } from "../audit/append-audit";
import { lockFailure, markFailureDiscarded } from "../db/queries/webhook-failures";
import { transactionWithRetry } from "../db/transaction-with-retry";
import { type StaffCaller, actorOf } from "../audit/staff-actor";
import { type DecisionResult, changedStatusMessage, conflict, refused } from "./staff-decision";

/**
 * Discards an open item with the reason staff gave; no lead changes. `version` null skips the check (bulk).
 */
export async function discardFailure(
  db: Database,
  request: { failureId: string; version: number | null; reason: string },
  decision: StaffCaller,
): Promise<DecisionResult> {
  if (request.reason.trim() === "") return refused("Say why this item is discarded.");
  return transactionWithRetry(db, async (tx) => {
    const failure = await lockFailure(tx, request.failureId);
    if (!failure) return refused("There is no such failure.");
    if (failure.status !== "open") return conflict(changedStatusMessage(failure.status));
    if (request.version !== null && failure.version !== request.version) {
      return conflict("This item changed since you opened it. Review it again.");
    }
    await markFailureDiscarded(tx, failure.id, decision.staff.id, request.reason);
    await appendAudit(tx, {
      actor: actorOf(decision.staff),
      action: "failure.discarded",
      webhookEventId: failure.eventId,
      failureId: failure.id,
      before: { status: "open" },
      after: { status: "discarded" },
      reason: request.reason,
      requestContext: decision.context,
    });
    return { kind: "done", message: "Discarded." };
  });
}
