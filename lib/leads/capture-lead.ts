import { createHash } from "node:crypto";
import { z } from "zod";
import type { Database } from "../db/database";
import { hitRateLimit } from "../db/queries/rate-limit-hits";
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
export async function captureLead(db: Database, raw: unknown, context: CaptureContext): Promise<CaptureResult> {
  const input = leadInputSchema.safeParse(raw);
  if (!input.success) return { kind: "invalid", fieldErrors: z.flattenError(input.error).fieldErrors };
  const bucket = `lead:${createHash("sha256").update(context.client).digest("hex").slice(0, 32)}`;
  if (!(await hitRateLimit(db.sql, bucket, 600, context.limitPer10Minutes))) return { kind: "rate_limited" };
  return { kind: "created", lead: await createLead(db, input.data, context.submissionKeys) };
}

/** The client address as the first proxy in front of us saw it. */
export function clientAddress(headers: Headers): string {
  return headers.get("x-forwarded-for")?.split(",")[0]?.trim() || headers.get("x-real-ip") || "unknown";
}
