/** Who is using the console, as our own staff table says, whichever way they signed in. */
export type StaffRole = "staff" | "manager";

export interface Staff {
  id: string;
  email: string;
  role: StaffRole;
}

/** Managers can do everything staff can; only managers read the audit trail. */
export function hasRole(staff: Staff, required: StaffRole): boolean {
  return required === "staff" || staff.role === "manager";
}

export const MIN_PASSWORD_LENGTH = 12;
