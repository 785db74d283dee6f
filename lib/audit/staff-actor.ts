import type { RequestContext } from "../auth/request-context";
import type { Staff } from "../auth/staff";
import type { Actor } from "./actors";

/**
 * Who takes a manual action and from where, as every admin entry point hands it on (`staffAction`,
 * `requireStaffRoute`): each audit row of the action carries both.
 */
export interface StaffCaller {
  staff: Staff;
  context: RequestContext;
}

export function actorOf(staff: Staff): Actor {
  return { type: "staff", id: staff.id, email: staff.email, role: staff.role };
}
