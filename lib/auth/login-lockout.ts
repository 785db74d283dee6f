import { createHash } from "node:crypto";
import type { Sql } from "../db/database";
import {
  type RateLimitSlot,
  hashedBucket,
  releaseRateLimit,
  reserveRateLimit,
} from "../db/queries/rate-limit-hits";
import { normalizeStaffEmail } from "./staff-email";

export const LOCKOUT_WINDOW_SECONDS = 15 * 60;
export const FAILED_ATTEMPTS_PER_ACCOUNT = 5;
export const FAILED_ATTEMPTS_PER_CLIENT = 20;

export interface LoginAttempt {
  email: string;
  /** The client address; only its hash is stored. */
  client: string;
}

/** The slots one attempt holds until its password is checked. */
export interface AttemptSlots {
  slots: RateLimitSlot[];
}

/** Names an account without its email (for buckets and log lines), by the form its lookup uses. */
export const accountHash = (email: string) =>
  createHash("sha256").update(normalizeStaffEmail(email)).digest("hex").slice(0, 32);

const bucketsOf = (attempt: LoginAttempt) => ({
  account: `login-account:${accountHash(attempt.email)}`,
  client: hashedBucket("login-client", attempt.client),
});

/**
 * Reserves this attempt's place among the failures allowed per account and per client address, before any
 * password is checked: concurrent attempts each take a slot or are refused, so no more than the limit is
 * ever checked in a window, however many arrive at once. Null when either limit is spent.
 */
export async function reserveLoginAttempt(sql: Sql, attempt: LoginAttempt): Promise<AttemptSlots | null> {
  const buckets = bucketsOf(attempt);
  const account = await reserveRateLimit(
    sql,
    buckets.account,
    LOCKOUT_WINDOW_SECONDS,
    FAILED_ATTEMPTS_PER_ACCOUNT,
  );
  if (!account) return null;
  const client = await reserveRateLimit(
    sql,
    buckets.client,
    LOCKOUT_WINDOW_SECONDS,
    FAILED_ATTEMPTS_PER_CLIENT,
  );
  if (!client) {
    await releaseRateLimit(sql, account);
    return null;
  }
  return { slots: [account, client] };
}

/** A right password: its reservation is given back, so only failures count against the limits. */
export async function releaseLoginAttempt(sql: Sql, reserved: AttemptSlots): Promise<void> {
  for (const slot of reserved.slots) await releaseRateLimit(sql, slot);
}
