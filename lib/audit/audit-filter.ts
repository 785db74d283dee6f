import { type Fragment, allOf, fragment } from "../db/fragment";
import { containsPattern } from "../db/like-pattern";
import { utcDayRange } from "../db/utc-day-range";
import type { AuditParams } from "./audit-params";

/** The WHERE clause for the audit filters (on audit_log `a`), shared by the page and the export. */
export function auditFilter(params: AuditParams): Fragment {
  const parts: Fragment[] = [];
  if (params.actor) {
    const pattern = containsPattern(params.actor);
    parts.push(fragment`(a.actor_email ilike ${pattern} or a.actor_id = ${params.actor})`);
  }
  if (params.action) parts.push(fragment`a.action = ${params.action}`);
  if (params.lead) parts.push(fragment`a.lead_id = ${params.lead}::uuid`);
  if (params.failure) parts.push(fragment`a.failure_id = ${params.failure}::uuid`);
  parts.push(...utcDayRange(fragment`a.occurred_at`, params.from, params.to));
  return allOf(parts);
}
