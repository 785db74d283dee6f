/**
 * npm run health:check — the same checks as /api/cron/health, for self-hosting (run it from cron): seal, sign
 * and anchor the audit chain and verify all of it, then the alert rules. Prints every verdict and what was
 * posted; exits 1 when the audit chain is broken or a message could not be delivered.
 */
import { loadEnvConfig } from "@next/env";
import { alertConfigOf } from "../lib/alerts/alert-config";
import { runScheduledChecks } from "../lib/alerts/run-scheduled-checks";
import { auditChainConfigOf } from "../lib/audit/audit-chain-config";
import { parseServerEnv } from "../lib/env";
import { openScriptDatabase } from "./open-script-database";

loadEnvConfig(process.cwd());

async function main() {
  const env = parseServerEnv();
  const { db } = await openScriptDatabase(env);
  try {
    const { auditChain, anchorPosted, health } = await runScheduledChecks(db, {
      alerts: alertConfigOf(env),
      chain: auditChainConfigOf(env),
      chatUrl: env.SLACK_WEBHOOK_URL,
      anchorChatHours: env.AUDIT_ANCHOR_CHAT_HOURS,
    });
    const { verdict } = auditChain;
    console.log(
      verdict.intact
        ? `audit chain           intact   ${verdict.rows} seals verified up to #${verdict.headSeq ?? 0}; ${auditChain.sealed} sealed now${anchorPosted ? "; head posted to the chat" : ""}`
        : `audit chain           BROKEN   ${verdict.problem}`,
    );
    for (const rule of health.verdicts) {
      const state = !rule.evaluated ? "not now" : rule.firing ? "FIRING" : "ok";
      console.log(`${rule.rule.padEnd(22)} ${state.padEnd(8)} ${rule.message}`);
    }
    if (!env.SLACK_WEBHOOK_URL && health.sent.length > 0)
      console.log("\nSLACK_WEBHOOK_URL is not set: changes were recorded, not posted.");
    for (const sent of health.sent)
      console.log(`${env.SLACK_WEBHOOK_URL ? "posted" : "changed"}: ${sent.rule} ${sent.change}`);
    for (const unsent of health.unsent)
      console.log(
        `NOT posted (${unsent.problem}): ${unsent.rule} ${unsent.change}; the next check tries again`,
      );
    if (health.unsent.length > 0 || !verdict.intact) process.exitCode = 1;
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(`health:check failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
