-- Least privilege (#11). Migrations and the retention purge's function belong to the owner (on Supabase the
-- `postgres` role). The server connects as a login that is a member of `booking_handoff_app`, which can do exactly
-- what the app needs: no DDL, no trigger control, no UPDATE, DELETE or TRUNCATE on the audit trail, no write to the
-- chain's anchor or the retention setting, and INSERT on audit tables only for the columns the app fills (times and
-- transaction ids stay the database's own). Create its login as the owner (README, "Deploy on Supabase"):
--   create role booking_handoff_server login password '…' in role booking_handoff_app;
-- Every table has row-level security on; a policy lets only the app's role through. The browser roles (Supabase's
-- anon and authenticated, and PUBLIC) can execute nothing and read nothing.

do $$
begin
  if not exists (select 1 from pg_roles where rolname = 'booking_handoff_app') then
    create role booking_handoff_app nologin;
  end if;
end;
$$;

grant usage on schema public to booking_handoff_app;

grant select, insert, update on public.leads, public.webhook_events, public.webhook_failures, public.booking_uids,
  public.staff_users, public.staff_sessions, public.alert_states to booking_handoff_app;
grant select, insert, update, delete on public.lead_bookings to booking_handoff_app;
grant select, insert on public.lead_stage_changes, public.audit_chain_checks to booking_handoff_app;
grant select, insert, update, delete on public.rate_limit_hits to booking_handoff_app;
grant select, insert, delete on public.csp_reports to booking_handoff_app;
grant select on public.audit_log, public.audit_entry_text, public.audit_seals, public.audit_checkpoints, public.audit_chain_anchor,
  public.retention_settings to booking_handoff_app;
grant insert (actor_type, actor_id, actor_email, actor_role, action, lead_id, webhook_event_id, failure_id, before, after,
  reason, request_context) on public.audit_log to booking_handoff_app;
grant insert (seq, entry_id, mac, key_id, horizon) on public.audit_seals to booking_handoff_app;
grant insert (head_seq, head_mac, signed_at, key_id, mac) on public.audit_checkpoints to booking_handoff_app;
grant usage on all sequences in schema public to booking_handoff_app;

-- Row-level security stays on for every table; this is the one role it lets through.
do $$
declare
  v_table text;
begin
  for v_table in select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
                 where n.nspname = 'public' and c.relkind = 'r' loop
    execute format('create policy booking_handoff_app_all on public.%I to booking_handoff_app using (true) with check (true)', v_table);
  end loop;
end;
$$;

-- Functions: nobody executes them by default (PostgreSQL grants EXECUTE to PUBLIC, which `revoke … from anon`
-- does not remove); the app's role executes the ones it calls. Extension functions are the extension's.
do $$
declare
  v_function regprocedure;
begin
  for v_function in select p.oid::regprocedure from pg_proc p join pg_namespace n on n.oid = p.pronamespace
                    where n.nspname = 'public'
                      and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e') loop
    execute format('revoke all on function %s from public', v_function);
  end loop;
end;
$$;
alter default privileges in schema public revoke execute on functions from public;

grant execute on function
  public.reconcile_cal_event(text, text, text, text, text, text, jsonb, text, text, jsonb),
  public.link_event_to_lead(uuid, uuid, jsonb),
  public.plan_link(uuid, jsonb, uuid),
  public.write_link(uuid, uuid, jsonb, jsonb, jsonb),
  public.find_lead_for_event(jsonb, text, text),
  public.fold_lead_bookings(jsonb, text),
  public.stored_lead_state(uuid),
  public.lead_state_changes(jsonb, jsonb),
  public.write_lead_state(uuid, jsonb, jsonb),
  public.lock_booking_uids(text[]),
  public.event_for_fold(public.webhook_events),
  public.event_logical_key(jsonb),
  public.resolve_lead(uuid),
  public.iso_time(timestamptz),
  public.purge_expired_audit_entries()
to booking_handoff_app;

-- Supabase's browser roles get nothing, now or in what later migrations add. They exist only on Supabase (and
-- in the tests that stand in for it), so this is conditional and the file runs on plain PostgreSQL and PGlite.
do $$
declare
  v_role text;
begin
  foreach v_role in array array['anon', 'authenticated'] loop
    if exists (select 1 from pg_roles where rolname = v_role) then
      execute format('revoke all on all tables in schema public from %I', v_role);
      execute format('revoke all on all sequences in schema public from %I', v_role);
      execute format('revoke all on all functions in schema public from %I', v_role);
      execute format('alter default privileges in schema public revoke all on tables from %I', v_role);
      execute format('alter default privileges in schema public revoke all on sequences from %I', v_role);
      execute format('alter default privileges in schema public revoke all on functions from %I', v_role);
    end if;
  end loop;
end;
$$;
