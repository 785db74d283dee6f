/** Who an audit entry names: a staff member, or one of the system's own jobs. */
export interface Actor {
  type: "system" | "staff";
  id: string;
  email?: string | null;
  role?: string | null;
}

export const WEBHOOK_ACTOR: Actor = { type: "system", id: "cal-webhook" };
export const BACKFILL_ACTOR: Actor = { type: "system", id: "cal-backfill" };
export const RETENTION_ACTOR: Actor = { type: "system", id: "retention" };
