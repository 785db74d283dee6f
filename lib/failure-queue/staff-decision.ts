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
