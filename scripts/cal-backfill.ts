/**
 * npm run cal:backfill -- --since 72h — asks Cal.com's API v2 for bookings updated since then (and for the
 * bookings our leads hold) and applies what the webhook never delivered. Needs CAL_API_KEY; without it,
 * says so and does nothing. On the embedded database, stop the app first (one process per folder).
 */
import { parseArgs } from "node:util";
import { loadEnvConfig } from "@next/env";
import { parseSince } from "../lib/backfill/parse-since";
import { runBackfill } from "../lib/backfill/run-backfill";
import { parseServerEnv, submissionTokenKeys } from "../lib/env";
import { openScriptDatabase } from "./open-script-database";

loadEnvConfig(process.cwd());

async function main() {
  const env = parseServerEnv();
  const { values } = parseArgs({
    options: { since: { type: "string", default: `${env.CAL_BACKFILL_WINDOW_HOURS}h` } },
  });
  if (!env.CAL_API_KEY) {
    console.log("CAL_API_KEY is not set: there is no Cal.com API to read, so nothing was backfilled.");
    return;
  }
  const submissionKeys = submissionTokenKeys(env);
  if (!submissionKeys) throw new Error("SUBMISSION_TOKEN_SECRET is not set (run npm run setup)");
  const since = parseSince(values.since ?? "");
  if (!since)
    throw new Error(
      `--since must be a duration such as 72h, 3d or 90m, or an ISO time; got "${values.since}"`,
    );
  const { db, where } = await openScriptDatabase(env);
  try {
    const report = await runBackfill(
      db,
      { baseUrl: env.CAL_API_URL, apiKey: env.CAL_API_KEY },
      { since, submissionKeys },
    );
    console.log(`Backfill into ${where}, bookings updated since ${report.since}:`);
    console.log(
      `  read ${report.fetched}; applied ${report.applied}; already delivered ${report.alreadyDelivered}; ` +
        `no change ${report.unchanged}; queued for staff ${report.queued}; not a lead event ${report.skipped}`,
    );
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(`cal:backfill failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
