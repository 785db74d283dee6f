-- The health page at a million deliveries: each closed UTC day's counts are kept in health_daily_flow, so a
-- page reads at most 90 small rows a class plus today's live deliveries. The counts stay exact: a day is
-- rolled up from webhook_events when it is first read, and any later write that would change it (a repeat
-- delivery of an old event, a late tie to a lead, a row stored with an earlier time) marks it stale in the
-- same transaction, so the next read rolls it up again. Writes for today mark nothing: the webhook's own
-- path only pays for one statement-level trigger that finds no old day.
create table public.health_daily_flow (
  day date not null,
  -- How each stored event ended, unverified deliveries apart (lib/health/daily-flow.ts).
  outcome text not null,
  events bigint not null,
  -- Deliveries beyond the first of an event.
  repeats bigint not null,
  -- Events tied to a lead.
  linked bigint not null,
  constraint health_daily_flow_pkey primary key (day, outcome)
);

-- A day listed here has been rolled up (a day without deliveries has no flow rows, but is still listed).
create table public.health_rolled_days (
  day date not null,
  rolled_at timestamptz not null default now(),
  constraint health_rolled_days_pkey primary key (day)
);

-- Closed days a later write changed: rolled up again on the next read.
create table public.health_stale_days (
  day date not null,
  constraint health_stale_days_pkey primary key (day)
);

create function public.mark_health_days_stale() returns trigger
language plpgsql set search_path = '' as $$
begin
  if tg_op = 'INSERT' then
    insert into public.health_stale_days (day)
    select distinct (n.received_at at time zone 'UTC')::date from changed_rows n
    where n.received_at < date_trunc('day', now() at time zone 'UTC') at time zone 'UTC'
    on conflict do nothing;
  else
    -- Both days, should an update move a row's time: the day it left and the day it joined.
    insert into public.health_stale_days (day)
    select distinct (moved.received_at at time zone 'UTC')::date
    from changed_rows n
      join previous_rows o on o.id = n.id
      cross join lateral (values (n.received_at), (o.received_at)) as moved (received_at)
    where moved.received_at < date_trunc('day', now() at time zone 'UTC') at time zone 'UTC'
      and (n.received_at, n.outcome, n.verification, n.delivery_count, n.lead_id)
        is distinct from (o.received_at, o.outcome, o.verification, o.delivery_count, o.lead_id)
    on conflict do nothing;
  end if;
  return null;
end;
$$;
-- Triggers run it; nobody calls it (PostgreSQL grants EXECUTE to PUBLIC on every new function).
revoke all on function public.mark_health_days_stale() from public;

create trigger webhook_events_health_insert
  after insert on public.webhook_events
  referencing new table as changed_rows
  for each statement execute function public.mark_health_days_stale();
create trigger webhook_events_health_update
  after update on public.webhook_events
  referencing old table as previous_rows new table as changed_rows
  for each statement execute function public.mark_health_days_stale();

alter table public.health_daily_flow enable row level security;
alter table public.health_rolled_days enable row level security;
alter table public.health_stale_days enable row level security;
create policy booking_handoff_app_all on public.health_daily_flow to booking_handoff_app using (true) with check (true);
create policy booking_handoff_app_all on public.health_rolled_days to booking_handoff_app using (true) with check (true);
create policy booking_handoff_app_all on public.health_stale_days to booking_handoff_app using (true) with check (true);
grant select, insert, update, delete on public.health_daily_flow, public.health_rolled_days, public.health_stale_days
  to booking_handoff_app;

do $$
declare
  v_role text;
begin
  foreach v_role in array array['anon', 'authenticated'] loop
    if exists (select 1 from pg_roles where rolname = v_role) then
      execute format('revoke all on public.health_daily_flow, public.health_rolled_days, public.health_stale_days from %I', v_role);
    end if;
  end loop;
end;
$$;

-- "Last event from Cal.com" (the page and the no-events alert) is the newest verified delivery, repeats included:
-- read from this index instead of every delivery.
create index webhook_events_last_verified_idx on public.webhook_events (last_received_at)
  where verification = 'verified';
