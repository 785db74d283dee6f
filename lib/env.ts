import { z } from "zod";
import type { SubmissionTokenKeys } from "./leads/submission-token";
import type { RetentionPolicy } from "./retention/purge-expired-data";
import { type TrustedProxy, parseTrustedProxy } from "./http/client-address";
import { DEFAULT_POOL_SIZE } from "./db/pool-size";

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === "" ? undefined : value))
  .optional();

const booleanText = z.enum(["true", "false"]).transform((value) => value === "true");

/** Shorter than this, an HMAC secret can be guessed offline from one signed delivery. */
export const MIN_WEBHOOK_SECRET_LENGTH = 16;

/**
 * A comma-separated list of secrets: the first signs, every one verifies, so one can be rotated. A comma
 * therefore cannot be part of a secret; each one must be at least `minimum` characters.
 */
const secretList = (name: string, minimum: number) =>
  optionalText
    .transform((value) =>
      (value ?? "")
        .split(",")
        .map((secret) => secret.trim())
        .filter((secret) => secret.length > 0),
    )
    .pipe(
      z.array(
        z
          .string()
          .min(minimum, `each secret in ${name} (comma-separated) must be at least ${minimum} characters`),
      ),
    );

/**
 * Every environment variable the server reads, validated once. The README's configuration table lists
 * the same names; keep the two in step.
 */
const serverEnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: optionalText,
  // The schema owner's connection, for `npm run db:migrate` only; the server never uses it.
  DATABASE_MIGRATION_URL: optionalText,
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(DEFAULT_POOL_SIZE),
  // What is between the app and PostgreSQL: `transaction` (a transaction pooler: Supabase's port 6543,
  // PgBouncer in transaction mode), `session` (a session pooler or a direct connection), or `auto`: port 6543
  // means transaction, anything else is asked at start (lib/db/connection-pooler.ts).
  DATABASE_POOLER: z.enum(["auto", "transaction", "session"]).default("auto"),
  // Unset: on, except through a transaction pooler, where they cannot work.
  DATABASE_PREPARED_STATEMENTS: booleanText.optional(),
  // A request's transaction with no answer after this long is abandoned and answered 503 (Cal.com retries).
  DATABASE_TRANSACTION_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
  // The embedded database's folder. In production it is used only when set (an unset DATABASE_URL there is a
  // mistake to refuse, not a reason to start an empty database).
  PGLITE_DATA_DIR: optionalText,
  CAL_WEBHOOK_SECRET: secretList("CAL_WEBHOOK_SECRET", MIN_WEBHOOK_SECRET_LENGTH),
  SUBMISSION_TOKEN_SECRET: secretList("SUBMISSION_TOKEN_SECRET", 32),
  // How long a /book link stays good; bookings already tied keep matching by their uid after that.
  SUBMISSION_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  // Signs the audit chain; held by the app only, never stored in the database. Comma-separated to rotate.
  AUDIT_CHAIN_KEY: secretList("AUDIT_CHAIN_KEY", 32),
  // Where signed heads of the audit chain are also written, one JSON line each (self-hosting; optional).
  AUDIT_ANCHOR_FILE: optionalText,
  // How often the signed head also goes to the alert chat (every run still logs it).
  AUDIT_ANCHOR_CHAT_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 7)
    .default(24),
  // Unsigned deliveries kept for staff per hour: a count and a byte budget (each body at most 64 KiB).
  WEBHOOK_UNVERIFIED_LIMIT_PER_HOUR: z.coerce.number().int().min(0).max(1_000_000).default(100),
  WEBHOOK_UNVERIFIED_BYTES_PER_HOUR: z.coerce
    .number()
    .int()
    .min(0)
    .max(1024 * 1024 * 1024)
    .default(2 * 1024 * 1024),
  // Read at run time through this schema, never as `process.env.NEXT_PUBLIC_…`, which Next would freeze at
  // build.
  NEXT_PUBLIC_CAL_LINK: optionalText.pipe(
    z
      .string()
      .regex(
        /^[A-Za-z0-9][A-Za-z0-9._~/-]*$/,
        "NEXT_PUBLIC_CAL_LINK must be a Cal.com link such as team/intro-call",
      )
      .max(200)
      .optional(),
  ),
  NEXT_PUBLIC_CAL_ORIGIN: z
    .url({ protocol: /^https?$/ })
    .transform((value) => new URL(value).origin)
    .default("https://app.cal.com"),
  // How clients reach the app, so which address is theirs: none | 1-9 (appending proxies) | vercel |
  // cloudflare.
  TRUSTED_PROXY: z
    .string()
    .trim()
    .default("none")
    .transform((value, context): TrustedProxy => {
      const parsed = parseTrustedProxy(value);
      if (!parsed)
        context.addIssue({
          code: "custom",
          message: "TRUSTED_PROXY must be none, a number of proxies (1-9), vercel or cloudflare",
        });
      return parsed ?? { kind: "none" };
    }),
  // A request (headers and body) must have fully arrived by then, or it is answered 408 (server.mjs reads it
  // too).
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1000).max(300_000).default(10_000),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  LEAD_RATE_LIMIT_PER_10_MINUTES: z.coerce.number().int().min(1).default(5),
  CSP_REPORT_LIMIT_PER_HOUR: z.coerce.number().int().min(0).default(500),
  CSP_REPORT_LIMIT_PER_CLIENT_PER_HOUR: z.coerce.number().int().min(0).default(30),
  // Backfill from Cal.com's API v2: bookings whose webhook never arrived.
  CAL_API_KEY: optionalText,
  CAL_API_URL: z.url({ protocol: /^https?$/ }).default("https://api.cal.com"),
  CAL_BACKFILL_WINDOW_HOURS: z.coerce
    .number()
    .min(1)
    .max(24 * 30)
    .default(72),
  // Retention: raw webhook bodies (personal data) and the audit trail.
  RETENTION_BODY_DAYS: z.coerce.number().int().min(1).default(90),
  // Unsigned bodies are anyone's words: they go much sooner.
  RETENTION_UNVERIFIED_BODY_DAYS: z.coerce.number().int().min(1).default(7),
  RETENTION_AUDIT_DAYS: z.coerce.number().int().min(30).default(365),
  // Health alerts: where they go, and when each rule fires.
  SLACK_WEBHOOK_URL: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()),
  CRON_SECRET: optionalText.pipe(z.string().min(16, "CRON_SECRET must be at least 16 characters").optional()),
  ALERT_OPEN_ITEMS: z.coerce.number().int().min(1).default(25),
  ALERT_OLDEST_OPEN_HOURS: z.coerce.number().min(0.1).default(24),
  ALERT_UNVERIFIED_PER_HOUR: z.coerce.number().int().min(1).default(20),
  ALERT_SILENCE_HOURS: z.coerce.number().min(0.1).default(4),
  BUSINESS_HOURS: z
    .string()
    .regex(/^\d{1,2}-\d{1,2}$/, "BUSINESS_HOURS must look like 9-18")
    .default("9-18"),
  BUSINESS_DAYS: z
    .string()
    .regex(/^[1-7](-[1-7])?$/, "BUSINESS_DAYS must look like 1-5 (Monday to Friday)")
    .default("1-5"),
  BUSINESS_TIMEZONE: z
    .string()
    .trim()
    .refine((zone) => {
      try {
        new Intl.DateTimeFormat("en", { timeZone: zone });
        return true;
      } catch {
        return false;
      }
    }, "BUSINESS_TIMEZONE must be an IANA time zone such as Europe/Berlin")
    .default("UTC"),
  // Supabase Auth for /admin when both are set; otherwise the built-in staff login.
  NEXT_PUBLIC_SUPABASE_URL: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()),
  NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY: optionalText,
  NEXT_PUBLIC_SUPABASE_ANON_KEY: optionalText,
});

