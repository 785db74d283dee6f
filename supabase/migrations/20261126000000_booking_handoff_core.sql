-- Booking Handoff core schema: leads, every accepted webhook delivery, the failure queue,
-- the stage history and the append-only audit log.
--
-- Runs unchanged on PostgreSQL 15 (Supabase, CI) and on PGlite. Row-level security is on for every
-- table with no policies, and nothing is granted to the browser roles: only our server code, connected
-- as the database owner, reads or writes these tables.

create table public.leads (
  id uuid primary key default gen_random_uuid(),
  submission_id text not null,
  name text not null,
  email text not null,
  phone text,
  company text,
  message text,
  stage text not null default 'new',
  cal_booking_uid text,
  previous_booking_uids text[] not null default '{}',
  booking_start timestamptz,
  booking_end timestamptz,
  -- Cal.com's view of the current booking: pending, accepted, cancelled, reschedule_requested, rejected.
  booking_status text,
  booking_status_reason text,
  attendee_no_show boolean,
  meeting_ended boolean not null default false,
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint leads_submission_id_key unique (submission_id),
  constraint leads_stage_check check (stage in (
    'new', 'booking_requested', 'call_booked', 'call_cancelled', 'booking_rejected', 'call_completed', 'no_show'
  )),
  constraint leads_booking_status_check check (booking_status in (
    'pending', 'accepted', 'cancelled', 'reschedule_requested', 'rejected'
  ))
);

create index leads_cal_booking_uid_idx on public.leads (cal_booking_uid);
create index leads_previous_booking_uids_idx on public.leads using gin (previous_booking_uids);
create index leads_email_idx on public.leads (lower(email));

-- One row per distinct event (idempotency_key); exact re-deliveries bump delivery_count.
create table public.webhook_events (
  id uuid primary key default gen_random_uuid(),
  idempotency_key text not null,
  source text not null default 'webhook',
  received_at timestamptz not null default now(),
  last_received_at timestamptz not null default now(),
  delivery_count integer not null default 1,
  verification text not null,
  webhook_version text,
  signature_header text,
  body_sha256 text not null,
  raw_body text not null,
  trigger_event text,
  event_created_at timestamptz,
  booking_uid text,
  reschedule_uid text,
  submission_token text,
  attendee_email text,
  attendee_name text,
  -- The parsed, normalised event the planner folds; null when the body could not be parsed.
  event jsonb,
  lead_id uuid references public.leads (id),
  outcome text,
  constraint webhook_events_idempotency_key_key unique (idempotency_key),
  constraint webhook_events_verification_check check (verification in ('verified', 'unverified')),
  constraint webhook_events_outcome_check check (outcome in ('applied', 'duplicate', 'stale', 'ignored', 'queued'))
);

create index webhook_events_lead_id_idx on public.webhook_events (lead_id);
create index webhook_events_booking_uid_idx on public.webhook_events (booking_uid);
create index webhook_events_unverified_received_idx on public.webhook_events (received_at)
  where verification = 'unverified';

create table public.webhook_failures (
  id uuid primary key default gen_random_uuid(),
  webhook_event_id uuid not null references public.webhook_events (id),
  reason text not null,
  -- Why, in words staff can act on (for example which field of an unsupported payload failed to parse).
  detail text,
  status text not null default 'open',
  created_at timestamptz not null default now(),
  resolved_at timestamptz,
  resolved_by text,
  resolution text,
  resolution_note text,
  resolved_lead_id uuid references public.leads (id),
  constraint webhook_failures_event_key unique (webhook_event_id),
  constraint webhook_failures_reason_check check (reason in (
    'unverified', 'unmatched', 'invalid_submission_token', 'unsupported_payload'
  )),
  constraint webhook_failures_status_check check (status in ('open', 'resolved', 'discarded'))
);

create index webhook_failures_open_idx on public.webhook_failures (status, reason, created_at);

create table public.lead_stage_changes (
  id uuid primary key default gen_random_uuid(),
  lead_id uuid not null references public.leads (id),
  from_stage text not null,
  to_stage text not null,
  webhook_event_id uuid not null references public.webhook_events (id),
  changed_at timestamptz not null default now(),
  -- A duplicate event can never book a stage change twice.
  constraint lead_stage_changes_event_key unique (webhook_event_id)
);

create index lead_stage_changes_lead_idx on public.lead_stage_changes (lead_id, changed_at);

create table public.audit_log (
  id bigint generated always as identity primary key,
  occurred_at timestamptz not null default now(),
  actor_type text not null,
  actor_id text not null,
  actor_email text,
  actor_role text,
  action text not null,
  lead_id uuid references public.leads (id),
  webhook_event_id uuid references public.webhook_events (id),
  failure_id uuid references public.webhook_failures (id),
  before jsonb,
  after jsonb,
  reason text,
  request_context jsonb,
  constraint audit_log_actor_type_check check (actor_type in ('system', 'staff'))
);

create index audit_log_lead_idx on public.audit_log (lead_id, occurred_at);

-- The audit log is append-only: the database itself refuses to change or remove a row.
create function public.audit_log_refuse_change() returns trigger
language plpgsql as $$
begin
  raise exception 'audit_log is append-only: % is not allowed', tg_op
    using errcode = 'insufficient_privilege';
end;
$$;

create trigger audit_log_no_update_delete
  before update or delete on public.audit_log
  for each row execute function public.audit_log_refuse_change();

create trigger audit_log_no_truncate
  before truncate on public.audit_log
  for each statement execute function public.audit_log_refuse_change();

alter table public.leads enable row level security;
alter table public.webhook_events enable row level security;
alter table public.webhook_failures enable row level security;
alter table public.lead_stage_changes enable row level security;
alter table public.audit_log enable row level security;

-- Supabase grants table privileges to its browser roles by default; take them back. The roles exist only
-- on Supabase, so the revoke is conditional and this file stays valid on plain PostgreSQL and PGlite.
do $$
declare
  browser_role text;
begin
  foreach browser_role in array array['anon', 'authenticated'] loop
    if exists (select 1 from pg_roles where rolname = browser_role) then
      execute format('revoke all on all tables in schema public from %I', browser_role);
      execute format('revoke all on all sequences in schema public from %I', browser_role);
      execute format('revoke all on all functions in schema public from %I', browser_role);
      execute format('alter default privileges in schema public revoke all on tables from %I', browser_role);
      execute format('alter default privileges in schema public revoke all on sequences from %I', browser_role);
      execute format('alter default privileges in schema public revoke all on functions from %I', browser_role);
    end if;
  end loop;
end;
$$;
