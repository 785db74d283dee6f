import type { Database } from "../db/database";
import { insertLead } from "../db/queries/leads";
import type { LeadInput } from "./lead-input";
import { newSubmissionId, signSubmissionId } from "./submission-token";

export interface CreatedLead {
  id: string;
  /** The signed token `<id>.<mac>`: what /book puts into Cal.com's `metadata[submissionId]`. */
  submissionId: string;
  bookingUrl: string;
}

export function bookingUrlFor(token: string): string {
  return `/book?submission=${encodeURIComponent(token)}`;
}

export async function createLead(db: Database, input: LeadInput, submissionSecret: string): Promise<CreatedLead> {
  const lead = await insertLead(db.sql, { ...input, submissionId: newSubmissionId() });
  const token = signSubmissionId(lead.submission_id, submissionSecret);
  return { id: lead.id, submissionId: token, bookingUrl: bookingUrlFor(token) };
}
