-- Retention: raw webhook bodies are purged after a period (their event's identity and outcome stay), and
-- audit entries older than a year can be removed from the front of the chain. The chain then starts at an
-- anchor: the sequence number and hash of the last removed entry, so the rest still verifies. The database
-- allows a DELETE on audit_log only for entries at or before the anchor, and only when the purge job says so
-- for its own transaction. UPDATE and TRUNCATE stay refused. RLS on, nothing granted to the browser roles.

alter table public.webhook_events add column body_purged_at timestamptz;

create index webhook_events_unpurged_received_idx on public.webhook_events (received_at) where body_purged_at is null;

create table public.audit_chain_anchor (
  id boolean primary key default true,
  seq bigint not null,
  row_hash text not null,
  purged_at timestamptz not null default now(),
  constraint audit_chain_anchor_single_row check (id)
);

create or replace function public.audit_log_refuse_change() returns trigger
language plpgsql as $$
begin
  if tg_op = 'DELETE' and current_setting('booking_handoff.audit_purge', true) = 'on'
     and old.chain_seq <= (select seq from public.audit_chain_anchor) then
    return old;
  end if;
  raise exception 'audit_log is append-only: % is not allowed', tg_op
    using errcode = 'insufficient_privilege';
end;
$$;

-- A chain whose every entry was removed continues from its anchor, not from a new start.
create or replace function public.audit_log_chain_append() returns trigger
language plpgsql as $$
declare
  head record;
begin
  perform pg_advisory_xact_lock(hashtext('public.audit_log chain'));
  select chain_seq, row_hash into head from public.audit_log order by chain_seq desc limit 1;
  if not found then
    select seq as chain_seq, row_hash into head from public.audit_chain_anchor;
  end if;
  new.chain_seq := coalesce(head.chain_seq, 0) + 1;
  new.prev_hash := head.row_hash;
  new.row_hash := public.audit_log_row_hash(head.row_hash, new);
  return new;
end;
$$;

alter table public.audit_chain_anchor enable row level security;

do $$
declare
  browser_role text;
begin
  foreach browser_role in array array['anon', 'authenticated'] loop
    if exists (select 1 from pg_roles where rolname = browser_role) then
      execute format('revoke all on public.audit_chain_anchor from %I', browser_role);
    end if;
  end loop;
end;
$$;
