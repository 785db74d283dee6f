"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { staffAction } from "@/lib/auth/guards";
import { getDatabase } from "@/lib/db/client";
import { serverEnv, submissionTokenKeys } from "@/lib/env";
import { applyFailureToLead } from "@/lib/failure-queue/apply-failure-to-lead";
import { BULK_LIMIT, type BulkItemResult, decideInBulk } from "@/lib/failure-queue/decide-in-bulk";
import { discardFailure } from "@/lib/failure-queue/discard-failure";
import { listMatchingFailureIds } from "@/lib/failure-queue/list-failures";
import { nextOpenHref } from "@/lib/failure-queue/open-neighbours";
import { parseQueueParams } from "@/lib/failure-queue/queue-params";
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

/**
 * A decision or a conflict redraws the page in the same round trip, so the user sees the state as it now is.
 * A decision made "& next" also says where the next open item is, read after this one left the queue.
 */
async function settle(result: DecisionResult & { link?: unknown }, andNextOf?: string) {
  if (result.kind !== "refused") revalidatePath("/admin", "layout");
  // The link's full before/after stays on the server: the redrawn page shows it.
  const { link, ...answer } = result;
  const nextHref =
    andNextOf && answer.kind === "done"
      ? await nextOpenHref((await getDatabase()).sql, andNextOf)
      : undefined;
  return { ok: true as const, result: (nextHref ? { ...answer, nextHref } : answer) as DecisionResult };
}

const andNext = z.boolean().default(false);

export const applyFailureAction = staffAction(
  "staff",
  z.object({
    failureId: z.uuid(),
    leadId: z.uuid(),
    failureVersion: version,
    leadVersion: version,
    overrideUnverified: z.boolean().default(false),
    reason: reason
      .transform((value) => value || null)
      .nullable()
      .default(null),
    andNext,
  }),
  async (input, caller) =>
    settle(
      await applyFailureToLead(await getDatabase(), input, caller),
      input.andNext ? input.failureId : undefined,
    ),
);

export const discardFailureAction = staffAction(
  "staff",
  z.object({ failureId: z.uuid(), version, reason: requiredReason, andNext }),
  async (input, caller) =>
    settle(
      await discardFailure(await getDatabase(), input, caller),
      input.andNext ? input.failureId : undefined,
    ),
);

export const reopenFailureAction = staffAction(
  "staff",
  z.object({ failureId: z.uuid(), version, reason: reason.transform((value) => value || null) }),
  async (input, caller) => settle(await reopenFailure(await getDatabase(), input, caller)),
);

export const retryFailureAction = staffAction(
  "staff",
  z.object({ failureId: z.uuid() }),
  async (input, caller) =>
    settle(await retryFailureMatch(await getDatabase(), input, caller, submissionKeys())),
);

export const bulkFailureAction = staffAction(
  "staff",
  z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("retry"), failureIds: z.array(z.uuid()).min(1).max(BULK_LIMIT) }),
    z.object({
      kind: z.literal("discard"),
      failureIds: z.array(z.uuid()).min(1).max(BULK_LIMIT),
      reason: requiredReason,
    }),
  ]),
  async (input, caller): Promise<{ ok: true; results: BulkItemResult[] }> => {
    const results = await decideInBulk(await getDatabase(), input, caller, submissionKeys());
    revalidatePath("/admin", "layout");
    return { ok: true, results };
  },
);

/** The most items "select all matching" takes at once; the count says when a filter matches more. */
const SELECT_ALL_LIMIT = 10_000;

/**
 * "Select all N matching": every item the queue's current filters match, read again on the server from its
 * URL.
 */
export const matchingFailuresAction = staffAction(
  "staff",
  z.object({ search: z.string().max(4000) }),
  async (input): Promise<{ ok: true; ids: string[]; limit: number }> => {
    const params = parseQueueParams(Object.fromEntries(new URLSearchParams(input.search)));
    const ids = await listMatchingFailureIds((await getDatabase()).sql, params, SELECT_ALL_LIMIT);
    return { ok: true, ids, limit: SELECT_ALL_LIMIT };
  },
);
