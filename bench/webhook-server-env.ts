/**
 * The server's settings for a benchmark that sends the webhook workload: its wrong-signature share must never
 * meet the hourly unsigned budget, and one log line per delivery at info would be the benchmark's own cost.
 */
export function webhookBenchServerEnv(
  databaseUrl: string,
  secrets: { webhook: string; submission: string },
): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    CAL_WEBHOOK_SECRET: secrets.webhook,
    SUBMISSION_TOKEN_SECRET: secrets.submission,
    NEXT_PUBLIC_CAL_LINK: "bench/intro-call",
    WEBHOOK_UNVERIFIED_LIMIT_PER_HOUR: "1000000",
    WEBHOOK_UNVERIFIED_BYTES_PER_HOUR: String(1024 * 1024 * 1024),
    LOG_LEVEL: "warn",
  };
}
