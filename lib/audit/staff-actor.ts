import type { RequestContext } from "../auth/request-context";
import type { Staff } from "../auth/staff";
import type { Actor } from "./actors";

/** Who takes a manual action and from where: every audit row of one carries both. */
export interface StaffDecision {
  staff: Staff;
  context: RequestContext;
}

export function actorOf(staff: Staff): Actor {
  return { type: "staff", id: staff.id, email: staff.email, role: staff.role };
}
