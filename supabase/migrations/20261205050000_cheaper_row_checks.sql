-- Two costs every webhook delivery paid inside PostgreSQL, measured with callgrind on one backend replaying
-- applied deliveries (BENCHMARKS.md, "Row checks, TOAST compression, and counting instructions"):
--
-- 1. A PL/pgSQL function starts a new executor for each statement it runs, and each start reads every CHECK
--    constraint of the table it writes back from its stored text, one node and one byte of every literal at a
--    time: about 36,000 instructions for a nine-value list, eight such checks per applied delivery. A domain's
--    check is read once per session and kept (the type cache), so the lists the webhook writes on every
--    delivery become domains. Columns a generated column, a trigger condition or a view depends on cannot
--    change type in place; their checks stay checks, stored as one array constant (`x = any ('{a,b}'::text[])`,
--    a quarter cheaper to read back than `x in ('a', 'b')`). Same names, same values, same refusals.
--    Changing a column to a domain without a check does not rewrite the table; the checks are added after.
-- 2. The stored delivery (body and parsed event, ~2.3 kB together) is compressed on insert; pglz took 3% of
--    the delivery's instructions, lz4 a tenth of that. PGlite is built without lz4 and keeps pglz. Rows
--    already stored keep their pglz form; both read back alike.

create domain public.lead_stage as text;
create domain public.booking_status as text;
create domain public.booking_state as text;
create domain public.submission_token_status as text;

alter table public.leads
  drop constraint leads_stage_check,
  drop constraint leads_booking_status_check,
  alter column stage type public.lead_stage,
  alter column booking_status type public.booking_status;
alter table public.lead_bookings
  drop constraint lead_bookings_status_check,
  drop constraint lead_bookings_state_check,
  alter column status type public.booking_status,
  alter column state type public.booking_state;
alter table public.webhook_events
  drop constraint webhook_events_token_status_check,
  alter column token_status type public.submission_token_status;

-- leads_stage_check keeps its name: it is the name a refused stage has always been reported under.
alter domain public.lead_stage add constraint leads_stage_check check (value = any ('{new,booking_requested,awaiting_payment,call_booked,reschedule_requested,call_cancelled,booking_rejected,call_completed,no_show}'::text[]));
alter domain public.booking_status add constraint booking_status_check check (value = any ('{pending,awaiting_payment,accepted,cancelled,reschedule_requested,rejected}'::text[]));
alter domain public.booking_state add constraint booking_state_check check (value = any ('{live,completed,no_show,closed}'::text[]));
alter domain public.submission_token_status add constraint submission_token_status_check check (value = any ('{valid,invalid,expired}'::text[]));

alter table public.webhook_events
  drop constraint webhook_events_verification_check,
  add constraint webhook_events_verification_check check (verification = any ('{verified,unverified}'::text[])),
  drop constraint webhook_events_outcome_check,
  add constraint webhook_events_outcome_check check (outcome = any ('{applied,duplicate,stale,ignored,queued}'::text[]));

alter table public.webhook_failures
  drop constraint webhook_failures_reason_check,
  add constraint webhook_failures_reason_check check (reason = any ('{unverified,unmatched,invalid_submission_token,expired_submission_token,unsupported_payload}'::text[])),
  drop constraint webhook_failures_status_check,
  add constraint webhook_failures_status_check check (status = any ('{open,resolved,discarded}'::text[]));

alter table public.audit_log
  drop constraint audit_log_actor_type_check,
  add constraint audit_log_actor_type_check check (actor_type = any ('{system,staff}'::text[]));

alter table public.staff_users
  drop constraint staff_users_role_check,
  add constraint staff_users_role_check check (role = any ('{staff,manager}'::text[]));

do $$
begin
  alter table public.webhook_events
    alter column raw_body set compression lz4,
    alter column event set compression lz4,
    alter column claimed set compression lz4;
exception when feature_not_supported then
  null;
end;
$$;
