import type { Sql } from "../db/database";
import { fragment, runFragment } from "../db/fragment";
import type { AuditParams } from "./audit-params";
import { auditFilter } from "./audit-filter";

export interface AuditEntryRow {
  seq: number;
  occurredAt: string;
  actorType: string;
  actorId: string;
  actorEmail: string | null;
  actorRole: string | null;
  action: string;
  leadId: string | null;
  failureId: string | null;
  webhookEventId: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  reason: string | null;
  requestContext: Record<string, unknown> | null;
  rowHash: string;
}

export const AUDIT_PAGE_SIZE = 50;

/** Audit rows in chain order, newest first, `limit` at a time below `beforeSeq`. */
export function readAuditEntries(sql: Sql, params: AuditParams, beforeSeq: number | undefined, limit: number) {
  const keyset = beforeSeq === undefined ? fragment`` : fragment`and chain_seq < ${beforeSeq}`;
  return runFragment<AuditEntryRow>(sql, fragment`
    select chain_seq as seq, to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as "occurredAt",
      actor_type as "actorType", actor_id as "actorId", actor_email as "actorEmail", actor_role as "actorRole", action,
      lead_id as "leadId", failure_id as "failureId", webhook_event_id as "webhookEventId", before, after, reason,
      request_context as "requestContext", row_hash as "rowHash"
    from public.audit_log
    where ${auditFilter(params)} ${keyset}
    order by chain_seq desc
    limit ${limit}`);
}

export interface FieldDiff {
  field: string;
  before: unknown;
  after: unknown;
}

/** The fields whose values differ between an entry's before and after. */
export function fieldDiff(entry: Pick<AuditEntryRow, "before" | "after">): FieldDiff[] {
  const before = entry.before ?? {};
  const after = entry.after ?? {};
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return fields
    .filter((field) => JSON.stringify(before[field]) !== JSON.stringify(after[field]))
    .map((field) => ({ field, before: before[field] ?? null, after: after[field] ?? null }));
}
