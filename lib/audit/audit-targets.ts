import type { Sql } from "../db/database";
import { fragment, runFragment } from "../db/fragment";
import { ITEM_LABEL } from "../failure-queue/list-failures";

/** What the entries on an audit page are about, by name: each lead and each queue item they point to. */
export interface AuditTargets {
  leads: Map<string, { name: string; email: string }>;
  failures: Map<string, { label: string; trigger: string | null }>;
}

export async function readAuditTargets(
  sql: Sql,
  entries: readonly { leadId: string | null; failureId: string | null }[],
): Promise<AuditTargets> {
  const leadIds = [...new Set(entries.flatMap((entry) => (entry.leadId ? [entry.leadId] : [])))];
  const failureIds = [...new Set(entries.flatMap((entry) => (entry.failureId ? [entry.failureId] : [])))];
  const [leads, failures] = await Promise.all([
    leadIds.length === 0
      ? []
      : sql<{
          id: string;
          name: string;
          email: string;
        }>`select id, name, email from public.leads where id = any(${leadIds}::uuid[])`,
    failureIds.length === 0
      ? []
      : runFragment<{ id: string; label: string; trigger: string | null }>(
          sql,
          fragment`
          select f.id, ${ITEM_LABEL} as label, e.trigger_event as trigger
          from public.webhook_failures f join public.webhook_events e on e.id = f.webhook_event_id
          where f.id = any(${failureIds}::uuid[])`,
        ),
  ]);
  return {
    leads: new Map(leads.map((lead) => [lead.id, { name: lead.name, email: lead.email }])),
    failures: new Map(
      failures.map((failure) => [failure.id, { label: failure.label, trigger: failure.trigger }]),
    ),
  };
}
