import type { Database } from "../lib/db/database";
import {
  type SubmissionTokenKeys,
  issueSubmissionToken,
  newSubmissionId,
} from "../lib/leads/submission-token";
import type { BenchLead } from "./webhook-workload";

/**
 * The same leads (same submission IDs) for each database of a run, inserted in one statement per database.
 */
export function makeBenchLeads(count: number, firstIndex: number, keys: SubmissionTokenKeys): BenchLead[] {
  return Array.from({ length: count }, (_, offset) => {
    const index = firstIndex + offset;
    const submissionId = newSubmissionId();
    return {
      index,
      submissionId,
      token: issueSubmissionToken(submissionId, keys),
      email: `bench${index}@client.example`,
    };
  });
}

export async function insertBenchLeads(db: Database, leads: BenchLead[]): Promise<void> {
  await db.sql`
    insert into public.leads (submission_id, name, email)
    select submission_id, 'Bench Lead ' || n, email
    from unnest(${leads.map((l) => l.submissionId)}::text[], ${leads.map((l) => l.email)}::text[], ${leads.map((l) => l.index)}::int[])
      as t(submission_id, email, n)`;
}
