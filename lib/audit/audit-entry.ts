import type { Sql } from "../db/database";
import { empty, fragment, runFragment } from "../db/fragment";
import type { AuditParams } from "./audit-params";
import { auditFilter } from "./audit-filter";

export interface AuditEntryRow {
  /** The entry's own id: the trail's order of writing, and the keyset of its pages. */
  id: number;
  /** Its place in the sealed chain; null for the second or so before the sealer reaches it. */
  seq: number | null;
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
  /** The seal's HMAC, under the app's AUDIT_CHAIN_KEY. */
  sealMac: string | null;
}

export const AUDIT_PAGE_SIZE = 50;

/** Audit rows newest first, `limit` at a time below the entry id `beforeId`, each with its seal. */
export function readAuditEntries(sql: Sql, params: AuditParams, beforeId: number | undefined, limit: number) {
  const keyset = beforeId === undefined ? empty : fragment`and a.id < ${beforeId}`;
  return runFragment<AuditEntryRow>(
    sql,
    fragment`
    select a.id, s.seq, to_char(a.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as "occurredAt",
      a.actor_type as "actorType", a.actor_id as "actorId", a.actor_email as "actorEmail", a.actor_role as "actorRole",
      a.action, a.lead_id as "leadId", a.failure_id as "failureId", a.webhook_event_id as "webhookEventId", a.before,
      a.after, a.reason, a.request_context as "requestContext", s.mac as "sealMac"
    from public.audit_log a left join public.audit_seals s on s.entry_id = a.id
    where ${auditFilter(params)} ${keyset}
    order by a.id desc
    limit ${limit}`,
  );
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
