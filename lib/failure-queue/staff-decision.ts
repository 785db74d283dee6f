/**
 * What a decision came to. A conflict means someone changed the item since the page was drawn: nothing was
 * written. `outcome` says which way a retry went, and `href` where to look next.
 */
export type DecisionResult =
  | {
      kind: "done";
      message: string;
      leadId?: string | null;
      outcome?: "matched" | "suggestions" | "no_match";
      href?: string;
      /** For a decision made "& next": the next open item, or the queue when none is left. */
      nextHref?: string;
    }
  | { kind: "conflict"; message: string }
  | { kind: "refused"; message: string };

export const refused = (message: string): DecisionResult => ({ kind: "refused", message });
export const conflict = (message: string): DecisionResult => ({ kind: "conflict", message });

export function changedStatusMessage(status: string): string {
  return `This item is already ${status}: someone else decided it since you opened it.`;
}
