-- The newest migration this database ran, for the server's start-up check (#26): a server whose code expects a
-- newer schema answers 503 and says to run `npm run db:migrate`, instead of failing request by request. The
-- app's role cannot read the migration bookkeeping itself; this function reads only its newest version. A
-- database older than this migration has no such function, which the check reads the same way.

create function public.applied_schema_version() returns text
language sql stable security definer set search_path = '' as $$
  select max(version) from supabase_migrations.schema_migrations;
$$;
revoke all on function public.applied_schema_version() from public;
grant execute on function public.applied_schema_version() to booking_handoff_app;
