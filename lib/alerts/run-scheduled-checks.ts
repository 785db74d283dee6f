import { anchorLine } from "../audit/audit-checkpoint";
import type { AuditChainConfig } from "../audit/audit-chain-config";
import { type AuditChainJobReport, runAuditChainJob } from "../audit/run-audit-chain-job";
import type { Database } from "../db/database";
import type { AlertConfig } from "./alert-rules";
import { postToChat } from "./post-to-chat";
import { type HealthCheckReport, runHealthCheck } from "./run-health-check";

const ANCHOR_RULE = "audit_anchor";

export interface ScheduledChecksReport {
  auditChain: AuditChainJobReport;
  /** Whether the signed head also went to the chat this run (at most once per `anchorChatHours`). */
  anchorPosted: boolean;
  health: HealthCheckReport;
}

/**
 * Posts the signed head to the chat when the last one posted is older than `hours`: a record outside the
 * database.
 */
async function postAnchor(
  db: Database,
  report: AuditChainJobReport,
  chatUrl: string | undefined,
  hours: number,
): Promise<boolean> {
  if (!chatUrl || !report.checkpoint) return false;
  const [due] = await db.sql<{ due: boolean }>`
    select coalesce((select last_notified_at < now() - make_interval(hours => ${hours}::int) from public.alert_states
      where rule = ${ANCHOR_RULE}), true) as due`;
  if (!due.due) return false;
  const posted = await postToChat(chatUrl, `Booking Handoff: ${anchorLine(report.checkpoint)}`);
  if (!posted.ok) return false;
  await db.sql`
    insert into public.alert_states (rule, firing, last_value, last_checked_at, last_notified_at)
    values (${ANCHOR_RULE}, false, ${report.checkpoint.headSeq}, now(), now())
    on conflict (rule) do update set last_value = excluded.last_value, last_checked_at = now(), last_notified_at = now()`;
  return true;
}

/**
 * Everything a scheduler call does about the audit chain and health: seal, sign and anchor the chain's head,
 * verify the whole chain, then evaluate the alert rules with that verdict (a broken chain alerts once, clears
 * once).
 */
export async function runScheduledChecks(
  db: Database,
  options: {
    alerts: AlertConfig;
    chain: AuditChainConfig;
    chatUrl: string | undefined;
    anchorChatHours: number;
  },
): Promise<ScheduledChecksReport> {
  const auditChain = await runAuditChainJob(db, options.chain, "health-check");
  const anchorPosted = await postAnchor(db, auditChain, options.chatUrl, options.anchorChatHours);
  const verdict = auditChain.verdict;
  const health = await runHealthCheck(db, options.alerts, options.chatUrl, new Date(), {
    intact: verdict.intact,
    problem: verdict.intact ? null : verdict.problem,
    headSeq: verdict.intact ? verdict.headSeq : null,
  });
  return { auditChain, anchorPosted, health };
}
