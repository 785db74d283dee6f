-- Brings every database migrated at an earlier commit of main to one schema. Until then, four applied
-- migrations had been edited in place (lib/db/migration-history.ts lists each earlier text), so a database
-- could lack what a later edit added. Everything here is idempotent: it is a no-op where the edit had run.

-- Added to 20261126020000 after its first version: the failure detail's lookups.
create index if not exists webhook_events_body_sha256_idx on public.webhook_events (body_sha256);
create index if not exists webhook_events_reschedule_uid_idx on public.webhook_events (reschedule_uid);
create index if not exists leads_name_idx on public.leads (lower(name));

-- A migration-time helper that only some databases got; no migration uses it any more.
drop function if exists public.revoke_from_browser_roles(text[]);
