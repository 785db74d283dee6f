-- The search for events waiting on a lead's uids (write_link) must not depend on statistics PostgreSQL does not
-- have yet. In a new database, before autovacuum's first ANALYZE of webhook_events (up to a minute of traffic),
-- the generic plan of the previous search scanned one waiting-event index whole, filtering on the other uid
-- column, and the lookup of each candidate's failure scanned every open failure: both grew with the queue and
-- cost 0.29 ms a delivery in bench-peer (478 buffers read for nothing). Custom plans choose the same scans there.
--
-- Each uid is now looked up on its own, by equality through its plain index, and whether the event still waits
-- (no lead, verified) and whether its failure is open are read off the rows found, by the failure's unique key.
-- Those are the only index paths these statements have, and a plan that reads only one uid's events is
-- cheaper than a table scan in every estimate, with or without statistics. The two partial indexes that served
-- the previous search go.
drop index public.webhook_events_waiting_booking_uid_idx;
drop index public.webhook_events_waiting_reschedule_uid_idx;

create or replace function public.write_link(p_lead_id uuid, p_event_id uuid, p_event jsonb, p_plan jsonb, p_context jsonb) returns jsonb
language plpgsql volatile set search_path = '' set plan_cache_mode = force_generic_plan as $$
declare
  v_outcome text := p_plan->>'outcome';
  v_steps jsonb;
  v_pending record;
  v_candidate record;
  v_found boolean;
  v_lead_uids text[];
  v_new_uids text[];
begin
  insert into public.booking_uids (uid, lead_id)
  select u, p_lead_id from unnest(array[p_event->>'bookingUid', p_event->>'rescheduleUid']) u where u is not null
  on conflict (uid) do nothing;
  if v_outcome = 'applied' then
    perform public.write_lead_state(p_lead_id, p_plan->'before', p_plan->'after');
    if p_plan#>>'{before,lead,stage}' is distinct from p_plan#>>'{after,lead,stage}' then
      insert into public.lead_stage_changes (lead_id, from_stage, to_stage, webhook_event_id)
      values (p_lead_id, p_plan#>>'{before,lead,stage}', p_plan#>>'{after,lead,stage}', p_event_id);
    end if;
  end if;
  if v_outcome = 'applied' or p_context->>'failureId' is not null then
    insert into public.audit_log (actor_type, actor_id, actor_email, actor_role, action, lead_id, webhook_event_id,
      failure_id, before, after, reason, request_context)
    values (p_context#>>'{actor,type}', p_context#>>'{actor,id}', p_context#>>'{actor,email}', p_context#>>'{actor,role}',
      p_context->>'action', p_lead_id, p_event_id, (p_context->>'failureId')::uuid,
      case when v_outcome = 'applied' then (select jsonb_object_agg(c->>'field', c->'from') from jsonb_array_elements(p_plan->'changes') c) end,
      case when v_outcome = 'applied' then (select jsonb_object_agg(c->>'field', c->'to') from jsonb_array_elements(p_plan->'changes') c) end,
      p_context->>'reason', p_context->'requestContext');
  end if;
  v_steps := jsonb_build_array(jsonb_build_object('eventId', p_event_id, 'failureId', p_context->>'failureId',
    'trigger', p_event->>'trigger', 'bookingUid', p_event->>'bookingUid', 'createdAt', p_event->>'createdAt',
    'action', p_context->>'action', 'outcome', v_outcome, 'changes', p_plan->'changes'));

  if coalesce((p_context->>'pullQueued')::boolean, true) then
    loop
      select array_agg(uid) into v_lead_uids from public.booking_uids where lead_id = p_lead_id;
      v_found := false;
      -- Each of the lead's uids through its own index, each candidate's failure by its unique key, the rest read
      -- off the rows found: the only plans these statements have, with or without statistics (header above).
      for v_candidate in
        select distinct x.id, x.booking_uid, x.reschedule_uid, x.event_created_at, x.waiting
        from unnest(v_lead_uids) u(uid) cross join lateral (
          select e.id, e.booking_uid, e.reschedule_uid, e.event_created_at, e.lead_id is null and e.event is not null as waiting
          from public.webhook_events e where e.booking_uid = u.uid
          union all
          select e.id, e.booking_uid, e.reschedule_uid, e.event_created_at, e.lead_id is null and e.event is not null
          from public.webhook_events e where e.reschedule_uid = u.uid) x
        order by x.event_created_at, x.id
      loop
        continue when not v_candidate.waiting;
        select f.id as failure_id, f.status, f.reason, v_candidate.id as event_id, v_candidate.booking_uid,
          v_candidate.reschedule_uid
        into v_pending
        from public.webhook_failures f where f.webhook_event_id = v_candidate.id
        for update;
        v_found := found and v_pending.status = 'open' and v_pending.reason in ('unmatched', 'expired_submission_token');
        exit when v_found;
      end loop;
      exit when not v_found;
      -- Only uids new to the lead are locked: locking ones it holds while holding the lead row would deadlock
      -- with events that hold those locks and wait for the row.
      select array_agg(u) into v_new_uids from unnest(array[v_pending.booking_uid, v_pending.reschedule_uid]) u
      where u is not null and not exists (select 1 from public.booking_uids b where b.uid = u and b.lead_id = p_lead_id);
      perform public.lock_booking_uids(v_new_uids);
      update public.webhook_failures set status = 'resolved', resolved_at = now(), resolved_by = p_context#>>'{actor,id}',
        resolution = 'auto_matched', resolved_lead_id = p_lead_id, version = version + 1
      where id = v_pending.failure_id;
      v_steps := v_steps || (public.link_event_to_lead(p_lead_id, v_pending.event_id, jsonb_build_object(
        'actor', p_context->'actor', 'action', 'failure.auto_matched', 'failureId', v_pending.failure_id,
        'reason', 'queued event matched once its booking was tied to this lead', 'requestContext', p_context->'requestContext',
        'recordOutcome', false, 'pullQueued', false)) -> 'steps');
    end loop;
  end if;
  return v_steps;
end;
$$;
