/** Every action the audit trail records, for the filter and for flagging the ones that need a second look. */
export const AUDIT_ACTIONS = [
  "lead.updated_by_webhook",
  "lead.updated_by_backfill",
  "backfill.run",
  "retention.purged",
  "failure.auto_matched",
  "failure.applied",
  "failure.applied_unverified_override",
  "failure.retry_matched",
  "failure.retry_unmatched",
  "failure.discarded",
  "failure.reopened",
  "lead.merged",
  "audit.exported",
  "audit.chain_verified",
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const FLAGGED_ACTIONS = new Set<string>(["failure.applied_unverified_override"]);
