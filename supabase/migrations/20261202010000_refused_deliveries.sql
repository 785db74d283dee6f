-- Deliveries answered 503 because the database could not be reached. Cal.com does not retry on our status code,
-- so each such delivery is lost unless the backfill reads its booking back from Cal.com's API. A server keeps the
-- window in memory while the database is away and writes it here once it answers; the backfill then reads from
-- before the window's start and marks it recovered, and the alert check says when nothing can (no CAL_API_KEY).
create table public.refused_delivery_windows (
  id bigint generated always as identity primary key,
  first_refused_at timestamptz not null,
  last_refused_at timestamptz not null,
  refused_count integer not null,
  recorded_at timestamptz not null default now(),
  recovered_at timestamptz,
  recovered_by text,
  constraint refused_delivery_windows_order_check check (first_refused_at <= last_refused_at),
  constraint refused_delivery_windows_count_check check (refused_count > 0)
);

create index refused_delivery_windows_open_idx on public.refused_delivery_windows (first_refused_at) where recovered_at is null;

alter table public.refused_delivery_windows enable row level security;
create policy booking_handoff_app_all on public.refused_delivery_windows to booking_handoff_app using (true) with check (true);
grant select, insert, update on public.refused_delivery_windows to booking_handoff_app;

do $$
declare
  v_role text;
begin
  foreach v_role in array array['anon', 'authenticated'] loop
    if exists (select 1 from pg_roles where rolname = v_role) then
      execute format('revoke all on public.refused_delivery_windows from %I', v_role);
    end if;
  end loop;
end;
$$;
