-- A session that began before an account's credentials last changed (a new password, another role, the account
-- disabled) is no session, whether it is one of ours or Supabase's: the app compares each session's start with
-- this time. Accounts that exist now start from the upgrade, so their sessions end once.
alter table public.staff_users add column credentials_changed_at timestamptz not null default now();
