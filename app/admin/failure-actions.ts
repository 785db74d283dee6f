"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { staffAction } from "@/lib/auth/guards";
import { getDatabase } from "@/lib/db/client";
import { serverEnv, submissionTokenKeys } from "@/lib/env";
import { applyFailureToLead } from "@/lib/failure-queue/apply-failure-to-lead";
import { BULK_LIMIT, type BulkItemResult, decideInBulk } from "@/lib/failure-queue/decide-in-bulk";
import { discardFailure } from "@/lib/failure-queue/discard-failure";
import { reopenFailure } from "@/lib/failure-queue/reopen-failure";
import { retryFailureMatch } from "@/lib/failure-queue/retry-failure-match";
import type { DecisionResult } from "@/lib/failure-queue/staff-decision";
import { CONTROL_CHARACTER_MESSAGE, MULTI_LINE } from "@/lib/http/plain-text";

/** Every queue decision: staff or manager, parsed by zod, one transaction with its audit row each. */
const reason = z.string().trim().max(1000).regex(MULTI_LINE, CONTROL_CHARACTER_MESSAGE);
const requiredReason = reason.min(1, "Say why.");
const version = z.number().int().positive();

// With no secret configured, no token verifies: matching then goes by booking uid alone.
const submissionKeys = () => submissionTokenKeys(serverEnv()) ?? { secrets: [], ttlDays: 1 };

/** A decision or a conflict redraws the page in the same round trip, so the user sees the state as it now is. */
async function settle(result: DecisionResult & { link?: unknown }) {
  if (result.kind !== "refused") revalidatePath("/admin", "layout");
  // The link's full before/after stays on the server: the redrawn page shows it.
  const { link, ...answer } = result;
  return { ok: true as const, result: answer as DecisionResult };
}

export const applyFailureAction = staffAction(
  "staff",
  z.object({
    failureId: z.uuid(),
    leadId: z.uuid(),
    failureVersion: version,
    leadVersion: version,
    overrideUnverified: z.boolean().default(false),
    reason: reason.transform((value) => value || null).nullable().default(null),
  }),
  async (input, caller) => settle(await applyFailureToLead(await getDatabase(), input, caller)),
);

export const discardFailureAction = staffAction(
  "staff",
  z.object({ failureId: z.uuid(), version, reason: requiredReason }),
  async (input, caller) => settle(await discardFailure(await getDatabase(), input, caller)),
);

export const reopenFailureAction = staffAction(
  "staff",
  z.object({ failureId: z.uuid(), version, reason: reason.transform((value) => value || null) }),
  async (input, caller) => settle(await reopenFailure(await getDatabase(), input, caller)),
);

export const retryFailureAction = staffAction(
  "staff",
  z.object({ failureId: z.uuid() }),
  async (input, caller) => settle(await retryFailureMatch(await getDatabase(), input, caller, submissionKeys())),
);

export const bulkFailureAction = staffAction(
  "staff",
  z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("retry"), failureIds: z.array(z.uuid()).min(1).max(BULK_LIMIT) }),
    z.object({ kind: z.literal("discard"), failureIds: z.array(z.uuid()).min(1).max(BULK_LIMIT), reason: requiredReason }),
  ]),
  async (input, caller): Promise<{ ok: true; results: BulkItemResult[] }> => {
    const results = await decideInBulk(await getDatabase(), input, caller, submissionKeys());
    revalidatePath("/admin", "layout");
    return { ok: true, results };
  },
);
