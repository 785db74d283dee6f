import { appendAudit } from "../audit/append-audit";
import { type StaffCaller, actorOf } from "../audit/staff-actor";
import type { Database, Sql } from "../db/database";
import { transactionWithRetry } from "../db/transaction-with-retry";
import type { FieldChange, LeadState } from "../reconcile/booking-fields";
import { type DecisionResult, conflict, refused } from "../failure-queue/staff-decision";

export interface MergeRequest {
  /** The duplicate: its events, bookings and token move to the primary; it stays as a pointer to it. */
  duplicateId: string;
  primaryId: string;
  duplicateVersion: number | null;
  primaryVersion: number | null;
}

export type MergeResult = DecisionResult & {
  changes?: FieldChange[];
  versions?: { duplicate: number; primary: number };
};

class MergePreview extends Error {
  constructor(readonly result: MergeResult) {
    super("merge preview rolled back");
  }
}

interface LockedLead {
  id: string;
  name: string;
  email: string;
  version: number;
  merged_into: string | null;
}

/** Both leads, locked in id order (two merges in opposite directions cannot deadlock). */
async function lockPair(sql: Sql, a: string, b: string): Promise<Map<string, LockedLead>> {
  const rows = await sql<LockedLead>`
    select id, name, email, version, merged_into from public.leads where id in (${a}::uuid, ${b}::uuid) order by id for update`;
  return new Map(rows.map((row) => [row.id, row]));
}

/** Re-folds a lead from the events now linked to it and writes the result; returns what changed. */
async function refold(sql: Sql, leadId: string, email: string): Promise<FieldChange[]> {
  const [row] = await sql<{ before: LeadState; after: LeadState }>`
    select public.stored_lead_state(${leadId}::uuid) as before, public.fold_lead_bookings(
      (select coalesce(jsonb_agg(public.event_for_fold(e)), '[]'::jsonb) from public.webhook_events e
        where e.lead_id = ${leadId}::uuid and e.event is not null), ${email}) as after`;
  const [{ changes }] = await sql<{ changes: FieldChange[] }>`
    select public.lead_state_changes(${row.before}::jsonb, ${row.after}::jsonb) as changes`;
  if (changes.length > 0)
    await sql`select public.write_lead_state(${leadId}::uuid, ${row.before}::jsonb, ${row.after}::jsonb)`;
  return changes;
}

async function runMerge(
  db: Database,
  request: MergeRequest,
  decision: StaffCaller,
  preview: boolean,
): Promise<MergeResult> {
  if (request.duplicateId === request.primaryId) return refused("A lead cannot be merged into itself.");
  return transactionWithRetry(db, async (tx) => {
    const leads = await lockPair(tx, request.duplicateId, request.primaryId);
    const duplicate = leads.get(request.duplicateId);
    const primary = leads.get(request.primaryId);
    if (!duplicate || !primary) return refused("There is no such lead.");
    if (duplicate.merged_into || primary.merged_into)
      return conflict("One of these leads was merged already.");
    const stale =
      (request.duplicateVersion !== null && duplicate.version !== request.duplicateVersion) ||
      (request.primaryVersion !== null && primary.version !== request.primaryVersion);
    if (stale) return conflict("A lead changed since your preview. Review the merge again.");
    const versions = { duplicate: duplicate.version, primary: primary.version };

    await tx`update public.webhook_events set lead_id = ${primary.id} where lead_id = ${duplicate.id}`;
    await tx`update public.booking_uids set lead_id = ${primary.id} where lead_id = ${duplicate.id}`;
    await tx`update public.leads set duplicate_of = ${primary.id} where duplicate_of = ${duplicate.id} and id <> ${primary.id}`;
    const changes = await refold(tx, primary.id, primary.email);
    await refold(tx, duplicate.id, duplicate.email);
    await tx`
      update public.leads set merged_into = ${primary.id}, duplicate_of = ${primary.id}, version = version + 1, updated_at = now()
      where id = ${duplicate.id}`;
    await appendAudit(tx, {
      actor: actorOf(decision.staff),
      action: "lead.merged",
      leadId: primary.id,
      before: { ...Object.fromEntries(changes.map((c) => [c.field, c.from])), merged_lead: null },
      after: { ...Object.fromEntries(changes.map((c) => [c.field, c.to])), merged_lead: duplicate.id },
      requestContext: decision.context,
    });
    const result: MergeResult = {
      kind: "done",
      message: `Merged ${duplicate.name} (${duplicate.email}) into this lead: ${changes.length} change${changes.length === 1 ? "" : "s"}.`,
      leadId: primary.id,
      href: `/admin/leads/${primary.id}`,
      changes,
      versions,
    };
    if (preview) throw new MergePreview(result);
    return result;
  });
}

/**
 * Merges a duplicate lead into the primary one, in one audited transaction: the duplicate's events and
 * booking uids move, the primary is folded again from all of them, and the duplicate remains as a pointer so
 * its /book link and any late event follow to the primary.
 */
export function mergeLeads(db: Database, request: MergeRequest, decision: StaffCaller): Promise<MergeResult> {
  return runMerge(db, request, decision, false);
}

/** The merge run and rolled back: exactly what merging would change on the primary lead. */
export async function previewMerge(
  db: Database,
  request: MergeRequest,
  decision: StaffCaller,
): Promise<MergeResult> {
  try {
    return await runMerge(db, request, decision, true);
  } catch (error) {
    if (error instanceof MergePreview) return error.result;
    throw error;
  }
}
