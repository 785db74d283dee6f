import { z } from "zod";
import type { Database } from "../db/database";
import { hashedBucket, reserveRateLimit } from "../db/queries/rate-limit-hits";
import { type CreatedLead, createLead } from "./create-lead";
import { leadInputSchema } from "./lead-input";
import type { SubmissionTokenKeys } from "./submission-token";

export type CaptureResult =
  | { kind: "created"; lead: CreatedLead }
  | { kind: "invalid"; fieldErrors: Record<string, string[] | undefined> }
  | { kind: "rate_limited" };

export interface CaptureContext {
  /** Who is asking (an IP address); only its hash is stored. */
  client: string;
  submissionKeys: SubmissionTokenKeys;
  limitPer10Minutes: number;
}

/** The one path from untrusted input to a lead row, shared by the intake form and POST /api/leads. */
export async function captureLead(
  db: Database,
  raw: unknown,
  context: CaptureContext,
): Promise<CaptureResult> {
  const input = leadInputSchema.safeParse(raw);
  if (!input.success) return { kind: "invalid", fieldErrors: z.flattenError(input.error).fieldErrors };
  if (!(await reserveRateLimit(db.sql, hashedBucket("lead", context.client), 600, context.limitPer10Minutes)))
    return { kind: "rate_limited" };
  return { kind: "created", lead: await createLead(db, input.data, context.submissionKeys) };
}
