import type { Sql } from "../db/database";

export type TimelineEntry =
  | {
      kind: "event";
      at: Date;
      trigger: string | null;
      outcome: string | null;
      /** How its queue item was resolved, if it was queued. */
      resolution: string | null;
      eventId: string;
      /** Its queue item, if it was queued. */
      failureId: string | null;
      deliveryCount: number;
      bookingUid: string | null;
    }
  | { kind: "stage"; at: Date; from: string; to: string; eventId: string }
  | {
      kind: "action";
      at: Date;
      action: string;
      actorType: string;
      actorEmail: string | null;
      reason: string | null;
      before: Record<string, unknown> | null;
      after: Record<string, unknown> | null;
      failureId: string | null;
    };

/**
 * Everything that happened to a lead, oldest first: its events, its stage changes, and every audited action.
 */
export async function loadLeadTimeline(sql: Sql, leadId: string): Promise<TimelineEntry[]> {
  const [events, stages, actions] = await Promise.all([
    sql<Extract<TimelineEntry, { kind: "event" }>>`
      select 'event' as kind, e.received_at as at, e.trigger_event as trigger, e.outcome, f.resolution, e.id as "eventId", f.id as "failureId",
        e.delivery_count as "deliveryCount", e.booking_uid as "bookingUid"
      from public.webhook_events e left join public.webhook_failures f on f.webhook_event_id = e.id
      where e.lead_id = ${leadId}`,
    sql<Extract<TimelineEntry, { kind: "stage" }>>`
      select 'stage' as kind, changed_at as at, from_stage as from, to_stage as to, webhook_event_id as "eventId"
      from public.lead_stage_changes where lead_id = ${leadId}`,
    sql<Extract<TimelineEntry, { kind: "action" }>>`
      select 'action' as kind, occurred_at as at, action, actor_type as "actorType", actor_email as "actorEmail",
        reason, before, after, failure_id as "failureId"
      from public.audit_log where lead_id = ${leadId} order by id limit 500`,
  ]);
  const order = { event: 0, stage: 1, action: 2 } as const;
  return [...events, ...stages, ...actions].sort(
    (a, b) => new Date(a.at).getTime() - new Date(b.at).getTime() || order[a.kind] - order[b.kind],
  );
}
