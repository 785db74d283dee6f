import type { Database } from "../db/database";
import { verifySubmissionToken } from "./submission-token";

export interface BookingLead {
  name: string;
  email: string;
}

/** The lead a /book link belongs to, or null for a missing, malformed, forged or unknown token. */
export async function findLeadByToken(db: Database, token: string | null, secret: string): Promise<BookingLead | null> {
  const submissionId = token ? verifySubmissionToken(token, secret) : null;
  if (!submissionId) return null;
  const [lead] = await db.sql<BookingLead>`select name, email from public.leads where submission_id = ${submissionId}`;
  return lead ?? null;
}
