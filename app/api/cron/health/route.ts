import { alertConfigOf } from "@/lib/alerts/alert-config";
import { runScheduledChecks } from "@/lib/alerts/run-scheduled-checks";
import { auditChainConfigOf } from "@/lib/audit/audit-chain-config";
import { runBackfill } from "@/lib/backfill/run-backfill";
import { getDatabase } from "@/lib/db/client";
import { isDatabaseUnavailable } from "@/lib/db/errors";
import { retentionPolicyOf, serverEnv, submissionTokenKeys } from "@/lib/env";
import { hasBearerSecret } from "@/lib/http/bearer-secret";
import { causeOf, logger } from "@/lib/log/logger";
import { purgeExpiredData } from "@/lib/retention/purge-expired-data";

const answer = (status: number, body: unknown) =>
  Response.json(body, { status, headers: { "cache-control": "no-store" } });

/**
 * The scheduler's entry point (Vercel Cron or any scheduler that sends `Authorization: Bearer $CRON_SECRET`):
 * the backfill first when Cal.com's API is configured (what it finds should not alert), then the audit chain
 * (sealed, signed, anchored, verified in full) and the health check, then retention (a no-op when nothing
 * expired).
 */
export async function GET(request: Request): Promise<Response> {
  const env = serverEnv();
  if (!env.CRON_SECRET)
    return answer(503, { error: "not_configured", message: "Set CRON_SECRET to enable scheduled checks." });
  if (!hasBearerSecret(request.headers, env.CRON_SECRET)) return answer(401, { error: "unauthorized" });
  try {
    const db = await getDatabase();
    const submissionKeys = submissionTokenKeys(env);
    const backfill =
      env.CAL_API_KEY && submissionKeys
        ? await runBackfill(
            db,
            { baseUrl: env.CAL_API_URL, apiKey: env.CAL_API_KEY },
            {
              since: new Date(Date.now() - env.CAL_BACKFILL_WINDOW_HOURS * 3_600_000),
              submissionKeys,
            },
          ).catch((error: unknown) => {
            logger().error({ event: "job.backfill_failed", cause: causeOf(error) }, "backfill failed");
            return { error: error instanceof Error ? error.message : "backfill failed" };
          })
        : { skipped: "CAL_API_KEY is not set" };
    const { auditChain, anchorPosted, health } = await runScheduledChecks(db, {
      alerts: alertConfigOf(env),
      chain: auditChainConfigOf(env),
      chatUrl: env.SLACK_WEBHOOK_URL,
      anchorChatHours: env.AUDIT_ANCHOR_CHAT_HOURS,
    });
    const retention = await purgeExpiredData(db, retentionPolicyOf(env));
    const firing = health.verdicts
      .filter((verdict) => verdict.evaluated && verdict.firing)
      .map((verdict) => verdict.rule);
    logger().info(
      {
        event: "job.scheduled_checks",
        backfill,
        retention,
        auditChain: { sealed: auditChain.sealed, verdict: auditChain.verdict },
        firing,
        sent: health.sent.length,
        unsent: health.unsent.length,
      },
      "scheduled checks ran",
    );
    return answer(200, {
      backfill,
      retention,
      auditChain: {
        sealed: auditChain.sealed,
        checkpoint: auditChain.checkpoint,
        verdict: auditChain.verdict,
        anchorPosted,
      },
      firing,
      sent: health.sent,
      unsent: health.unsent,
    });
  } catch (error) {
    if (!isDatabaseUnavailable(error)) throw error;
    logger().error(
      { event: "job.scheduled_checks_failed", cause: causeOf(error) },
      "scheduled checks could not reach the database",
    );
    return answer(503, { error: "database_unavailable" });
  }
}
