-- The admin console: staff accounts and their sessions, optimistic concurrency on the failure queue,
-- indexes for its keyset pages, and a hash chain that makes the append-only audit log tamper-evident.
-- RLS on, nothing granted to the browser roles, as for every table.

-- Who may use /admin, and as what. With Supabase Auth configured, `auth_user_id` ties a row to a
-- Supabase user and `password_hash` stays null; with the built-in login, `password_hash` holds a scrypt hash.
create table public.staff_users (
  id uuid primary key default gen_random_uuid(),
  email text not null,
  role text not null,
  password_hash text,
  auth_user_id uuid,
  disabled_at timestamptz,
  created_at timestamptz not null default now(),
  constraint staff_users_role_check check (role in ('staff', 'manager')),
  constraint staff_users_auth_user_id_key unique (auth_user_id)
);

create unique index staff_users_email_key on public.staff_users (lower(email));

-- Built-in login sessions. Only the SHA-256 of the cookie's token is stored, so a database reader
-- cannot sign in as anyone.
create table public.staff_sessions (
  id uuid primary key default gen_random_uuid(),
  token_hash text not null,
  staff_user_id uuid not null references public.staff_users (id),
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  revoked_at timestamptz,
  user_agent text,
  constraint staff_sessions_token_hash_key unique (token_hash)
);

create index staff_sessions_staff_user_idx on public.staff_sessions (staff_user_id);

-- A staff decision is taken against what the preview showed; `version` moves on every change so a
-- decision taken against an older state is refused.
alter table public.webhook_failures add column version integer not null default 1;

create index webhook_failures_created_idx on public.webhook_failures (created_at desc, id desc);
create index webhook_failures_status_created_idx on public.webhook_failures (status, created_at desc, id desc);
create index webhook_events_received_idx on public.webhook_events (received_at);
-- The failure detail lists every stored event about the same booking or body, and suggests leads by name.
create index webhook_events_body_sha256_idx on public.webhook_events (body_sha256);
create index webhook_events_reschedule_uid_idx on public.webhook_events (reschedule_uid);
create index leads_name_idx on public.leads (lower(name));
create index leads_created_idx on public.leads (created_at desc, id desc);
create index audit_log_occurred_idx on public.audit_log (occurred_at desc, id desc);
create index audit_log_failure_idx on public.audit_log (failure_id);

-- The hash chain. Each row's hash covers its content and the previous row's hash; `chain_seq` is the
-- chain order (identity values are handed out before commit order is known, so they cannot be it).
alter table public.audit_log add column chain_seq bigint;
alter table public.audit_log add column prev_hash text;
alter table public.audit_log add column row_hash text;
alter table public.audit_log add constraint audit_log_chain_seq_key unique (chain_seq);

-- The row's content in one canonical text: jsonb orders its keys, and the time is spelled in UTC so the
-- session's time zone cannot change a hash.
create function public.audit_log_row_hash(previous text, entry public.audit_log) returns text
language sql immutable as $$
  select encode(sha256(convert_to(coalesce(previous, '') || '|' || jsonb_build_object(
    'seq', entry.chain_seq,
    'id', entry.id,
    'occurred_at', to_char(entry.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    'actor_type', entry.actor_type,
    'actor_id', entry.actor_id,
    'actor_email', entry.actor_email,
    'actor_role', entry.actor_role,
    'action', entry.action,
    'lead_id', entry.lead_id,
    'webhook_event_id', entry.webhook_event_id,
    'failure_id', entry.failure_id,
    'before', entry.before,
    'after', entry.after,
    'reason', entry.reason,
    'request_context', entry.request_context
  )::text, 'UTF8')), 'hex')
$$;

-- Appends are serialised by a transaction-scoped lock, so each new row sees the committed head of the chain.
create function public.audit_log_chain_append() returns trigger
language plpgsql as $$
declare
  head record;
begin
  perform pg_advisory_xact_lock(hashtext('public.audit_log chain'));
  -- chain_seq is never null, so this is one backward step on its unique index.
  select chain_seq, row_hash into head from public.audit_log order by chain_seq desc limit 1;
  new.chain_seq := coalesce(head.chain_seq, 0) + 1;
  new.prev_hash := head.row_hash;
  new.row_hash := public.audit_log_row_hash(head.row_hash, new);
  return new;
end;
$$;

-- Rows written before the chain existed join it in id order, once.
alter table public.audit_log disable trigger audit_log_no_update_delete;
do $$
declare
  entry public.audit_log;
  previous text := null;
  seq bigint := 0;
begin
  for entry in select * from public.audit_log order by id loop
    seq := seq + 1;
    entry.chain_seq := seq;
    update public.audit_log set chain_seq = seq, prev_hash = previous,
      row_hash = public.audit_log_row_hash(previous, entry)
    where id = entry.id
    returning row_hash into previous;
  end loop;
end;
$$;
alter table public.audit_log enable trigger audit_log_no_update_delete;

alter table public.audit_log alter column chain_seq set not null;
alter table public.audit_log alter column row_hash set not null;

create trigger audit_log_chain
  before insert on public.audit_log
  for each row execute function public.audit_log_chain_append();

alter table public.staff_users enable row level security;
alter table public.staff_sessions enable row level security;

-- Supabase's browser roles get nothing; the roles exist only on Supabase, so the revoke is conditional.
-- Later migrations call this for what they add, instead of repeating the loop.
create function public.revoke_from_browser_roles(variadic objects text[]) returns void
language plpgsql as $$
declare
  browser_role text;
  object text;
begin
  foreach browser_role in array array['anon', 'authenticated'] loop
    if exists (select 1 from pg_roles where rolname = browser_role) then
      foreach object in array objects loop
        execute format('revoke all on %s from %I', object, browser_role);
      end loop;
    end if;
  end loop;
end;
$$;

revoke all on function public.revoke_from_browser_roles(text[]) from public;

select public.revoke_from_browser_roles(
  'public.staff_users',
  'public.staff_sessions',
  'function public.audit_log_row_hash(text, public.audit_log)',
  'function public.audit_log_chain_append()',
  'function public.revoke_from_browser_roles(text[])');
