"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { auditChainConfigOf } from "@/lib/audit/audit-chain-config";
import { checkWholeChain } from "@/lib/audit/check-whole-chain";
import { serverEnv } from "@/lib/env";
import { staffAction } from "@/lib/auth/guards";
import { getDatabase } from "@/lib/db/client";

/** Managers only: a full pass over the hash chain, recorded and audited. */
export const verifyChainAction = staffAction("manager", z.object({}), async (_input, caller) => {
  const verdict = await checkWholeChain(await getDatabase(), auditChainConfigOf(serverEnv()), caller);
  revalidatePath("/admin/audit");
  const message = verdict.intact
    ? `Whole chain intact: ${verdict.rows} entries verified.`
    : `Chain broken${verdict.brokenSeq ? ` at #${verdict.brokenSeq}` : ""}: ${verdict.problem}.`;
  return { ok: true, result: { kind: verdict.intact ? ("done" as const) : ("conflict" as const), message } };
});
