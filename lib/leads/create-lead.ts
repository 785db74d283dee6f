import type { Database } from "../db/database";
import { insertLead } from "../db/queries/leads";
import type { LeadInput } from "./lead-input";
import { type SubmissionTokenKeys, issueSubmissionToken, newSubmissionId } from "./submission-token";

export interface CreatedLead {
  id: string;
  /** The signed token `<id>.<expires>.<mac>`: what /book puts into Cal.com's `metadata[submissionId]`. */
  submissionId: string;
  bookingUrl: string;
}

export function bookingUrlFor(token: string): string {
  return `/book?submission=${encodeURIComponent(token)}`;
}

export async function createLead(
  db: Database,
  input: LeadInput,
  keys: SubmissionTokenKeys,
): Promise<CreatedLead> {
  const lead = await db.transaction((tx) => insertLead(tx, { ...input, submissionId: newSubmissionId() }));
  const token = issueSubmissionToken(lead.submission_id, keys);
  return { id: lead.id, submissionId: token, bookingUrl: bookingUrlFor(token) };
}
