import type { StaffCaller } from "../audit/staff-actor";
import type { Database, Sql } from "../db/database";
import { fragment, runFragment } from "../db/fragment";
import type { SubmissionTokenKeys } from "../leads/submission-token";
import { discardFailure } from "./discard-failure";
import { ITEM_LABEL } from "./list-failures";
import { retryFailureMatch } from "./retry-failure-match";
import type { DecisionResult } from "./staff-decision";

/** Items per call; "select all matching" sends larger selections in calls of this size or less. */
export const BULK_LIMIT = 100;

export type BulkRequest =
  { kind: "retry"; failureIds: string[] } | { kind: "discard"; failureIds: string[]; reason: string };

export interface BulkItemResult {
  failureId: string;
  /** Who or what the item is about, as the queue names it. */
  label: string;
  result: DecisionResult;
}

async function labelsOf(sql: Sql, failureIds: string[]): Promise<Map<string, string>> {
  const rows = await runFragment<{ id: string; label: string }>(
    sql,
    fragment`
    select f.id, ${ITEM_LABEL} as label
    from public.webhook_failures f
    join public.webhook_events e on e.id = f.webhook_event_id
    where f.id = any(${failureIds}::uuid[])`,
  );
  return new Map(rows.map((row) => [row.id, row.label]));
}

/**
 * Each item in its own transaction, so one conflict does not undo the others; the answer says how each went.
 */
export async function decideInBulk(
  db: Database,
  request: BulkRequest,
  decision: StaffCaller,
  keys: SubmissionTokenKeys,
): Promise<BulkItemResult[]> {
  const failureIds = [...new Set(request.failureIds)].slice(0, BULK_LIMIT);
  const labels = await labelsOf(db.sql, failureIds);
  const results: BulkItemResult[] = [];
  for (const failureId of failureIds) {
    const result =
      request.kind === "retry"
        ? await retryFailureMatch(db, { failureId }, decision, keys)
        : await discardFailure(db, { failureId, version: null, reason: request.reason }, decision);
    results.push({ failureId, label: labels.get(failureId) ?? "an item that no longer exists", result });
  }
  return results;
}
