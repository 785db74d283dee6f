-- Results of verifying the audit log's hash chain. A full pass over a million entries takes seconds, so a
-- manager (or a scheduled job) runs it and the result is kept; the audit page then only checks the entries
-- appended since the last intact pass. RLS on, nothing granted to the browser roles.

create table public.audit_chain_checks (
  id bigint generated always as identity primary key,
  checked_at timestamptz not null default now(),
  checked_by text not null,
  rows_checked bigint not null,
  head_seq bigint,
  head_hash text,
  intact boolean not null,
  broken_seq bigint,
  problem text
);

create index audit_chain_checks_checked_idx on public.audit_chain_checks (checked_at desc);

alter table public.audit_chain_checks enable row level security;

do $$
declare
  browser_role text;
begin
  foreach browser_role in array array['anon', 'authenticated'] loop
    if exists (select 1 from pg_roles where rolname = browser_role) then
      execute format('revoke all on public.audit_chain_checks from %I', browser_role);
    end if;
  end loop;
end;
$$;
