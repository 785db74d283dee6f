import type { RequestContext } from "../auth/request-context";
import type { Staff } from "../auth/staff";
import type { Actor } from "../db/queries/audit-log";

/** Who takes a decision on the queue and from where: every audit row of a manual action carries both. */
export interface StaffDecision {
  staff: Staff;
  context: RequestContext;
}

export function actorOf(staff: Staff): Actor {
  return { type: "staff", id: staff.id, email: staff.email, role: staff.role };
}

export const requestContextRecord = (context: RequestContext): Record<string, unknown> => ({ ...context });

/** What a decision came to. A conflict means someone changed the item since the page was drawn: nothing was written. */
export type DecisionResult =
  | { kind: "done"; message: string; leadId?: string | null }
  | { kind: "conflict"; message: string }
  | { kind: "refused"; message: string };

export const refused = (message: string): DecisionResult => ({ kind: "refused", message });
export const conflict = (message: string): DecisionResult => ({ kind: "conflict", message });

export function changedStatusMessage(status: string): string {
  return `This item is already ${status}: someone else decided it since you opened it.`;
}
