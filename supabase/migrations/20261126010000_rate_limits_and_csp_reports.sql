-- Fixed-window counters for public entry points (lead capture, CSP reports), and the browser's
-- Content-Security-Policy violation reports, so a site owner learns when Cal.com's embed needs more.
-- RLS on, nothing granted to the browser roles, as for every table.

create table public.rate_limit_hits (
  bucket text not null,
  window_start timestamptz not null,
  hits integer not null default 1,
  constraint rate_limit_hits_pkey primary key (bucket, window_start)
);

create table public.csp_reports (
  id bigint generated always as identity primary key,
  received_at timestamptz not null default now(),
  document_uri text,
  blocked_uri text,
  effective_directive text,
  disposition text,
  source_file text,
  sample text,
  user_agent text
);

create index csp_reports_received_idx on public.csp_reports (received_at);

alter table public.rate_limit_hits enable row level security;
alter table public.csp_reports enable row level security;

do $$
declare
  browser_role text;
begin
  foreach browser_role in array array['anon', 'authenticated'] loop
    if exists (select 1 from pg_roles where rolname = browser_role) then
      execute format('revoke all on public.rate_limit_hits, public.csp_reports from %I', browser_role);
    end if;
  end loop;
end;
$$;
