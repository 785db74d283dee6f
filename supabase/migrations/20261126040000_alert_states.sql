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

select public.revoke_from_browser_roles('public.alert_states');
