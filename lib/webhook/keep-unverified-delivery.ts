import type { Database } from "../db/database";
import { reserveRateLimit } from "../db/queries/rate-limit-hits";
import { type DeliveryRecord, recordDelivery } from "../db/queries/webhook-events";
import { enqueueFailure } from "../db/queries/webhook-failures";

/** What unauthenticated traffic may store per hour: a count and a byte budget, whichever ends first. */
export interface UnverifiedBudget {
  perHour: number;
  bytesPerHour: number;
}

/** Staff judge a failed signature by what the body claims; beyond this much, nothing real needs keeping. */
export const UNVERIFIED_BODY_PREFIX_BYTES = 64 * 1024;

const HOUR_SECONDS = 3600;

class BudgetSpent extends Error {}

/** The part of an unsigned body worth keeping, and a note for staff when it was cut. */
export function unverifiedBodyPrefix(body: Uint8Array): { kept: Uint8Array; note: string | null } {
  if (body.length <= UNVERIFIED_BODY_PREFIX_BYTES) return { kept: body, note: null };
  const kib = (bytes: number) => `${Math.round(bytes / 1024)} KiB`;
  return {
    kept: body.subarray(0, UNVERIFIED_BODY_PREFIX_BYTES),
    note: `only the first ${kib(UNVERIFIED_BODY_PREFIX_BYTES)} of ${kib(body.length)} kept`,
  };
}

/**
 * Stores an unsigned delivery and queues it for staff, within the hour's budget. A repeat of a stored body
 * only counts up. A new one reserves its place in the count and its bytes in the budget inside the same
 * transaction as the insert, so concurrent posts admit exactly the budget; past it, nothing is written.
 */
export async function keepUnverifiedDelivery(
  db: Database,
  record: DeliveryRecord,
  detail: string,
  budget: UnverifiedBudget,
): Promise<"stored" | "duplicate" | "dropped"> {
  const bytes = Buffer.byteLength(record.rawBody);
  try {
    return await db.transaction(async (tx) => {
      const stored = await recordDelivery(tx, record);
      if (!stored.inserted) return "duplicate";
      const admitted =
        (await reserveRateLimit(tx, "unverified-deliveries", HOUR_SECONDS, budget.perHour)) &&
        (await reserveRateLimit(tx, "unverified-bytes", HOUR_SECONDS, budget.bytesPerHour, bytes));
      if (!admitted) throw new BudgetSpent();
      await enqueueFailure(tx, stored.id, "unverified", detail);
      return "stored";
    });
  } catch (error) {
    if (error instanceof BudgetSpent) return "dropped";
    throw error;
  }
}
