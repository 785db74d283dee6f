-- Free-text search in the failure queue (email, name, booking uids, token) as a trigram index, so a
-- substring search stays fast at 100k queued items. Only queued deliveries (the failure queue's) are
-- indexed, which keeps the cost off the webhook's applied events. pg_trgm goes in Supabase's `extensions`
-- schema where that exists; PGlite loads the extension from JavaScript before this runs.
do $$
declare
  trgm_schema text;
begin
  if exists (select 1 from pg_namespace where nspname = 'extensions') then
    create extension if not exists pg_trgm with schema extensions;
  else
    create extension if not exists pg_trgm;
  end if;
  select n.nspname into trgm_schema from pg_extension e join pg_namespace n on n.oid = e.extnamespace where e.extname = 'pg_trgm';
  execute format(
    'create index webhook_events_queue_search_idx on public.webhook_events using gin ((%s) %I.gin_trgm_ops) where outcome = %L',
    $expr$coalesce(attendee_email, '') || ' ' || coalesce(attendee_name, '') || ' ' || coalesce(booking_uid, '') || ' ' || coalesce(reschedule_uid, '') || ' ' || coalesce(submission_token, '')$expr$,
    trgm_schema, 'queued');
end;
$$;
