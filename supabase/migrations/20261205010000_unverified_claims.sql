-- What an unverified delivery claims to be (trigger, booking uids, token, attendee), read from its body at
-- receipt so staff can find and judge it in the queue. It lives apart from the verified columns on purpose:
-- matching reads only those (booking_uid, submission_token, ...), so nothing unsigned can ever tie a booking.
-- The retention purge clears it with the body.
alter table public.webhook_events add column claimed jsonb;

-- The queue's free-text search, said once: the page filters on this column and the trigram index covers it.
-- It is filled for queued deliveries only (the failure queue's), so applied events carry no copy.
alter table public.webhook_events add column queue_search text generated always as (
  case when outcome = 'queued' then
    coalesce(attendee_email, claimed ->> 'attendeeEmail', '') || ' ' || coalesce(attendee_name, claimed ->> 'attendeeName', '')
    || ' ' || coalesce(booking_uid, claimed ->> 'bookingUid', '') || ' ' || coalesce(reschedule_uid, claimed ->> 'rescheduleUid', '')
    || ' ' || coalesce(submission_token, claimed ->> 'submissionToken', '')
  end
) stored;

drop index public.webhook_events_queue_search_idx;
do $$
declare
  trgm_schema text;
begin
  select n.nspname into trgm_schema from pg_extension e join pg_namespace n on n.oid = e.extnamespace where e.extname = 'pg_trgm';
  execute format(
    'create index webhook_events_queue_search_idx on public.webhook_events using gin (queue_search %I.gin_trgm_ops) where outcome = %L',
    trgm_schema, 'queued');
end;
$$;
