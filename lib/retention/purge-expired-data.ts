import type { Database, Sql } from "../db/database";
import { appendAudit } from "../db/queries/audit-log";

export interface RetentionPolicy {
  bodyDays: number;
  auditDays: number;
}

export interface PurgeReport {
  bodiesPurged: number;
  auditEntriesPurged: number;
  /** The audit chain now starts after this entry (null: nothing was ever removed). */
  chainAnchorSeq: number | null;
  rateLimitRowsPurged: number;
  cspReportsPurged: number;
}

export const RETENTION_ACTOR = { type: "system", id: "retention" } as const;

/**
 * Raw bodies older than the period lose their bytes and signature. A delivery linked to a lead keeps its
 * parsed event (the lead's state is folded from it, and it holds nothing the lead row does not); any other
 * loses the attendee's details and token too. Identity, outcome and failure decisions stay.
 */
async function purgeBodies(sql: Sql, bodyDays: number): Promise<number> {
  const rows = await sql<{ id: string }>`
    update public.webhook_events set
      raw_body = '', signature_header = null, body_purged_at = now(),
      event = case when lead_id is null then null else event end,
      attendee_email = case when lead_id is null then null else attendee_email end,
      attendee_name = case when lead_id is null then null else attendee_name end,
      submission_token = case when lead_id is null then null else submission_token end
    where body_purged_at is null and received_at < now() - make_interval(days => ${bodyDays}::int)
    returning id`;
  return rows.length;
}

/**
 * Removes the oldest audit entries, a prefix of the chain: up to the entry before the first one that is
 * still inside the period. The anchor (that entry's sequence and hash) is written first, in the same
 * transaction, and the database only lets this transaction delete entries at or before it.
 */
async function purgeAuditPrefix(sql: Sql, auditDays: number): Promise<{ purged: number; anchorSeq: number | null }> {
  const [edge] = await sql<{ seq: number | null; hash: string | null }>`
    select a.chain_seq as seq, a.row_hash as hash from public.audit_log a
    where a.chain_seq = coalesce(
      (select min(chain_seq) from public.audit_log where occurred_at >= now() - make_interval(days => ${auditDays}::int)),
      (select max(chain_seq) + 1 from public.audit_log)) - 1`;
  const [current] = await sql<{ seq: number }>`select seq from public.audit_chain_anchor`;
  if (!edge?.seq || !edge.hash || (current && edge.seq <= current.seq)) return { purged: 0, anchorSeq: current?.seq ?? null };
  await sql`
    insert into public.audit_chain_anchor (id, seq, row_hash) values (true, ${edge.seq}, ${edge.hash})
    on conflict (id) do update set seq = excluded.seq, row_hash = excluded.row_hash, purged_at = now()`;
  await sql`select set_config('booking_handoff.audit_purge', 'on', true)`;
  const deleted = await sql<{ seq: number }>`delete from public.audit_log where chain_seq <= ${edge.seq} returning chain_seq as seq`;
  await sql`select set_config('booking_handoff.audit_purge', 'off', true)`;
  return { purged: deleted.length, anchorSeq: edge.seq };
}

/** The retention job: bodies, then the audit prefix, then the small tables' old rows; a run that removed anything is audited. */
export async function purgeExpiredData(db: Database, policy: RetentionPolicy): Promise<PurgeReport> {
  const bodiesPurged = await db.transaction((tx) => purgeBodies(tx, policy.bodyDays));
  return db.transaction(async (tx) => {
    const audit = await purgeAuditPrefix(tx, policy.auditDays);
    const rateLimits = await tx<{ n: number }>`
      delete from public.rate_limit_hits where window_start < now() - interval '1 day' returning 1 as n`;
    const cspReports = await tx<{ n: number }>`
      delete from public.csp_reports where received_at < now() - make_interval(days => ${policy.bodyDays}::int) returning 1 as n`;
    const report: PurgeReport = {
      bodiesPurged,
      auditEntriesPurged: audit.purged,
      chainAnchorSeq: audit.anchorSeq,
      rateLimitRowsPurged: rateLimits.length,
      cspReportsPurged: cspReports.length,
    };
    // Audited when it removed something: a scheduler calling it every few minutes must not fill the trail.
    const removed = report.bodiesPurged + report.auditEntriesPurged + report.rateLimitRowsPurged + report.cspReportsPurged;
    if (removed > 0) await appendAudit(tx, { actor: RETENTION_ACTOR, action: "retention.purged", after: { ...report, ...policy } });
    return report;
  });
}
