import type { Sql } from "../db/database";
import type { Actor } from "./actors";
import type { AuditAction } from "./audit-actions";

export interface AuditEntry {
  actor: Actor;
  action: AuditAction;
  leadId?: string | null;
  webhookEventId?: string | null;
  failureId?: string | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  reason?: string | null;
  requestContext?: Record<string, unknown> | null;
}

/**
 * Appends one entry; call it inside the transaction that makes the change it records. The sealer signs it
 * into the chain after commit (lib/audit/seal-audit-chain.ts). Webhook changes are written by the database's
 * own link function, with the same columns.
 */
export async function appendAudit(sql: Sql, entry: AuditEntry): Promise<void> {
  await sql`
    insert into public.audit_log (
      actor_type, actor_id, actor_email, actor_role, action, lead_id, webhook_event_id, failure_id,
      before, after, reason, request_context)
    values (
      ${entry.actor.type}, ${entry.actor.id}, ${entry.actor.email ?? null}, ${entry.actor.role ?? null},
      ${entry.action}, ${entry.leadId ?? null}, ${entry.webhookEventId ?? null}, ${entry.failureId ?? null},
      ${entry.before ?? null}::jsonb, ${entry.after ?? null}::jsonb, ${entry.reason ?? null},
      ${entry.requestContext ?? null}::jsonb)`;
}
