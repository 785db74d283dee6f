/**
 * npm run health:check — the same health check as /api/cron/health, for self-hosting (run it from cron).
 * Prints every rule's verdict and what was posted; exits 1 when a message could not be delivered.
 */
import { loadEnvConfig } from "@next/env";
import { alertConfigOf } from "../lib/alerts/alert-config";
import { runHealthCheck } from "../lib/alerts/run-health-check";
import { migrate } from "../lib/db/migrate";
import { parseServerEnv } from "../lib/env";
import { openScriptDatabase } from "./open-script-database";

loadEnvConfig(process.cwd());

async function main() {
  const env = parseServerEnv();
  const { db } = await openScriptDatabase(env);
  try {
    if (db.kind === "pglite") await migrate(db);
    const report = await runHealthCheck(db, alertConfigOf(env), env.SLACK_WEBHOOK_URL);
    for (const verdict of report.verdicts) {
      const state = !verdict.evaluated ? "not now" : verdict.firing ? "FIRING" : "ok";
      console.log(`${verdict.rule.padEnd(22)} ${state.padEnd(8)} ${verdict.message}`);
    }
    if (!env.SLACK_WEBHOOK_URL && report.sent.length > 0) console.log("\nSLACK_WEBHOOK_URL is not set: changes were recorded, not posted.");
    for (const sent of report.sent) console.log(`${env.SLACK_WEBHOOK_URL ? "posted" : "changed"}: ${sent.rule} ${sent.change}`);
    for (const unsent of report.unsent) console.log(`NOT posted (${unsent.problem}): ${unsent.rule} ${unsent.change}; the next check tries again`);
    if (report.unsent.length > 0) process.exitCode = 1;
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(`health:check failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
