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
language sql volatile set search_path = '' as $$
  select pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('cal-booking:' || u, 0))
  from (select distinct u from pg_catalog.unnest(p_uids) u where u is not null order by u) sorted;
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
language sql stable set search_path = '' as $$
with recursive ev as (
  select e.value as body,
    e.value->>'trigger' as trigger,
    e.value->>'bookingUid' as uid,
    nullif(e.value->>'rescheduleUid', '') as previous,
    (e.value->>'createdAt')::timestamptz as created_at,
    array_position(array['MEETING_ENDED', 'BOOKING_REQUESTED', 'BOOKING_PAYMENT_INITIATED', 'BOOKING_CREATED',
      'BOOKING_PAID', 'BOOKING_RESCHEDULED', 'BOOKING_NO_SHOW_UPDATED', 'BOOKING_REJECTED', 'BOOKING_CANCELLED'],
      e.value->>'trigger') as tie,
    case e.value->>'trigger'
      when 'BOOKING_REQUESTED' then 'pending'
      when 'BOOKING_PAYMENT_INITIATED' then 'awaiting_payment'
      when 'BOOKING_CREATED' then 'accepted'
      when 'BOOKING_PAID' then 'accepted'
      when 'BOOKING_RESCHEDULED' then 'accepted'
      when 'BOOKING_REJECTED' then 'rejected'
      when 'BOOKING_CANCELLED' then
        case when coalesce((e.value->>'requestReschedule')::boolean, false) then 'reschedule_requested' else 'cancelled' end
    end as status
  from jsonb_array_elements(coalesce(p_events, '[]'::jsonb)) e
),
links as (
  select distinct uid as a, previous as b from ev where previous is not null and previous <> uid
),
undirected as (select a, b from links union select b, a from links),
nodes as (select uid as n from ev union select previous from ev where previous is not null),
reach (n, r) as (
  select n, n from nodes
  union
  select reach.n, undirected.b from reach join undirected on undirected.a = reach.r
),
chain_of as (select n, min(r collate "C") as chain from reach group by n),
chains as (
  select c.chain,
    array_agg(c.n order by c.n collate "C") as uids,
    coalesce(min(c.n collate "C") filter (where not exists (select 1 from links where links.a = c.n)),
      min(c.n collate "C")) as root_uid
  from chain_of c group by c.chain
),
booking as (
  select ch.chain, ch.root_uid, ch.uids, h.head, s.status, s.reason, t.start_time, t.end_time,
    coalesce(x.ended, false) as ended, ns.flag as no_show,
    exists (select 1 from ev join chain_of c on c.n = ev.uid where c.chain = ch.chain and ev.trigger = 'BOOKING_PAID') as paid,
    d.title, d.time_zone, d.join_url, d.location, v.via_submission
  from chains ch
  -- The current uid: one that no reschedule replaced (if several, the one with the latest event).
  cross join lateral (
    select ev.uid as head from ev join chain_of c on c.n = ev.uid
    where c.chain = ch.chain
    order by (not exists (select 1 from links where links.b = ev.uid)) desc, ev.created_at desc, ev.tie desc, ev.body::text collate "C" desc
    limit 1
  ) h
  left join lateral (
    select ev.status, ev.body->>'reason' as reason from ev where ev.uid = h.head and ev.status is not null
    order by ev.created_at desc, ev.tie desc, ev.body::text collate "C" desc limit 1
  ) s on true
  left join lateral (
    select ev.body->>'startTime' as start_time, ev.body->>'endTime' as end_time from ev
    where ev.uid = h.head and ev.body->>'startTime' is not null and ev.body->>'endTime' is not null
    order by ev.created_at desc, ev.tie desc, ev.body::text collate "C" desc limit 1
  ) t on true
  left join lateral (select true as ended from ev where ev.uid = h.head and ev.trigger = 'MEETING_ENDED' limit 1) x on true
  left join lateral (
    select coalesce(
      (select (a->>'noShow')::boolean from jsonb_array_elements(ev.body->'noShowAttendees') a
        where lower(a->>'email') = lower(p_email) limit 1),
      (select bool_or((a->>'noShow')::boolean) from jsonb_array_elements(ev.body->'noShowAttendees') a)) as flag
    from ev where ev.uid = h.head and ev.trigger = 'BOOKING_NO_SHOW_UPDATED'
    order by ev.created_at desc, ev.tie desc, ev.body::text collate "C" desc limit 1
  ) ns on true
  -- Details from the newest event that has each, the current uid's first.
  cross join lateral (
    select
      (array_agg(ev.body->>'title' order by ev.uid = h.head desc, ev.created_at desc, ev.body::text collate "C" desc)
        filter (where ev.body->>'title' is not null))[1] as title,
      (array_agg(ev.body->>'attendeeTimeZone' order by ev.uid = h.head desc, ev.created_at desc, ev.body::text collate "C" desc)
        filter (where ev.body->>'attendeeTimeZone' is not null))[1] as time_zone,
      (array_agg(ev.body->>'joinUrl' order by ev.uid = h.head desc, ev.created_at desc, ev.body::text collate "C" desc)
        filter (where ev.body->>'joinUrl' is not null))[1] as join_url,
      (array_agg(ev.body->>'location' order by ev.uid = h.head desc, ev.created_at desc, ev.body::text collate "C" desc)
        filter (where ev.body->>'location' is not null))[1] as location
    from ev join chain_of c on c.n = ev.uid where c.chain = ch.chain
  ) d
  cross join lateral (
    select (array_agg(ev.body->>'viaSubmission' order by ev.created_at, ev.body::text collate "C")
      filter (where ev.body->>'viaSubmission' is not null))[1] as via_submission
    from ev join chain_of c on c.n = ev.uid where c.chain = ch.chain
  ) v
),
classified as (
  select b.*, coalesce(b.status, 'accepted') as final_status,
    case
      when coalesce(b.status, 'accepted') in ('pending', 'awaiting_payment', 'accepted')
        and b.no_show is distinct from true and not b.ended then 'live'
      when coalesce(b.status, 'accepted') = 'accepted' and b.no_show is true then 'no_show'
      when coalesce(b.status, 'accepted') = 'accepted' and b.ended then 'completed'
      else 'closed'
    end as state
  from booking b
),
finished as (
  select * from classified where state in ('completed', 'no_show')
  order by start_time::timestamptz desc nulls last, root_uid collate "C" desc limit 1
),
current_booking as (
  select * from (
    (select c.*, 1 as rank from classified c
      where c.state = 'live'
        and not exists (select 1 from finished f where f.start_time is not null and c.start_time is not null
          and c.start_time::timestamptz <= f.start_time::timestamptz)
      order by c.start_time::timestamptz asc nulls last, c.root_uid collate "C" limit 1)
    union all
    (select f.*, 2 from finished f)
    union all
    (select c.*, 3 from classified c where c.state = 'closed'
      order by c.start_time::timestamptz desc nulls last, c.root_uid collate "C" desc limit 1)
  ) candidates order by rank limit 1
)
select jsonb_build_object(
  'lead', coalesce((
    select jsonb_build_object(
      'stage', case
        when cb.state = 'completed' then 'call_completed'
        when cb.state = 'no_show' then 'no_show'
        when cb.final_status = 'pending' then 'booking_requested'
        when cb.final_status = 'awaiting_payment' then 'awaiting_payment'
        when cb.final_status = 'accepted' then 'call_booked'
        when cb.final_status = 'reschedule_requested' then 'reschedule_requested'
        when cb.final_status = 'rejected' then 'booking_rejected'
        else 'call_cancelled' end,
      'cal_booking_uid', cb.head,
      'booking_start', public.iso_time(cb.start_time::timestamptz),
      'booking_end', public.iso_time(cb.end_time::timestamptz),
      'booking_status', cb.final_status,
      'booking_status_reason', cb.reason,
      'attendee_no_show', cb.no_show,
      'meeting_ended', cb.ended)
    from current_booking cb),
    jsonb_build_object('stage', 'new', 'cal_booking_uid', null, 'booking_start', null, 'booking_end', null,
      'booking_status', null, 'booking_status_reason', null, 'attendee_no_show', null, 'meeting_ended', false)),
  'bookings', coalesce((
    select jsonb_agg(jsonb_build_object(
      'root_uid', c.root_uid, 'current_uid', c.head, 'uids', to_jsonb(c.uids), 'status', c.final_status, 'state', c.state,
      'status_reason', c.reason, 'start_time', public.iso_time(c.start_time::timestamptz),
      'end_time', public.iso_time(c.end_time::timestamptz), 'title', c.title,
      'time_zone', c.time_zone, 'join_url', c.join_url, 'location', c.location, 'paid', c.paid,
      'attendee_no_show', c.no_show, 'meeting_ended', c.ended, 'via_submission', c.via_submission)
      order by c.root_uid collate "C")
    from classified c), '[]'::jsonb))
$$;
