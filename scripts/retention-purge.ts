/**
 * npm run retention:purge — removes raw webhook bodies past RETENTION_BODY_DAYS and audit entries past
 * RETENTION_AUDIT_DAYS (the chain keeps verifying from its anchor). The cron route runs the same job.
 */
import { loadEnvConfig } from "@next/env";
import { parseServerEnv, retentionPolicyOf } from "../lib/env";
import { purgeExpiredData } from "../lib/retention/purge-expired-data";
import { openScriptDatabase } from "./open-script-database";

loadEnvConfig(process.cwd());

async function main() {
  const env = parseServerEnv();
  const { db, where } = await openScriptDatabase(env);
  try {
    const report = await purgeExpiredData(db, retentionPolicyOf(env));
    console.log(
      `Retention in ${where} (bodies ${env.RETENTION_BODY_DAYS} days, audit trail ${report.auditDays} days):`,
    );
    console.log(
      `  bodies purged ${report.bodiesPurged}; audit entries removed ${report.auditEntriesPurged}` +
        `${report.chainAnchorSeq ? ` (the chain now starts after entry #${report.chainAnchorSeq})` : ""}; ` +
        `rate-limit rows ${report.rateLimitRowsPurged}; CSP reports ${report.cspReportsPurged}`,
    );
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(`retention:purge failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
