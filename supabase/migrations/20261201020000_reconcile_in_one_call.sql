-- The reconcile transaction as SQL functions, so a webhook delivery is one round trip and the webhook, the
-- console's manual match, its diff preview and the backfill all run the same code:
--   reconcile_cal_event   one verified delivery: store it, find its lead, link it (or queue it), say what happened
--   find_lead_for_event   the lead an event belongs to: the booking uid a lead holds first, then our token
--   link_event_to_lead    fold the lead's events with this one, write what changed, pull in queued events
-- The app verifies the submission token's MAC and expiry (the secret never reaches the database) and passes
-- the verdict. Every function has an empty search_path; grants are in 20261201040000.

-- An event as the fold reads it: the stored event, plus the submission whose verified token it carried.
create function public.event_for_fold(p_row public.webhook_events) returns jsonb
language sql stable set search_path = '' as $$
  select p_row.event || jsonb_build_object('viaSubmission',
    case when p_row.token_status = 'valid' then split_part(p_row.submission_token, '.', 1) end)
$$;

-- What the lead row and its bookings hold now, in the fold's shape.
create function public.stored_lead_state(p_lead_id uuid) returns jsonb
language plpgsql stable set search_path = '' as $$
begin
  return (select jsonb_build_object(
    'lead', jsonb_build_object('stage', l.stage, 'cal_booking_uid', l.cal_booking_uid,
      'booking_start', to_char(l.booking_start at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
      'booking_end', to_char(l.booking_end at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
      'booking_status', l.booking_status, 'booking_status_reason', l.booking_status_reason,
      'attendee_no_show', l.attendee_no_show, 'meeting_ended', l.meeting_ended),
    'bookings', coalesce((
      select jsonb_agg(jsonb_build_object(
        'root_uid', b.root_uid, 'current_uid', b.current_uid, 'uids', to_jsonb(b.uids), 'status', b.status, 'state', b.state,
        'status_reason', b.status_reason,
        'start_time', to_char(b.start_time at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
        'end_time', to_char(b.end_time at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
        'title', b.title, 'time_zone', b.time_zone, 'join_url', b.join_url, 'location', b.location, 'paid', b.paid,
        'attendee_no_show', b.attendee_no_show, 'meeting_ended', b.meeting_ended, 'via_submission', b.via_submission)
        order by b.root_uid collate "C")
      from public.lead_bookings b where b.lead_id = l.id), '[]'::jsonb))
  from public.leads l where l.id = p_lead_id);
end;
$$;

-- The fields that differ between two states: the lead's own, then one entry per booking that changed.
create function public.lead_state_changes(p_before jsonb, p_after jsonb) returns jsonb
language plpgsql immutable set search_path = '' as $$
begin
  return (select coalesce(jsonb_agg(change order by position, field collate "C"), '[]'::jsonb) from (
    select 1 as position, f.ord::text as field,
      jsonb_build_object('field', f.name, 'from', p_before->'lead'->f.name, 'to', p_after->'lead'->f.name) as change
    from unnest(array['stage', 'cal_booking_uid', 'booking_start', 'booking_end', 'booking_status',
      'booking_status_reason', 'attendee_no_show', 'meeting_ended']) with ordinality as f(name, ord)
    where (p_before->'lead'->f.name) is distinct from (p_after->'lead'->f.name)
    union all
    select 2, coalesce(a.value->>'root_uid', b.value->>'root_uid'),
      jsonb_build_object('field', 'booking ' || coalesce(a.value->>'root_uid', b.value->>'root_uid'),
        'from', b.value, 'to', a.value)
    from jsonb_array_elements(p_after->'bookings') a
    full join jsonb_array_elements(p_before->'bookings') b on b.value->>'root_uid' = a.value->>'root_uid'
    where a.value is distinct from b.value
  ) changes);
end;
$$;

-- Writes a folded state onto the lead and the bookings that changed (`p_before` is what they hold now).
create function public.write_lead_state(p_lead_id uuid, p_before jsonb, p_after jsonb) returns void
language plpgsql volatile set search_path = '' as $$
begin
  update public.leads set
    stage = p_after#>>'{lead,stage}',
    cal_booking_uid = p_after#>>'{lead,cal_booking_uid}',
    booking_start = (p_after#>>'{lead,booking_start}')::timestamptz,
    booking_end = (p_after#>>'{lead,booking_end}')::timestamptz,
    booking_status = p_after#>>'{lead,booking_status}',
    booking_status_reason = p_after#>>'{lead,booking_status_reason}',
    attendee_no_show = (p_after#>>'{lead,attendee_no_show}')::boolean,
    meeting_ended = (p_after#>>'{lead,meeting_ended}')::boolean,
    version = version + 1,
    updated_at = now()
  where id = p_lead_id;
  delete from public.lead_bookings
  where lead_id = p_lead_id and not exists (
    select 1 from jsonb_array_elements(p_after->'bookings') a where a.value->>'root_uid' = lead_bookings.root_uid);
  insert into public.lead_bookings (lead_id, root_uid, current_uid, uids, status, state, status_reason, start_time,
    end_time, title, time_zone, join_url, location, paid, attendee_no_show, meeting_ended, via_submission)
  select p_lead_id, b.root_uid, b.current_uid, b.uids, b.status, b.state, b.status_reason, b.start_time, b.end_time,
    b.title, b.time_zone, b.join_url, b.location, b.paid, b.attendee_no_show, b.meeting_ended, b.via_submission
  from jsonb_to_recordset((
      select coalesce(jsonb_agg(a.value), '[]'::jsonb) from jsonb_array_elements(p_after->'bookings') a
      where not exists (select 1 from jsonb_array_elements(p_before->'bookings') b where b.value = a.value)))
    as b(root_uid text, current_uid text, uids text[], status text, state text, status_reason text,
      start_time timestamptz, end_time timestamptz, title text, time_zone text, join_url text, location text,
      paid boolean, attendee_no_show boolean, meeting_ended boolean, via_submission text)
  on conflict (lead_id, root_uid) do update set
    current_uid = excluded.current_uid, uids = excluded.uids, status = excluded.status, state = excluded.state,
    status_reason = excluded.status_reason, start_time = excluded.start_time, end_time = excluded.end_time,
    title = excluded.title, time_zone = excluded.time_zone, join_url = excluded.join_url, location = excluded.location,
    paid = excluded.paid, attendee_no_show = excluded.attendee_no_show, meeting_ended = excluded.meeting_ended,
    via_submission = excluded.via_submission;
end;
$$;

-- Two subscriptions deliver one booking change twice, each with its own createdAt: the same logical event.
create function public.event_logical_key(p_event jsonb) returns text
language sql immutable set search_path = '' as $$
  select concat_ws(':', p_event->>'trigger', p_event->>'bookingUid', coalesce(p_event->>'requestReschedule', 'false'),
    (select string_agg(lower(a->>'email') || '=' || (a->>'noShow'), ',' order by lower(a->>'email'), a->>'noShow')
     from jsonb_array_elements(coalesce(p_event->'noShowAttendees', '[]'::jsonb)) a))
$$;

-- A lead merged into another answers for it.
create function public.resolve_lead(p_lead_id uuid) returns uuid
language plpgsql stable set search_path = '' as $$
declare
  v_current uuid := p_lead_id;
  v_next uuid;
begin
  for hop in 1..10 loop
    select merged_into into v_next from public.leads where id = v_current;
    exit when v_next is null;
    v_current := v_next;
  end loop;
  return v_current;
end;
$$;

-- The lead an event belongs to, or why none. A booking already tied to a lead stays with it (an expired
-- token does not matter then); a token whose MAC failed is never trusted, even when the uid would match.
create function public.find_lead_for_event(p_event jsonb, p_token_status text, p_submission_id text) returns jsonb
language plpgsql stable set search_path = '' as $$
declare
  v_uid_lead uuid;
  v_via text := 'booking_uid';
  v_token_lead uuid;
begin
  if p_token_status = 'invalid' then
    return jsonb_build_object('reason', 'invalid_submission_token', 'detail', 'the submission token''s signature does not match');
  end if;
  select lead_id into v_uid_lead from public.booking_uids where uid = p_event->>'bookingUid';
  if v_uid_lead is null and p_event->>'rescheduleUid' is not null then
    select lead_id into v_uid_lead from public.booking_uids where uid = p_event->>'rescheduleUid';
    v_via := 'reschedule_uid';
  end if;
  if p_submission_id is not null then
    select public.resolve_lead(id) into v_token_lead from public.leads where submission_id = p_submission_id;
  end if;
  if v_uid_lead is not null then
    if v_token_lead is not null and v_token_lead <> v_uid_lead then
      return jsonb_build_object('reason', 'invalid_submission_token',
        'detail', 'the token names another lead than the one this booking is tied to', 'leadId', v_token_lead);
    end if;
    return jsonb_build_object('leadId', v_uid_lead, 'via', v_via);
  end if;
  if p_token_status = 'expired' then
    return jsonb_build_object('reason', 'expired_submission_token', 'detail', 'the submission token has expired',
      'leadId', v_token_lead);
  end if;
  if p_token_status = 'valid' then
    if v_token_lead is not null then
      return jsonb_build_object('leadId', v_token_lead, 'via', 'submission_token');
    end if;
    return jsonb_build_object('reason', 'unmatched', 'detail', 'the token is genuine but names no lead we hold');
  end if;
  return jsonb_build_object('reason', 'unmatched', 'detail', null);
end;
$$;

-- What linking `p_event` to the lead would do, written nowhere yet: the state before (as stored) and after (the
-- fold of the lead's other events with this one), the changes between them and the outcome. Locks the lead row.
create function public.plan_link(p_lead_id uuid, p_event jsonb, p_event_id uuid) returns jsonb
language plpgsql volatile set search_path = '' as $$
declare
  v_email text;
  v_history jsonb;
  v_before jsonb;
  v_after jsonb;
  v_changes jsonb;
begin
  select email into v_email from public.leads where id = p_lead_id for update;
  -- public.event_for_fold, spelled out: this runs for every event a lead holds, on every delivery.
  select coalesce(jsonb_agg(e.event || jsonb_build_object('viaSubmission',
      case when e.token_status = 'valid' then split_part(e.submission_token, '.', 1) end)), '[]'::jsonb)
  into v_history
  from public.webhook_events e
  where e.lead_id = p_lead_id and e.event is not null and e.id is distinct from p_event_id;
  v_before := public.stored_lead_state(p_lead_id);
  v_after := public.fold_lead_bookings(v_history || jsonb_build_array(p_event), v_email);
  v_changes := public.lead_state_changes(v_before, v_after);
  return jsonb_build_object('before', v_before, 'after', v_after, 'changes', v_changes, 'outcome', case
    when jsonb_array_length(v_changes) > 0 then 'applied'
    when exists (select 1 from jsonb_array_elements(v_history) h
                 where public.event_logical_key(h.value) = public.event_logical_key(p_event)) then 'duplicate'
    else 'stale' end);
end;
$$;

-- Writes a planned link: the uids it ties, the lead and its changed bookings, one stage-change row, one audit
-- entry. Then every event queued because it arrived before its booking was tied (a CANCELLED overtaking its
-- RESCHEDULED, a CREATED after payment overtaking the PAYMENT_INITIATED) is linked in turn. Returns each step with
-- its changes: what the diff preview shows is exactly what this wrote.
--
-- p_context: actor {type, id, email, role}, action, failureId, reason, requestContext, pullQueued.
create function public.write_link(p_lead_id uuid, p_event_id uuid, p_event jsonb, p_plan jsonb, p_context jsonb) returns jsonb
language plpgsql volatile set search_path = '' as $$
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
      -- From the lead's own uids through the uid indexes, then each candidate's failure by its unique key: a plan
      -- that cannot start from the queue, whatever the statistics say, so the cost stays flat as the queue grows.
      select array_agg(uid) into v_lead_uids from public.booking_uids where lead_id = p_lead_id;
      v_found := false;
      for v_candidate in
        select x.id, x.booking_uid, x.reschedule_uid, x.event_created_at from public.webhook_events x
        where x.booking_uid = any(v_lead_uids) and x.lead_id is null and x.event is not null
        union
        select x.id, x.booking_uid, x.reschedule_uid, x.event_created_at from public.webhook_events x
        where x.reschedule_uid = any(v_lead_uids) and x.lead_id is null and x.event is not null
        order by event_created_at, id
      loop
        select f.id as failure_id, v_candidate.id as event_id, v_candidate.booking_uid, v_candidate.reschedule_uid
        into v_pending
        from public.webhook_failures f
        where f.webhook_event_id = v_candidate.id and f.status = 'open' and f.reason in ('unmatched', 'expired_submission_token')
        for update;
        v_found := found;
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

-- Links a stored event to a lead, in the caller's transaction, and records the outcome on it when asked
-- (`recordOutcome`): the manual match, retry, merge and the queued events a link pulls in. The caller holds the
-- advisory locks on the event's booking uids; the lead row is locked here.
create function public.link_event_to_lead(p_lead_id uuid, p_event_id uuid, p_context jsonb) returns jsonb
language plpgsql volatile set search_path = '' as $$
declare
  v_event jsonb;
  v_plan jsonb;
  v_steps jsonb;
begin
  select public.event_for_fold(e) into v_event from public.webhook_events e where e.id = p_event_id;
  v_plan := public.plan_link(p_lead_id, v_event, p_event_id);
  update public.webhook_events set lead_id = p_lead_id,
    outcome = case when coalesce((p_context->>'recordOutcome')::boolean, false) then v_plan->>'outcome' else outcome end
  where id = p_event_id;
  v_steps := public.write_link(p_lead_id, p_event_id, v_event, v_plan, p_context);
  -- After pulled-in events the state moved on again; otherwise it is what this step folded.
  return jsonb_build_object('outcome', v_plan->>'outcome', 'leadId', p_lead_id, 'steps', v_steps, 'before', v_plan->'before',
    'after', case when jsonb_array_length(v_steps) > 1 then public.stored_lead_state(p_lead_id)
                  when v_plan->>'outcome' = 'applied' then v_plan->'after' else v_plan->'before' end);
end;
$$;

-- One verified delivery, start to finish, in the caller's (implicit) transaction. The booking uids are locked
-- first, so two deliveries about one booking (two copies of one event included) take turns; the delivery row is
-- then written once, with its lead and outcome, and a repeat stops at the unique idempotency key.
create function public.reconcile_cal_event(
  p_idempotency_key text, p_source text, p_raw_body text, p_body_sha256 text, p_signature_header text,
  p_webhook_version text, p_event jsonb, p_token_status text, p_submission_id text, p_context jsonb
) returns jsonb
language plpgsql volatile set search_path = '' as $$
declare
  v_event jsonb := p_event || jsonb_build_object('viaSubmission',
    case when p_token_status = 'valid' then split_part(p_event->>'submissionToken', '.', 1) end);
  v_event_id uuid;
  v_inserted boolean;
  v_match jsonb;
  v_lead_id uuid;
  v_plan jsonb;
begin
  perform public.lock_booking_uids(array[p_event->>'bookingUid', p_event->>'rescheduleUid']);
  v_match := public.find_lead_for_event(p_event, p_token_status, p_submission_id);
  v_lead_id := (v_match->>'leadId')::uuid;
  if not v_match ? 'reason' then
    v_plan := public.plan_link(v_lead_id, v_event, null);
  end if;
  insert into public.webhook_events (idempotency_key, source, verification, webhook_version, signature_header,
    body_sha256, raw_body, trigger_event, event_created_at, booking_uid, reschedule_uid, submission_token,
    attendee_email, attendee_name, event, token_status, lead_id, outcome)
  values (p_idempotency_key, p_source, 'verified', p_webhook_version, p_signature_header, p_body_sha256, p_raw_body,
    p_event->>'trigger', (p_event->>'createdAt')::timestamptz, p_event->>'bookingUid', p_event->>'rescheduleUid',
    p_event->>'submissionToken', p_event->>'attendeeEmail', p_event->>'attendeeName', p_event, p_token_status,
    case when v_plan is not null then v_lead_id end, coalesce(v_plan->>'outcome', 'queued'))
  on conflict (idempotency_key) do update
    set delivery_count = public.webhook_events.delivery_count + 1, last_received_at = now()
  returning id, (xmax = 0) into v_event_id, v_inserted;
  if not v_inserted then
    return jsonb_build_object('outcome', 'duplicate', 'eventId', v_event_id);
  end if;
  if v_plan is null then
    insert into public.webhook_failures (webhook_event_id, reason, detail)
    values (v_event_id, v_match->>'reason', v_match->>'detail');
    return jsonb_build_object('outcome', 'queued', 'eventId', v_event_id, 'reason', v_match->>'reason');
  end if;
  perform public.write_link(v_lead_id, v_event_id, v_event, v_plan, p_context);
  return jsonb_build_object('outcome', v_plan->>'outcome', 'eventId', v_event_id, 'leadId', v_lead_id, 'via', v_match->>'via');
end;
$$;

-- Existing data in the new shape: every uid a lead holds is tied to it, tokens that were accepted are marked
-- valid, and each lead with events is folded again into its bookings (no stage-change or audit rows: this is
-- the same history read by the new rules).
insert into public.booking_uids (uid, lead_id)
select distinct on (uid) uid, lead_id from (
  select cal_booking_uid as uid, id as lead_id, created_at from public.leads where cal_booking_uid is not null
  union all
  select unnest(previous_booking_uids), id, created_at from public.leads
  union all
  select e.booking_uid, e.lead_id, l.created_at from public.webhook_events e join public.leads l on l.id = e.lead_id
  where e.booking_uid is not null
  union all
  select e.reschedule_uid, e.lead_id, l.created_at from public.webhook_events e join public.leads l on l.id = e.lead_id
  where e.reschedule_uid is not null
) held order by uid, created_at
on conflict (uid) do nothing;

update public.webhook_events set token_status = 'valid'
where lead_id is not null and verification = 'verified' and submission_token is not null;
update public.webhook_events e set token_status = 'invalid'
from public.webhook_failures f
where f.webhook_event_id = e.id and f.reason = 'invalid_submission_token' and e.token_status is null;

do $$
declare
  v_lead record;
begin
  for v_lead in select distinct l.id, l.email from public.leads l join public.webhook_events e on e.lead_id = l.id loop
    perform public.write_lead_state(v_lead.id, public.stored_lead_state(v_lead.id), public.fold_lead_bookings(
      (select jsonb_agg(public.event_for_fold(e)) from public.webhook_events e where e.lead_id = v_lead.id and e.event is not null),
      v_lead.email));
  end loop;
end;
$$;

drop index public.leads_previous_booking_uids_idx;
alter table public.leads drop column previous_booking_uids;