export type ServerEnv = z.infer<typeof serverEnvSchema>;

export function parseServerEnv(source: Record<string, string | undefined> = process.env): ServerEnv {
  // On Vercel (which sets VERCEL=1) the client's address is Vercel's own header unless something else is said.
  const onVercel = source.VERCEL === "1" && !source.TRUSTED_PROXY?.trim();
  const parsed = serverEnvSchema.safeParse(onVercel ? { ...source, TRUSTED_PROXY: "vercel" } : source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid server configuration:\n  ${problems.join("\n  ")}`);
  }
  return parsed.data;
}

let cached: ServerEnv | undefined;

export function serverEnv(): ServerEnv {
  cached ??= parseServerEnv();
  return cached;
}

export interface SupabaseSettings {
  url: string;
  key: string;
}

/** Supabase Auth's project URL and browser key, or null for the built-in staff login. */
export function supabaseSettings(env: ServerEnv): SupabaseSettings | null {
  const key = env.NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY ?? env.NEXT_PUBLIC_SUPABASE_ANON_KEY;
  return env.NEXT_PUBLIC_SUPABASE_URL && key ? { url: env.NEXT_PUBLIC_SUPABASE_URL, key } : null;
}

/** The keys that sign and check /book links, or null when none is configured. */
export function submissionTokenKeys(env: ServerEnv): SubmissionTokenKeys | null {
  return env.SUBMISSION_TOKEN_SECRET.length > 0
    ? { secrets: env.SUBMISSION_TOKEN_SECRET, ttlDays: env.SUBMISSION_TOKEN_TTL_DAYS }
    : null;
}

export function retentionPolicyOf(env: ServerEnv): RetentionPolicy {
  return { bodyDays: env.RETENTION_BODY_DAYS, unverifiedBodyDays: env.RETENTION_UNVERIFIED_BODY_DAYS };
}

export const DEFAULT_PGLITE_DATA_DIR = ".data/pglite";

/** The embedded database's folder (its default outside production). */
export const pgliteDataDir = (env: ServerEnv) => env.PGLITE_DATA_DIR ?? DEFAULT_PGLITE_DATA_DIR;

/** Names (never values) of the settings production cannot run without. */
export function missingProductionSettings(env: ServerEnv): string[] {
  const missing: string[] = [];
  if (env.CAL_WEBHOOK_SECRET.length === 0) missing.push("CAL_WEBHOOK_SECRET");
  if (env.SUBMISSION_TOKEN_SECRET.length === 0) missing.push("SUBMISSION_TOKEN_SECRET");
  if (!env.NEXT_PUBLIC_CAL_LINK) missing.push("NEXT_PUBLIC_CAL_LINK");
  if (!env.DATABASE_URL && !env.PGLITE_DATA_DIR)
    missing.push("DATABASE_URL (or PGLITE_DATA_DIR for the embedded database)");
  return missing;
}

/**
 * Production refuses to start without what it cannot run without: a webhook it could not verify, a /book page
 * with an empty frame, a database it would make up. Called at start by instrumentation.ts, which every way of
 * running the app runs (`npm start`, `next start`, the standalone server, Vercel); next.config.ts is not read
 * at run time by the last two.
 */
export function assertProductionSettings(env: ServerEnv): void {
  if (env.NODE_ENV !== "production") return;
  const missing = missingProductionSettings(env);
  if (missing.length === 0) return;
  throw new Error(
    `Booking Handoff cannot start in production without ${missing.join(" and ")}. ` +
      "Set them in the environment (see the README's configuration table), or run `npm run setup` to " +
      "generate local ones in .env.local.",
  );
}
