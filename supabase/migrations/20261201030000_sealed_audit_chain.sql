-- An audit chain the database alone cannot forge, with no lock across any transaction (#11, #13).
--
-- Before: an insert trigger took one chain-wide advisory lock until commit and hashed each entry with a function
-- anyone holding the tables could call, so every writer queued behind every other and the owner could re-hash.
-- Now an entry is a plain insert. After commit the application's sealer (lib/audit/seal-audit-chain.ts) gives
-- committed entries their place in the chain, in the order it first sees them, and signs each with
-- HMAC(AUDIT_CHAIN_KEY, seq | previous mac | the entry), a key the database never holds. Signed checkpoints of the
-- head are taken often and copied outside the database, so cutting entries off the end is detected too.
--
-- Which entries a pass may have missed: `xact_id` is the inserting transaction, and each seal records the oldest
-- transaction still running when its pass began (`horizon`). Every transaction older than that had finished and
-- was seen, so the next pass reads only entries at or after it.

drop trigger audit_log_chain on public.audit_log;
drop function public.audit_log_chain_append();
drop function public.audit_log_row_hash(text, public.audit_log);

alter table public.audit_log drop constraint audit_log_chain_seq_key;
alter table public.audit_log drop column chain_seq;
alter table public.audit_log drop column prev_hash;
alter table public.audit_log drop column row_hash;
alter table public.audit_log add column xact_id xid8 not null default pg_current_xact_id();
create index audit_log_xact_idx on public.audit_log (xact_id);

create table public.audit_seals (
  seq bigint primary key,
  entry_id bigint not null references public.audit_log (id),
  mac text not null,
  key_id text not null,
  horizon xid8 not null,
  sealed_at timestamptz not null default now(),
  constraint audit_seals_entry_key unique (entry_id)
);

-- An entry's content as the chain signs it: every column the app wrote and the database's time, as text (jsonb in
-- PostgreSQL's own canonical spelling), so the sealer and the verifier read exactly the same bytes.
create view public.audit_entry_text with (security_invoker = true) as
select a.id, a.xact_id, a.id::text as entry_id,
  to_char(a.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as occurred_at,
  a.actor_type, a.actor_id, a.actor_email, a.actor_role, a.action, a.lead_id::text as lead_id,
  a.webhook_event_id::text as webhook_event_id, a.failure_id::text as failure_id, a.before::text as before,
  a.after::text as after, a.reason, a.request_context::text as request_context
from public.audit_log a;

-- A signed head: (seq, mac) at the app's time, under the key. Copied out as a log line and a chat message.
create table public.audit_checkpoints (
  id bigint generated always as identity primary key,
  head_seq bigint not null,
  head_mac text not null,
  signed_at timestamptz not null,
  key_id text not null,
  mac text not null,
  created_at timestamptz not null default now()
);
create index audit_checkpoints_head_idx on public.audit_checkpoints (head_seq);

-- The retention anchor: the chain now starts after `seq`, whose mac is the link the next seal names.
drop table public.audit_chain_anchor;
create table public.audit_chain_anchor (
  id boolean primary key default true,
  seq bigint not null,
  mac text not null,
  purged_at timestamptz not null default now(),
  constraint audit_chain_anchor_single_row check (id)
);

-- How long the audit trail is kept; the owner sets it (npm run db:migrate copies RETENTION_AUDIT_DAYS here).
create table public.retention_settings (
  id boolean primary key default true,
  audit_days integer not null default 365,
  constraint retention_settings_single_row check (id),
  constraint retention_settings_audit_days_check check (audit_days >= 30)
);
insert into public.retention_settings (id) values (true);

-- Entries and seals are append-only. The only delete is the retention purge below, inside its own transaction.
create or replace function public.audit_log_refuse_change() returns trigger
language plpgsql set search_path = '' as $$
begin
  if tg_op = 'DELETE' and current_setting('booking_handoff.audit_purge', true) = 'on' then
    return old;
  end if;
  raise exception '% is append-only: % is not allowed', tg_table_name, tg_op
    using errcode = 'insufficient_privilege';
end;
$$;

create trigger audit_seals_no_update_delete
  before update or delete on public.audit_seals
  for each row execute function public.audit_log_refuse_change();
create trigger audit_seals_no_truncate
  before truncate on public.audit_seals
  for each statement execute function public.audit_log_refuse_change();
create trigger audit_checkpoints_no_update_delete
  before update or delete on public.audit_checkpoints
  for each row execute function public.audit_log_refuse_change();

-- Times the purge relies on are the database's own, whatever an insert names.
create function public.stamp_created_now() returns trigger
language plpgsql set search_path = '' as $$
begin
  if tg_table_name = 'audit_seals' then
    new.sealed_at := now();
  else
    new.created_at := now();
  end if;
  return new;
end;
$$;
create trigger audit_seals_stamp before insert on public.audit_seals
  for each row execute function public.stamp_created_now();
create trigger audit_checkpoints_stamp before insert on public.audit_checkpoints
  for each row execute function public.stamp_created_now();

-- The retention purge, the only way entries leave: it computes the cut-off itself from retention_settings (never
-- from its caller) and removes a prefix of the chain that was sealed, and covered by a checkpoint, before the
-- cut-off. It runs with the owner's rights, so the app's role needs no DELETE; the anchor it writes is the mac
-- of the last removed seal, which the verifier checks against a checkpoint signed before the cut-off.
create function public.purge_expired_audit_entries() returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_cutoff timestamptz;
  v_current bigint;
  v_edge bigint;
  v_mac text;
  v_removed bigint;
begin
  select now() - make_interval(days => audit_days) into v_cutoff from public.retention_settings;
  select seq into v_current from public.audit_chain_anchor;
  select least(
    (select max(head_seq) from public.audit_checkpoints where created_at < v_cutoff),
    (select max(seq) from public.audit_seals where sealed_at < v_cutoff))
  into v_edge;
  if v_edge is null or v_edge <= coalesce(v_current, 0) then
    return jsonb_build_object('removed', 0, 'anchorSeq', v_current);
  end if;
  select mac into v_mac from public.audit_seals where seq = v_edge;
  if v_mac is null then
    return jsonb_build_object('removed', 0, 'anchorSeq', v_current);
  end if;
  insert into public.audit_chain_anchor (id, seq, mac) values (true, v_edge, v_mac)
  on conflict (id) do update set seq = excluded.seq, mac = excluded.mac, purged_at = now();
  perform set_config('booking_handoff.audit_purge', 'on', true);
  with gone as (delete from public.audit_seals where seq <= v_edge returning entry_id)
  delete from public.audit_log where id in (select entry_id from gone);
  get diagnostics v_removed = row_count;
  perform set_config('booking_handoff.audit_purge', 'off', true);
  return jsonb_build_object('removed', v_removed, 'anchorSeq', v_edge);
end;
$$;

alter table public.audit_seals enable row level security;
alter table public.audit_checkpoints enable row level security;
alter table public.audit_chain_anchor enable row level security;
alter table public.retention_settings enable row level security;
