-- Which health alerts are firing, so one condition alerts once when it starts and once when it clears,
-- not on every check. RLS on, nothing granted to the browser roles.

create table public.alert_states (
  rule text primary key,
  firing boolean not null default false,
  since timestamptz,
  last_value double precision,
  last_checked_at timestamptz not null default now(),
  last_notified_at timestamptz
);

alter table public.alert_states enable row level security;

do $$
declare
  browser_role text;
begin
  foreach browser_role in array array['anon', 'authenticated'] loop
    if exists (select 1 from pg_roles where rolname = browser_role) then
      execute format('revoke all on public.alert_states from %I', browser_role);
    end if;
  end loop;
end;
$$;
