-- One form of a staff email (#25). The login's lockout bucketed addresses by JavaScript's toLowerCase() and the
-- account lookup compared them with PostgreSQL's lower(); the two fold differently beyond ASCII (under C.UTF-8,
-- lower('İ') is 'i', JavaScript gives 'i̇'), so "staffİ@…" had five guesses of its own and signed in to "staffi@…".
-- Now the address is stored in its one form (lib/auth/staff-email.ts: NFKC, trimmed, ASCII letters in lower
-- case, printable ASCII only) and compared exactly as stored; this check holds the database to the same rule.
-- `lower(… collate "C")` folds ASCII letters only, whatever the database's locale.

update public.staff_users set email = lower(trim(email) collate "C")
where email is distinct from lower(trim(email) collate "C");

drop index public.staff_users_email_key;
alter table public.staff_users
  add constraint staff_users_email_key unique (email),
  add constraint staff_users_email_normal_check
    check ((email collate "C") ~ '^[!-~]+@[!-~]+$' and email = lower(email collate "C"));
