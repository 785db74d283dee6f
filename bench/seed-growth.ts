import type { Database } from "../lib/db/database";

export interface GrowthSizes {
  leads: number;
  deliveries: number;
  openFailures: number;
}

/**
 * A year of use, written by the database itself (generate_series): `leads` leads, each delivery tied to one
 * of them with its booking uid held in booking_uids, and `openFailures` unmatched deliveries waiting in the
 * queue. Bodies are short: the webhook's lookups go by uid and key, not by body.
 */
export async function seedGrowth(db: Database, sizes: GrowthSizes): Promise<void> {
  await db.sql`
    insert into public.leads (submission_id, name, email, stage, created_at)
    select 'grow_' || n, 'Grown Lead ' || n, 'grown' || n || '@client.example', 'call_booked', now() - (n || ' seconds')::interval
    from generate_series(1, ${sizes.leads}::int) as n`;
  await db.sql`
    insert into public.webhook_events (idempotency_key, verification, body_sha256, raw_body, trigger_event, event_created_at,
      booking_uid, event, outcome, lead_id, received_at, last_received_at)
    select 'grow:' || n, 'verified', md5(n::text), '{"grown":' || n || '}', 'BOOKING_CREATED', now() - (n || ' seconds')::interval,
      'growuid' || n, jsonb_build_object('trigger', 'BOOKING_CREATED', 'bookingUid', 'growuid' || n), 'applied', l.id,
      now() - (n || ' seconds')::interval, now() - (n || ' seconds')::interval
    from generate_series(1, ${sizes.deliveries}::int) as n
    join public.leads l on l.submission_id = 'grow_' || (1 + n % ${sizes.leads}::int)`;
  await db.sql`
    insert into public.booking_uids (uid, lead_id, tied_at)
    select booking_uid, lead_id, received_at from public.webhook_events where idempotency_key like 'grow:%'`;
  await db.sql`
    insert into public.webhook_events (idempotency_key, verification, body_sha256, raw_body, trigger_event, event_created_at,
      booking_uid, event, outcome, received_at, last_received_at)
    select 'grow-queued:' || n, 'verified', md5('q' || n), '{"queued":' || n || '}', 'BOOKING_CREATED', now() - (n || ' seconds')::interval,
      'growqueued' || n, jsonb_build_object('trigger', 'BOOKING_CREATED', 'bookingUid', 'growqueued' || n), 'queued',
      now() - (n || ' seconds')::interval, now() - (n || ' seconds')::interval
    from generate_series(1, ${sizes.openFailures}::int) as n`;
  await db.sql`
    insert into public.webhook_failures (webhook_event_id, reason, status, created_at)
    select id, 'unmatched', 'open', received_at from public.webhook_events where idempotency_key like 'grow-queued:%'`;
  // As autovacuum would by now: statistics, and the visibility map that index-only scans rely on.
  await db.sql`vacuum analyze`;
}
