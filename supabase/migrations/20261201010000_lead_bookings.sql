-- A lead holds bookings, plural (#10). Each reschedule chain is one booking with its own status, times and
-- details; the lead's stage and "current call" are derived from all of them. Both are a pure function of the
-- SET of events linked to the lead (public.fold_lead_bookings), so arrival order and repeats cannot matter.
--
-- The whole webhook transaction is one function call (public.reconcile_cal_event): store the delivery, lock
-- the booking uids, find the lead, fold, write the lead, its bookings, the stage change and the audit entry,
-- then pull in events that were queued before their booking was tied. One round trip per delivery.
--
-- Every function sets an empty search_path (all names are schema-qualified) and is executable by nobody but
-- its owner and, where granted, the app role (20261201030000). RLS on, nothing for the browser roles.

-- Stages: a paid booking awaiting its payment, and a host's request to pick another time, are their own.
alter table public.leads drop constraint leads_stage_check;
alter table public.leads add constraint leads_stage_check check (stage in (
  'new', 'booking_requested', 'awaiting_payment', 'call_booked', 'reschedule_requested', 'call_cancelled',
  'booking_rejected', 'call_completed', 'no_show'
));
alter table public.leads drop constraint leads_booking_status_check;
alter table public.leads add constraint leads_booking_status_check check (booking_status in (
  'pending', 'awaiting_payment', 'accepted', 'cancelled', 'reschedule_requested', 'rejected'
));

-- One person, one lead: a second intake with a known email is a new lead flagged as a possible duplicate of
-- the first, never joined to it automatically (anyone can type anyone's email). Staff merge it, audited;
-- the merged lead stays as a tombstone so its token keeps resolving to the lead it was merged into.
alter table public.leads add column duplicate_of uuid references public.leads (id);
alter table public.leads add column merged_into uuid references public.leads (id);
create index leads_duplicate_of_idx on public.leads (duplicate_of) where duplicate_of is not null;

-- The current booking's uid is read, never searched (booking_uids below is the lookup), so updates to a lead
-- can stay on their page (HOT) with room left for them.
drop index public.leads_cal_booking_uid_idx;
alter table public.leads set (fillfactor = 80);

-- The health page's covering index on received_at serves every read this one did.
drop index public.webhook_events_received_idx;

-- A booking uid belongs to exactly one lead: the one lookup every event without our token needs.
create table public.booking_uids (
  uid text primary key,
  lead_id uuid not null references public.leads (id),
  tied_at timestamptz not null default now()
);
create index booking_uids_lead_idx on public.booking_uids (lead_id);

-- The lead's bookings as the fold derives them; rewritten with the lead, never edited on their own.
create table public.lead_bookings (
  lead_id uuid not null references public.leads (id),
  root_uid text not null,
  current_uid text not null,
  uids text[] not null,
  status text not null,
  -- live (pending, awaiting payment, accepted), completed, no_show or closed (cancelled, rejected, …).
  state text not null,
  status_reason text,
  start_time timestamptz,
  end_time timestamptz,
  title text,
  time_zone text,
  join_url text,
  location text,
  paid boolean not null default false,
  attendee_no_show boolean,
  meeting_ended boolean not null default false,
  -- The submission whose signed token tied this booking (null: tied by staff, or by its uid alone).
  via_submission text,
  constraint lead_bookings_pkey primary key (lead_id, root_uid),
  constraint lead_bookings_status_check check (status in (
    'pending', 'awaiting_payment', 'accepted', 'cancelled', 'reschedule_requested', 'rejected'
  )),
  constraint lead_bookings_state_check check (state in ('live', 'completed', 'no_show', 'closed'))
);

-- Whether a delivery's submission token verified (the app checks the MAC and its expiry before the call).
alter table public.webhook_events add column token_status text;
alter table public.webhook_events add constraint webhook_events_token_status_check
  check (token_status in ('valid', 'invalid', 'expired'));

alter table public.webhook_failures drop constraint webhook_failures_reason_check;
alter table public.webhook_failures add constraint webhook_failures_reason_check check (reason in (
  'unverified', 'unmatched', 'invalid_submission_token', 'expired_submission_token', 'unsupported_payload'
));

alter table public.booking_uids enable row level security;
alter table public.lead_bookings enable row level security;

-- Serialises work on the same Cal.com bookings for the rest of the transaction, in sorted order (no deadlock):
-- an event that queues itself and an event that ties its booking cannot pass each other unseen.
create function public.lock_booking_uids(p_uids text[]) returns void
language plpgsql volatile set search_path = '' as $$
declare
  v_uid text;
  v_first text := p_uids[1];
  v_second text := p_uids[2];
begin
  -- The common case (a booking and the one it replaced) without a query.
  if cardinality(p_uids) <= 2 then
    if v_first is null or (v_second is not null and v_second collate "C" < v_first collate "C") then
      v_first := p_uids[2];
      v_second := p_uids[1];
    end if;
    if v_first is not null then perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('cal-booking:' || v_first, 0)); end if;
    if v_second is not null and v_second <> v_first then
      perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('cal-booking:' || v_second, 0));
    end if;
    return;
  end if;
  for v_uid in select distinct u collate "C" from unnest(p_uids) u where u is not null order by 1 loop
    perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('cal-booking:' || v_uid, 0));
  end loop;
