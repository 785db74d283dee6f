import type { CalEvent } from "../cal/event";
import type { Sql } from "../db/database";
import { type Actor, appendAudit } from "../db/queries/audit-log";
import { insertStageChange } from "../db/queries/lead-stage-changes";
import { type LeadRow, updateLeadBookingFields } from "../db/queries/leads";
import { eventsLinkedToLead, linkEventToLead } from "../db/queries/webhook-events";
import { lockNextUnmatchedForUids, resolveFailure } from "../db/queries/webhook-failures";
import type { FieldChange } from "./booking-fields";
import { lockBookingUids } from "./lock-booking-uids";
import { type LeadPlan, planLeadUpdate } from "./plan-lead-update";

export interface LinkedEvent {
  id: string;
  event: CalEvent;
}

export interface ApplyContext {
  actor: Actor;
  action: string;
  /** Record the planner's outcome on the event (a delivery being answered now), or keep the stored one. */
  recordOutcome: boolean;
  failureId?: string | null;
  reason?: string | null;
  requestContext?: Record<string, unknown> | null;
}

function changesAsRecords(changes: FieldChange[]) {
  return {
    before: Object.fromEntries(changes.map((c) => [c.field, c.from])),
    after: Object.fromEntries(changes.map((c) => [c.field, c.to])),
  };
}

/**
 * Links one event to a locked lead and writes what the planner says, with its stage-change and audit
 * rows, in the caller's transaction. Then events that were queued as unmatched because they arrived
 * before this link (a CANCELLED overtaking its RESCHEDULED) are linked in turn.
 */
export async function applyEventToLead(
  sql: Sql,
  lead: LeadRow,
  linked: LinkedEvent,
  context: ApplyContext,
): Promise<{ plan: LeadPlan; lead: LeadRow }> {
  const history = await eventsLinkedToLead(sql, lead.id);
  const plan = planLeadUpdate(lead, history, [linked.event]);
  await linkEventToLead(sql, linked.id, lead.id, context.recordOutcome ? plan.outcome : null);
  let current = lead;

  if (plan.outcome === "applied") {
    current = await updateLeadBookingFields(sql, lead.id, plan.after);
    if (plan.before.stage !== plan.after.stage) {
      await insertStageChange(sql, {
        leadId: lead.id,
        fromStage: plan.before.stage,
        toStage: plan.after.stage,
        webhookEventId: linked.id,
      });
    }
  }
  const knownUids = [current.cal_booking_uid, ...current.previous_booking_uids].filter((u): u is string => !!u);
  const pending = knownUids.length > 0 ? await lockNextUnmatchedForUids(sql, knownUids) : undefined;
  if (pending) {
    // The caller holds the locks on this event's uids; the queued event may bring new ones. Only new uids
    // need the lock (locking every known uid while holding the lead row would deadlock with events waiting
    // for that row).
    await lockBookingUids(sql, [pending.event.bookingUid, ...(pending.event.rescheduleUid ? [pending.event.rescheduleUid] : [])]);
  }
  // The audit row goes last: appending takes the hash chain's lock, which every writer waits on until commit.
  if (plan.outcome === "applied" || context.failureId) {
    await appendAudit(sql, {
      actor: context.actor,
      action: context.action,
      leadId: lead.id,
      webhookEventId: linked.id,
      failureId: context.failureId ?? null,
      reason: context.reason ?? null,
      requestContext: context.requestContext ?? null,
      ...(plan.outcome === "applied" ? changesAsRecords(plan.changes) : {}),
    });
  }

  if (pending) {
    await resolveFailure(sql, pending.failureId, { by: context.actor.id, kind: "auto_matched", leadId: lead.id });
    // The recursive call links the rest, one at a time, with the booking uids this one adds.
    const next = await applyEventToLead(sql, current, { id: pending.eventId, event: pending.event }, {
      actor: context.actor,
      action: "failure.auto_matched",
      recordOutcome: false,
      failureId: pending.failureId,
      reason: "queued event matched once its booking was linked to this lead",
    });
    current = next.lead;
  }
  return { plan, lead: current };
}
