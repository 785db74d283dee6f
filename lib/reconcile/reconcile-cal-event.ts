import { WEBHOOK_ACTOR, type Actor } from "../audit/actors";
import type { AuditAction } from "../audit/audit-actions";
import type { CalEvent } from "../cal/event";
import { eventIdempotencyKey } from "../cal/event-identity";
import type { Database } from "../db/database";
import { retryTransientConflicts } from "../db/transaction-with-retry";
import type { SubmissionTokenKeys } from "../leads/submission-token";
import { tokenVerdict } from "./find-lead-for-event";

export interface VerifiedDelivery {
  rawBody: string;
  bodySha256: string;
  signatureHeader: string | null;
  webhookVersion: string | null;
}

export type ReconcileOutcome = "applied" | "duplicate" | "stale" | "queued";

/**
 * Where the event came from: the webhook, or the backfill reading Cal.com's API, with its own key and actor.
 */
export interface EventOrigin {
  source: "webhook" | "backfill";
  idempotencyKey: string;
  actor: Actor;
  action: AuditAction;
  /** Where the delivery came from (its request id), recorded with any audit entry it writes. */
  requestContext?: Record<string, unknown> | null;
}

export const webhookOrigin = (event: CalEvent): EventOrigin => ({
  source: "webhook",
  idempotencyKey: eventIdempotencyKey(event),
  actor: WEBHOOK_ACTOR,
  action: "lead.updated_by_webhook",
});

/**
 * One verified event in one database call (public.reconcile_cal_event, its own transaction): store the
 * delivery (a repeat stops there), find the lead, fold and write the change with its stage-change and audit
 * rows, or queue a failure and touch no lead. A deadlock or serialization failure rolls it all back, so it
 * simply runs again.
 */
export async function reconcileCalEvent(
  db: Database,
  delivery: VerifiedDelivery,
  event: CalEvent,
  keys: SubmissionTokenKeys,
  origin: EventOrigin = webhookOrigin(event),
): Promise<ReconcileOutcome> {
  const verdict = tokenVerdict(event, keys);
  const context = {
    actor: origin.actor,
    action: origin.action,
    ...(origin.requestContext ? { requestContext: origin.requestContext } : {}),
  };
  const [row] = await retryTransientConflicts(
    () => db.sql<{ result: { outcome: ReconcileOutcome } }>`
      select public.reconcile_cal_event(${origin.idempotencyKey}, ${origin.source}, ${delivery.rawBody},
        ${delivery.bodySha256}, ${delivery.signatureHeader}, ${delivery.webhookVersion}, ${event}::jsonb,
        ${verdict.status}, ${verdict.submissionId}, ${context}::jsonb) as result`,
  );
  return row.result.outcome;
}
