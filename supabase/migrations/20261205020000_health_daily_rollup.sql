-- The health page at a million deliveries: each closed UTC day's counts are kept in health_daily_flow, so a
-- page reads at most 90 small rows a class plus today's live deliveries. The counts stay exact: a day is
-- rolled up from webhook_events when it is first read, and any later write that would change it (a repeat
-- delivery of an old event, a late tie to a lead, a row stored with an earlier time) marks it stale in the
-- same transaction, so the next read rolls it up again. Writes about today mark nothing.
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

-- Row triggers whose WHEN clause is false for every write about today, so the webhook's own path never calls the
-- function (an AFTER trigger whose condition fails is not even queued).
create function public.mark_health_day_stale() returns trigger
language plpgsql set search_path = '' as $$
declare
  v_today date := (now() at time zone 'UTC')::date;
  v_day date;
begin
  -- The day the row is in, and the day it left should an update move its time; today is never rolled up.
  foreach v_day in array array[(new.received_at at time zone 'UTC')::date,
                                case when tg_op = 'UPDATE' then (old.received_at at time zone 'UTC')::date end] loop
    if v_day < v_today then
      insert into public.health_stale_days (day) values (v_day) on conflict do nothing;
    end if;
  end loop;
  return null;
end;
$$;
-- Triggers run it; nobody calls it (PostgreSQL grants EXECUTE to PUBLIC on every new function).
revoke all on function public.mark_health_day_stale() from public;

create trigger webhook_events_health_insert
  after insert on public.webhook_events
  for each row when (new.received_at < date_trunc('day', now() at time zone 'UTC') at time zone 'UTC')
  execute function public.mark_health_day_stale();
create trigger webhook_events_health_update
  after update on public.webhook_events
  for each row when (
    least(old.received_at, new.received_at) < date_trunc('day', now() at time zone 'UTC') at time zone 'UTC'
    and (old.received_at, old.outcome, old.verification, old.delivery_count, old.lead_id)
      is distinct from (new.received_at, new.outcome, new.verification, new.delivery_count, new.lead_id))
  execute function public.mark_health_day_stale();

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
