import type { Sql } from "../db/database";
import { findLeadById } from "../db/queries/leads";
import { eventsLinkedToLead } from "../db/queries/webhook-events";
import { type LeadPlan, planLeadUpdate } from "../reconcile/plan-lead-update";
import { eventOfFailure } from "./event-of-failure";
import type { FailureDetail } from "./load-failure-detail";

export interface MatchPreview {
  leadId: string;
  leadName: string;
  leadEmail: string;
  leadVersion: number;
  failureVersion: number;
  plan: LeadPlan;
}

/** What applying the failure's event to `leadId` would change, from the planner the webhook itself uses. */
export async function previewFailureMatch(sql: Sql, detail: FailureDetail, leadId: string): Promise<MatchPreview | undefined> {
  const event = eventOfFailure(detail);
  if (!event) return undefined;
  const lead = await findLeadById(sql, leadId);
  if (!lead) return undefined;
  const history = await eventsLinkedToLead(sql, lead.id);
  return {
    leadId: lead.id,
    leadName: lead.name,
    leadEmail: lead.email,
    leadVersion: lead.version,
    failureVersion: detail.version,
    plan: planLeadUpdate(lead, history, [event]),
  };
}
