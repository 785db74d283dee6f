import type { Database } from "../db/database";
import type { SubmissionTokenKeys } from "../leads/submission-token";
import { discardFailure } from "./discard-failure";
import { retryFailureMatch } from "./retry-failure-match";
import type { StaffDecision } from "../audit/staff-actor";
import type { DecisionResult } from "./staff-decision";

export const BULK_LIMIT = 100;

export type BulkRequest = { kind: "retry"; failureIds: string[] } | { kind: "discard"; failureIds: string[]; reason: string };

export interface BulkItemResult {
  failureId: string;
  result: DecisionResult;
}

/** Each item in its own transaction, so one conflict does not undo the others; the answer says how each went. */
export async function decideInBulk(
  db: Database,
  request: BulkRequest,
  decision: StaffDecision,
  keys: SubmissionTokenKeys,
): Promise<BulkItemResult[]> {
  const results: BulkItemResult[] = [];
  for (const failureId of [...new Set(request.failureIds)].slice(0, BULK_LIMIT)) {
    const result =
      request.kind === "retry"
        ? await retryFailureMatch(db, { failureId }, decision, keys)
        : await discardFailure(db, { failureId, version: null, reason: request.reason }, decision);
    results.push({ failureId, result });
  }
  return results;
}
