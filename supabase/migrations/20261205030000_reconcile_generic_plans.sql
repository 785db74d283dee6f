-- Two changes to the webhook's hot path, measured with pg_stat_statements (track_planning) and perf on one
-- backend calling reconcile_cal_event (BENCHMARKS.md, 2026-12-05):
--
-- 1. Three statements were planned again on every delivery, because PL/pgSQL's plan cache judged a custom plan
--    cheaper than the generic one: the search for events waiting on the lead's uids (write_link, 155 µs of
--    planning for 12 µs of work), the fold's walk over the events (fold_lead_bookings, 82 µs) and plan_link's
--    outcome. These functions now always run their cached generic plans; none of their statements gains
--    anything from seeing its parameter values.
--
-- 2. The generic plan for the waiting events has to be right at any size of queue: the plain uid indexes led it
--    to intersect the uid with every row whose lead is null, a cost that grows with the queue. These partial
--    indexes hold only events still waiting for a lead (verified, no lead yet), so the lookup reads them and
--    nothing else.
create index webhook_events_waiting_booking_uid_idx on public.webhook_events (booking_uid)
  where lead_id is null and event is not null;
create index webhook_events_waiting_reschedule_uid_idx on public.webhook_events (reschedule_uid)
  where lead_id is null and event is not null;

alter function public.write_link(uuid, uuid, jsonb, jsonb, jsonb) set plan_cache_mode = force_generic_plan;
alter function public.fold_lead_bookings(jsonb, text) set plan_cache_mode = force_generic_plan;
alter function public.plan_link(uuid, jsonb, uuid) set plan_cache_mode = force_generic_plan;
