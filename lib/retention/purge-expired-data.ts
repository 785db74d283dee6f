import type { Database, Sql } from "../db/database";
import { RETENTION_ACTOR } from "../audit/actors";
import { appendAudit } from "../audit/append-audit";

/** How long raw bodies stay; the audit trail's period is the database's own (public.retention_settings). */
export interface RetentionPolicy {
  bodyDays: number;
  /** Bodies whose signature failed: anyone's words, kept only long enough for staff to look. */
  unverifiedBodyDays: number;
}

export interface PurgeReport {
  bodiesPurged: number;
  auditEntriesPurged: number;
  /** The audit chain now starts after this entry (null: nothing was ever removed). */
  chainAnchorSeq: number | null;
  rateLimitRowsPurged: number;
  cspReportsPurged: number;
  /** The audit trail's retention as the database applies it. */
  auditDays: number;
}

/**
 * Raw bodies older than the period lose their bytes and signature. A delivery linked to a lead keeps its
 * parsed event (the lead's state is folded from it, and it holds nothing the lead row does not); any other
 * loses the attendee's details and token too. Identity, outcome and failure decisions stay.
 */
async function purgeBodies(sql: Sql, policy: RetentionPolicy): Promise<number> {
  const rows = await sql<{ id: string }>`
    update public.webhook_events set
      raw_body = '', signature_header = null, body_purged_at = now(), claimed = null,
      event = case when lead_id is null then null else event end,
      attendee_email = case when lead_id is null then null else attendee_email end,
      attendee_name = case when lead_id is null then null else attendee_name end,
      submission_token = case when lead_id is null then null else submission_token end
    where body_purged_at is null and (
      received_at < now() - make_interval(days => ${policy.bodyDays}::int)
      or (verification = 'unverified' and received_at < now() - make_interval(days => ${policy.unverifiedBodyDays}::int)))
    returning id`;
  return rows.length;
}

/**
 * Removes the oldest audit entries through the database's own purge function: it computes the cut-off from
 * the retention setting the owner keeps (never from us) and removes a sealed prefix covered by an old
 * checkpoint, leaving an anchor the chain verifies from. The app's role cannot delete audit entries any other
 * way.
 */
async function purgeAuditPrefix(
  sql: Sql,
): Promise<{ purged: number; anchorSeq: number | null; auditDays: number }> {
  const [{ result, days }] = await sql<{
    result: { removed: number; anchorSeq: number | null };
    days: number;
  }>`
    select public.purge_expired_audit_entries() as result, (select audit_days from public.retention_settings) as days`;
  return { purged: result.removed, anchorSeq: result.anchorSeq, auditDays: days };
}

/**
 * The retention job: bodies, then the audit prefix, then the small tables' old rows; a run that removed
 * anything is audited.
 */
export async function purgeExpiredData(db: Database, policy: RetentionPolicy): Promise<PurgeReport> {
  const bodiesPurged = await db.transaction((tx) => purgeBodies(tx, policy));
  return db.transaction(async (tx) => {
    const audit = await purgeAuditPrefix(tx);
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
      auditDays: audit.auditDays,
    };
    // Audited when it removed something: a scheduler calling it every few minutes must not fill the trail.
    const removed =
      report.bodiesPurged + report.auditEntriesPurged + report.rateLimitRowsPurged + report.cspReportsPurged;
    if (removed > 0)
      await appendAudit(tx, {
        actor: RETENTION_ACTOR,
        action: "retention.purged",
        after: { ...report, ...policy },
      });
    return report;
  });
}
