"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { staffAction } from "@/lib/auth/guards";
import { getDatabase } from "@/lib/db/client";
import type { DecisionResult } from "@/lib/failure-queue/staff-decision";
import { mergeLeads } from "@/lib/leads/merge-leads";

/** Merging a duplicate lead: staff or manager, against the versions the preview showed, audited. */
export const mergeLeadsAction = staffAction(
  "staff",
  z.object({
    duplicateId: z.uuid(),
    primaryId: z.uuid(),
    duplicateVersion: z.number().int().positive(),
    primaryVersion: z.number().int().positive(),
  }),
  async (input, caller) => {
    const { changes, versions, ...result } = await mergeLeads(await getDatabase(), input, caller);
    if (result.kind !== "refused") revalidatePath("/admin/leads", "layout");
    return { ok: true as const, result: result as DecisionResult };
  },
);
