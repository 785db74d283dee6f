import type { CalEvent } from "../lib/cal/event";
import type { Database } from "../lib/db/database";
import { foldLeadBookings, storedLeadState } from "../lib/reconcile/lead-state";
import type { BenchLead } from "./webhook-workload";

const OUTCOMES = ["applied", "duplicate", "stale", "ignored", "queued", "rejected"] as const;

/**
 * The benchmark's proof: every delivery answered with a known outcome and stored (or counted as a repeat),
 * every webhook change audited once, and every lead exactly in the state its events fold to. A run that
 * does not balance is a failed run, whatever its speed.
 */
/** What the tables held before the run (seeded data), so the ledger counts the run's own rows only. */
export interface LedgerBaseline {
  deliveries: number;
  applied: number;
  audits: number;
  stages: number;
}

export async function ledgerCounts(db: Database): Promise<LedgerBaseline> {
  const [counts] = await db.sql<LedgerBaseline>`
    select
      (select coalesce(sum(delivery_count), 0)::int from public.webhook_events) as deliveries,
      (select count(*)::int from public.webhook_events where outcome = 'applied') as applied,
      (select count(*)::int from public.audit_log where action = 'lead.updated_by_webhook') as audits,
      (select count(*)::int from public.lead_stage_changes) as stages`;
  return counts;
}

const NOTHING: LedgerBaseline = { deliveries: 0, applied: 0, audits: 0, stages: 0 };

export async function checkLedger(
  db: Database,
  sent: number,
  outcomes: Map<string, number>,
  leads: BenchLead[],
  eventsByLead: Map<number, CalEvent[]>,
  baseline: LedgerBaseline = NOTHING,
) {
  const problems: string[] = [];
  const answered = OUTCOMES.reduce((sum, outcome) => sum + (outcomes.get(outcome) ?? 0), 0);
  if (answered !== sent)
    problems.push(
      `answered ${answered} of ${sent} with a known outcome: ${JSON.stringify(Object.fromEntries(outcomes))}`,
    );

  const now = await ledgerCounts(db);
  const stored = {
    deliveries: now.deliveries - baseline.deliveries,
    applied: now.applied - baseline.applied,
    audits: now.audits - baseline.audits,
    stages: now.stages - baseline.stages,
  };
  if (stored.deliveries !== sent) problems.push(`stored ${stored.deliveries} deliveries, sent ${sent}`);
  if (stored.applied !== (outcomes.get("applied") ?? 0))
    problems.push(`${stored.applied} events stored as applied, ${outcomes.get("applied")} answered applied`);
  if (stored.audits !== stored.applied)
    problems.push(
      `${stored.audits} webhook audit rows for ${stored.applied} applied events (applied twice?)`,
    );

  const rows = await db.sql<{ id: string; submission_id: string }>`
    select id, submission_id from public.leads where submission_id = any(${leads.map((lead) => lead.submissionId)}::text[])`;
  const bySubmission = new Map(rows.map((row) => [row.submission_id, row.id]));
  let wrong = 0;
  for (const lead of leads) {
    const id = bySubmission.get(lead.submissionId);
    if (!id) continue;
    const expected = await foldLeadBookings(
      db.sql,
      eventsByLead.get(lead.index) ?? [],
      lead.email,
      lead.submissionId,
    );
    if (JSON.stringify(await storedLeadState(db.sql, id)) !== JSON.stringify(expected)) wrong += 1;
  }
  if (wrong > 0) problems.push(`${wrong} leads differ from the state their events fold to`);
  return { problems, stored };
}

export function formatOutcomes(outcomes: Map<string, number>): string {
  return [...outcomes]
    .sort()
    .map(([outcome, count]) => `${outcome} ${count}`)
    .join(", ");
}
