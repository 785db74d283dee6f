import { createHash } from "node:crypto";
import type { Sql } from "../db/database";
import { currentRateLimitHits, hitRateLimit } from "../db/queries/rate-limit-hits";

export const LOCKOUT_WINDOW_SECONDS = 15 * 60;
export const FAILED_ATTEMPTS_PER_ACCOUNT = 5;
export const FAILED_ATTEMPTS_PER_CLIENT = 20;

export interface LoginAttempt {
  email: string;
  /** The client address; only its hash is stored. */
  client: string;
}

const bucketsOf = (attempt: LoginAttempt) => {
  const hash = (value: string) => createHash("sha256").update(value).digest("hex").slice(0, 32);
  return { account: `login-account:${hash(attempt.email.trim().toLowerCase())}`, client: `login-client:${hash(attempt.client)}` };
};

/**
 * Failed sign-ins are counted per account and per client address in the database (so the limit holds
 * across instances); past either limit no password is checked until the window ends.
 */
export async function isLockedOut(sql: Sql, attempt: LoginAttempt): Promise<boolean> {
  const buckets = bucketsOf(attempt);
  const [account, client] = await Promise.all([
    currentRateLimitHits(sql, buckets.account, LOCKOUT_WINDOW_SECONDS),
    currentRateLimitHits(sql, buckets.client, LOCKOUT_WINDOW_SECONDS),
  ]);
  return account >= FAILED_ATTEMPTS_PER_ACCOUNT || client >= FAILED_ATTEMPTS_PER_CLIENT;
}

export async function recordFailedLogin(sql: Sql, attempt: LoginAttempt): Promise<void> {
  const buckets = bucketsOf(attempt);
  await hitRateLimit(sql, buckets.account, LOCKOUT_WINDOW_SECONDS, FAILED_ATTEMPTS_PER_ACCOUNT);
  await hitRateLimit(sql, buckets.client, LOCKOUT_WINDOW_SECONDS, FAILED_ATTEMPTS_PER_CLIENT);
}