end;
$$;

-- Times as JavaScript's toISOString spells them, so stored and folded values compare as text.
create function public.iso_time(p_time timestamptz) returns text
language sql stable set search_path = '' as $$
  select pg_catalog.to_char(p_time at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;

-- The fold: the lead's bookings and its projection (stage and current call) from a set of events.
-- Rules (the README states them): events of one booking uid decide its status last-write-wins on createdAt;
-- a reschedule chain is one booking whose current uid is the one nothing replaced; a live booking
-- outranks finished and closed ones; of several live ones the earliest start is the current call, but a
-- completed call or a no-show stands unless a live booking starts after it; with neither, the closed booking
-- that starts last is shown.
create function public.fold_lead_bookings(p_events jsonb, p_email text) returns jsonb
language plpgsql immutable set search_path = '' as $$
declare
  e record;
  n int := 0;
  -- The events in their canonical order: createdAt, then a fixed order of triggers, then their text.
  ev_uid text[] := '{}';
  ev_prev text[] := '{}';
  ev_trigger text[] := '{}';
  ev_status text[] := '{}';
  ev_reason text[] := '{}';
  ev_start timestamptz[] := '{}';
  ev_end timestamptz[] := '{}';
  ev_no_show boolean[] := '{}';
  ev_title text[] := '{}';
  ev_zone text[] := '{}';
  ev_join text[] := '{}';
  ev_location text[] := '{}';
  ev_via text[] := '{}';
  ev_node int[] := '{}';
  -- Booking uids and the reschedule links between them, joined into chains (union-find on positions).
  nodes text[] := '{}';
  parent int[] := '{}';
  replaced boolean[] := '{}';
  replaces boolean[] := '{}';
  ev_chain int[] := '{}';
  chains int[] := '{}';
  i int;
  k int;
  x int;
  y int;
  v_chain int;
  v_uids text[];
  v_root text;
  v_head text;
  v_status text;
  v_reason text;
  v_start timestamptz;
  v_end timestamptz;
  v_ended boolean;
  v_no_show boolean;
  v_no_show_seen boolean;
  v_paid boolean;
  v_title text;
  v_zone text;
  v_join text;
  v_location text;
  v_via text;
  v_state text;
  bookings jsonb[] := '{}';
  b jsonb;
  v_current jsonb;
  v_finished jsonb;
  v_live jsonb;
  v_closed jsonb;
  v_b_start timestamptz;
  v_finished_start timestamptz;
  v_live_start timestamptz;
  v_closed_start timestamptz;
begin
  for e in
    select j.value->>'trigger' as trigger, j.value->>'bookingUid' as uid, nullif(j.value->>'rescheduleUid', '') as prev,
      case j.value->>'trigger'
        when 'BOOKING_REQUESTED' then 'pending'
        when 'BOOKING_PAYMENT_INITIATED' then 'awaiting_payment'
        when 'BOOKING_CREATED' then 'accepted'
        when 'BOOKING_PAID' then 'accepted'
        when 'BOOKING_RESCHEDULED' then 'accepted'
        when 'BOOKING_REJECTED' then 'rejected'
        when 'BOOKING_CANCELLED' then
          case when coalesce((j.value->>'requestReschedule')::boolean, false) then 'reschedule_requested' else 'cancelled' end
      end as status,
      j.value->>'reason' as reason, (j.value->>'startTime')::timestamptz as start_time,
      (j.value->>'endTime')::timestamptz as end_time,
      case when j.value->>'trigger' = 'BOOKING_NO_SHOW_UPDATED' then coalesce(
        (select (a->>'noShow')::boolean from jsonb_array_elements(j.value->'noShowAttendees') a
          where lower(a->>'email') = lower(p_email) limit 1),
        (select bool_or((a->>'noShow')::boolean) from jsonb_array_elements(j.value->'noShowAttendees') a)) end as no_show,
      j.value->>'title' as title, j.value->>'attendeeTimeZone' as zone, j.value->>'joinUrl' as join_url,
      j.value->>'location' as location, j.value->>'viaSubmission' as via
    from jsonb_array_elements(coalesce(p_events, '[]'::jsonb)) j
    order by (j.value->>'createdAt')::timestamptz,
      array_position(array['MEETING_ENDED', 'BOOKING_REQUESTED', 'BOOKING_PAYMENT_INITIATED', 'BOOKING_CREATED',
        'BOOKING_PAID', 'BOOKING_RESCHEDULED', 'BOOKING_NO_SHOW_UPDATED', 'BOOKING_REJECTED', 'BOOKING_CANCELLED'],
        j.value->>'trigger'),
      j.value::text collate "C"
  loop
    n := n + 1;
    ev_uid[n] := e.uid; ev_prev[n] := e.prev; ev_trigger[n] := e.trigger; ev_status[n] := e.status;
    ev_reason[n] := e.reason; ev_start[n] := e.start_time; ev_end[n] := e.end_time; ev_no_show[n] := e.no_show;
    ev_title[n] := e.title; ev_zone[n] := e.zone; ev_join[n] := e.join_url; ev_location[n] := e.location;
    ev_via[n] := e.via;
    x := array_position(nodes, e.uid);
    if x is null then
      nodes := nodes || e.uid; x := cardinality(nodes); parent[x] := x; replaced[x] := false; replaces[x] := false;
    end if;
    ev_node[n] := x;
    if e.prev is not null and e.prev <> e.uid then
      y := array_position(nodes, e.prev);
      if y is null then
        nodes := nodes || e.prev; y := cardinality(nodes); parent[y] := y; replaced[y] := false; replaces[y] := false;
      end if;
      replaced[y] := true;
      replaces[x] := true;
      while parent[x] <> x loop x := parent[x]; end loop;
      while parent[y] <> y loop y := parent[y]; end loop;
      if x <> y then parent[greatest(x, y)] := least(x, y); end if;
    end if;
  end loop;

  for k in 1 .. cardinality(nodes) loop
    x := k;
    while parent[x] <> x loop x := parent[x]; end loop;
    parent[k] := x;
    if not (x = any(chains)) then chains := chains || x; end if;
  end loop;
  for i in 1 .. n loop ev_chain[i] := parent[ev_node[i]]; end loop;

  foreach v_chain in array chains loop
    select array_agg(nodes[g] order by nodes[g] collate "C"),
      coalesce(min(nodes[g] collate "C") filter (where not replaces[g]), min(nodes[g] collate "C"))
    into v_uids, v_root
    from generate_subscripts(nodes, 1) g where parent[g] = v_chain;
    -- The current uid: the newest event's uid among those nothing replaced (any uid, if a cycle left none).
    v_head := null;
    for i in reverse n .. 1 loop
      if ev_chain[i] = v_chain and not replaced[ev_node[i]] then v_head := ev_uid[i]; exit; end if;
    end loop;
    if v_head is null then
      for i in reverse n .. 1 loop
        if ev_chain[i] = v_chain then v_head := ev_uid[i]; exit; end if;
      end loop;
    end if;
    v_status := null; v_reason := null; v_start := null; v_end := null; v_ended := false; v_no_show := null;
    v_no_show_seen := false; v_paid := false; v_title := null; v_zone := null; v_join := null; v_location := null;
    for i in reverse n .. 1 loop
      continue when ev_chain[i] <> v_chain;
      if ev_trigger[i] = 'BOOKING_PAID' then v_paid := true; end if;
      if ev_uid[i] = v_head then
        if v_status is null and ev_status[i] is not null then v_status := ev_status[i]; v_reason := ev_reason[i]; end if;
        if v_start is null and ev_start[i] is not null and ev_end[i] is not null then
          v_start := ev_start[i]; v_end := ev_end[i];
        end if;
        if ev_trigger[i] = 'MEETING_ENDED' then v_ended := true; end if;
        if not v_no_show_seen and ev_trigger[i] = 'BOOKING_NO_SHOW_UPDATED' then
          v_no_show := ev_no_show[i]; v_no_show_seen := true;
        end if;
        v_title := coalesce(v_title, ev_title[i]); v_zone := coalesce(v_zone, ev_zone[i]);
        v_join := coalesce(v_join, ev_join[i]); v_location := coalesce(v_location, ev_location[i]);
      end if;
    end loop;
    -- Details the current uid's events lack come from the rest of the chain, newest first.
    for i in reverse n .. 1 loop
      continue when ev_chain[i] <> v_chain or ev_uid[i] = v_head;
      v_title := coalesce(v_title, ev_title[i]); v_zone := coalesce(v_zone, ev_zone[i]);
      v_join := coalesce(v_join, ev_join[i]); v_location := coalesce(v_location, ev_location[i]);
    end loop;
    v_via := null;
    for i in 1 .. n loop
      if ev_chain[i] = v_chain and ev_via[i] is not null then v_via := ev_via[i]; exit; end if;
    end loop;
    v_status := coalesce(v_status, 'accepted');
    v_state := case
      when v_status in ('pending', 'awaiting_payment', 'accepted') and v_no_show is distinct from true and not v_ended then 'live'
      when v_status = 'accepted' and v_no_show is true then 'no_show'
      when v_status = 'accepted' and v_ended then 'completed'
      else 'closed' end;
    bookings := bookings || jsonb_build_object(
      'root_uid', v_root, 'current_uid', v_head, 'uids', to_jsonb(v_uids), 'status', v_status, 'state', v_state,
      'status_reason', v_reason,
      'start_time', to_char(v_start at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
      'end_time', to_char(v_end at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
      'title', v_title, 'time_zone', v_zone, 'join_url', v_join, 'location', v_location, 'paid', v_paid,
      'attendee_no_show', v_no_show, 'meeting_ended', v_ended, 'via_submission', v_via);
  end loop;

  -- Which booking is the lead's current call. Starts compare as timestamps; a booking without one ranks last.
  foreach b in array bookings loop
    v_b_start := (b->>'start_time')::timestamptz;
    if b->>'state' in ('completed', 'no_show') and (v_finished is null
        or (v_b_start is not null and (v_finished_start is null or v_b_start > v_finished_start))
        or (v_b_start is not distinct from v_finished_start and (b->>'root_uid') collate "C" > (v_finished->>'root_uid') collate "C")) then
      v_finished := b;
      v_finished_start := v_b_start;
    end if;
    if b->>'state' = 'closed' and (v_closed is null
        or (v_b_start is not null and (v_closed_start is null or v_b_start > v_closed_start))
        or (v_b_start is not distinct from v_closed_start and (b->>'root_uid') collate "C" > (v_closed->>'root_uid') collate "C")) then
      v_closed := b;
      v_closed_start := v_b_start;
    end if;
  end loop;
  foreach b in array bookings loop
    continue when b->>'state' <> 'live';
    v_b_start := (b->>'start_time')::timestamptz;
    -- A live booking that starts before the call that already happened does not outrank it.
    continue when v_b_start is not null and v_finished_start is not null and v_b_start <= v_finished_start;
    if v_live is null
        or (v_b_start is not null and (v_live_start is null or v_b_start < v_live_start))
        or (v_b_start is not distinct from v_live_start and (b->>'root_uid') collate "C" < (v_live->>'root_uid') collate "C") then
      v_live := b;
      v_live_start := v_b_start;
    end if;
  end loop;
  v_current := coalesce(v_live, v_finished, v_closed);

  return jsonb_build_object(
    'lead', case when v_current is null then
        jsonb_build_object('stage', 'new', 'cal_booking_uid', null, 'booking_start', null, 'booking_end', null,
          'booking_status', null, 'booking_status_reason', null, 'attendee_no_show', null, 'meeting_ended', false)
      else jsonb_build_object(
        'stage', case
          when v_current->>'state' = 'completed' then 'call_completed'
          when v_current->>'state' = 'no_show' then 'no_show'
          when v_current->>'status' = 'pending' then 'booking_requested'
          when v_current->>'status' = 'awaiting_payment' then 'awaiting_payment'
          when v_current->>'status' = 'accepted' then 'call_booked'
          when v_current->>'status' = 'reschedule_requested' then 'reschedule_requested'
          when v_current->>'status' = 'rejected' then 'booking_rejected'
          else 'call_cancelled' end,
        'cal_booking_uid', v_current->'current_uid', 'booking_start', v_current->'start_time',
        'booking_end', v_current->'end_time', 'booking_status', v_current->'status',
        'booking_status_reason', v_current->'status_reason', 'attendee_no_show', v_current->'attendee_no_show',
        'meeting_ended', v_current->'meeting_ended') end,
    'bookings', coalesce((select jsonb_agg(bk order by bk->>'root_uid' collate "C") from unnest(bookings) bk), '[]'::jsonb));
end;
$$;
