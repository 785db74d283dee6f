import type { Database } from "../lib/db/database";
import { makeBookingCreated } from "../lib/cal/payload-factories";
import { parseCalBody } from "../lib/cal/parse-cal-body";

/**
 * The console's data at scale, written by the database itself (generate_series): 100k leads, 1M stored
 * deliveries of which 100k wait in the failure queue, and 1M audit entries (the benchmark seals them after).
 */
export async function seedAdminData(
  db: Database,
  sizes: { leads: number; deliveries: number; failures: number; audits: number },
) {
  const sample = makeBookingCreated({
    uid: "SEEDUID",
    submissionToken: null,
    attendee: { name: "Seed Person", email: "seed@client.example" },
  });
  const parsed = parseCalBody(sample);
  if (parsed.kind !== "event") throw new Error("the sample event does not parse");
  const body = JSON.stringify(sample);

  await db.sql`
    insert into public.leads (submission_id, name, email, stage, created_at)
    select 'seed_' || n, 'Seed Person ' || n, 'seed' || n || '@client.example', 'call_booked',
      now() - (n || ' seconds')::interval
    from generate_series(1, ${sizes.leads}::int) as n`;
  await db.sql`
    insert into public.webhook_events (idempotency_key, verification, body_sha256, raw_body, trigger_event, event_created_at,
      booking_uid, attendee_email, attendee_name, event, outcome, received_at, last_received_at)
    select 'seed:' || n, case when n % 10 = 0 then 'unverified' else 'verified' end, md5(n::text),
      replace(${body}, 'SEEDUID', 'uid' || n),
      (array['BOOKING_CREATED', 'BOOKING_RESCHEDULED', 'BOOKING_CANCELLED'])[1 + n % 3],
      now() - (n || ' seconds')::interval, 'uid' || n, 'seed' || (n % ${sizes.leads}::int) || '@client.example',
      'Seed Person ' || (n % ${sizes.leads}::int),
      case when n % 10 = 0 then null else jsonb_set(${parsed.event}::jsonb, '{bookingUid}', to_jsonb('uid' || n)) end,
      case when n <= ${sizes.failures}::int then 'queued' else 'applied' end,
      now() - (n || ' seconds')::interval, now() - (n || ' seconds')::interval
    from generate_series(1, ${sizes.deliveries}::int) as n`;
  await db.sql`
    insert into public.webhook_failures (webhook_event_id, reason, status, created_at)
    select id, case when verification = 'unverified' then 'unverified' else 'unmatched' end,
      case when (substr(idempotency_key, 6))::int % 7 = 0 then 'discarded' else 'open' end, received_at
    from public.webhook_events where outcome = 'queued'`;
  await db.sql`
    insert into public.audit_log (actor_type, actor_id, actor_email, actor_role, action, reason, before, after, request_context)
    select 'staff', 'seed', 'staff' || (n % 20) || '@team.example', 'staff',
      (array['failure.applied', 'failure.discarded', 'lead.updated_by_webhook'])[1 + n % 3], 'seeded entry ' || n,
      jsonb_build_object('stage', 'new'), jsonb_build_object('stage', 'call_booked'),
      jsonb_build_object('ip', '198.51.100.' || (n % 250), 'userAgent', 'bench', 'requestId', 'r' || n)
    from generate_series(1, ${sizes.audits}::int) as n`;
  // As autovacuum would by now: statistics, and the visibility map that index-only scans rely on.
  await db.sql`vacuum analyze`;
}
