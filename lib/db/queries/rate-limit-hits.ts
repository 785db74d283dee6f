import { createHash } from "node:crypto";
import type { Sql } from "../database";

/** A bucket per client (or account): the value is stored only as a hash. */
export const hashedBucket = (kind: string, value: string) =>
  `${kind}:${createHash("sha256").update(value).digest("hex").slice(0, 32)}`;

/** A slot held in a fixed window; `release` gives it back (a sign-in that turned out right). */
export interface RateLimitSlot {
  bucket: string;
  windowStart: Date;
  amount: number;
}

/**
 * Takes `amount` from `bucket`'s budget in the current fixed window, or nothing when that would pass
 * `limit`. The check and the reservation are one statement: concurrent callers queue on the window's row,
 * each sees the others' reservations, so exactly `limit` is ever admitted, across every server instance.
 */
export async function reserveRateLimit(
  sql: Sql,
  bucket: string,
  windowSeconds: number,
  limit: number,
  amount = 1,
): Promise<RateLimitSlot | null> {
  const [row] = await sql<{ windowStart: Date }>`
    insert into public.rate_limit_hits as h (bucket, window_start, hits)
    select ${bucket}, to_timestamp(floor(extract(epoch from now()) / ${windowSeconds}::integer) * ${windowSeconds}::integer),
      ${amount}::integer
    where ${amount}::integer <= ${limit}::integer
    on conflict (bucket, window_start) do update set hits = h.hits + excluded.hits
      where h.hits + excluded.hits <= ${limit}::integer
    returning window_start as "windowStart"`;
  return row ? { bucket, windowStart: new Date(row.windowStart), amount } : null;
}

export async function releaseRateLimit(sql: Sql, slot: RateLimitSlot): Promise<void> {
  await sql`
    update public.rate_limit_hits set hits = greatest(hits - ${slot.amount}::integer, 0)
    where bucket = ${slot.bucket} and window_start = ${slot.windowStart.toISOString()}::timestamptz`;
}
